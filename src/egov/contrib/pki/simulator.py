"""Loopback trust services: an RFC 3161 time-stamping authority, an RFC 6960 OCSP responder and
CRL distribution points (RFC 5280), served over HTTP on 127.0.0.1.

Protocol-true on the wire: ``POST /tsa`` takes ``application/timestamp-query`` and answers
``application/timestamp-reply``; ``POST /ocsp`` (or ``GET /ocsp/<base64>``) takes
``application/ocsp-request`` and answers ``application/ocsp-response``; ``GET /crl/<ca>.crl``
answers a DER CRL signed by that CA, issued now; ``GET /certs/<ca>.cer`` answers the CA
certificate (AIA caIssuers). OCSP answers and CRLs are made at request time, like a real CA's.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from urllib.parse import unquote

from asn1crypto import cms as asn1_cms
from asn1crypto import keys as asn1_keys
from asn1crypto import tsp as asn1_tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509 import ocsp
from django.utils import timezone
from pyhanko.sign.general import as_signing_certificate_v2, simple_cms_attribute
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

from egov.contrib.simulation import HttpSimulator

CRL_LIFETIME = dt.timedelta(days=7)
OCSP_LIFETIME = dt.timedelta(days=1)
# Like real CAs, CRLs are published now and then and OCSP answers are pre-signed for a while,
# not made per request.
REISSUE_AFTER = dt.timedelta(minutes=1)


@dataclass(frozen=True)
class Authority:
    """A CA whose CRL is served and whose certificates the OCSP responder answers for."""

    certificate: x509.Certificate
    key: rsa.RSAPrivateKey
    revoked: dict[int, dt.datetime] = field(default_factory=dict)


class _Tsa(DummyTimeStamper):
    """pyHanko's token builder (TSTInfo inside CMS SignedData, RFC 3161 §2.4.2) with the key
    kept loaded (its own re-parses the key per token, ~30 ms) and an ESSCertIDv2 attribute
    (RFC 5816)."""

    def __init__(
        self,
        certificate: asn1_x509.Certificate,
        key: rsa.RSAPrivateKey,
        chain: list[asn1_x509.Certificate],
    ) -> None:
        der = key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        super().__init__(
            tsa_cert=certificate,
            tsa_key=asn1_keys.PrivateKeyInfo.load(der),
            certs_to_embed=chain,  # type: ignore[arg-type]
        )
        self.key = key
        # Built once: asn1crypto re-encodes the whole certificate to make it (~8 ms).
        self.signing_certificate = as_signing_certificate_v2(certificate).dump()

    def _sign_tst_info(
        self, tst_info_data: bytes, md_algorithm: str, dt: dt.datetime
    ) -> tuple[bytes, asn1_cms.CMSAttributes]:
        algorithms: dict[str, hashes.HashAlgorithm] = {
            "sha256": hashes.SHA256(),
            "sha384": hashes.SHA384(),
            "sha512": hashes.SHA512(),
        }
        algorithm = algorithms[md_algorithm.lower()]
        digest = hashes.Hash(algorithm)
        digest.update(tst_info_data)
        attributes = asn1_cms.CMSAttributes(
            [
                simple_cms_attribute("content_type", "tst_info"),
                simple_cms_attribute("signing_time", asn1_cms.Time({"utc_time": dt})),
                simple_cms_attribute(
                    "signing_certificate_v2",
                    asn1_tsp.SigningCertificateV2.load(self.signing_certificate),
                ),
                simple_cms_attribute("message_digest", digest.finalize()),
            ]
        )
        signature = self.key.sign(attributes.dump(), padding.PKCS1v15(), algorithm)
        return signature, attributes


def _asn1_cert(certificate: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


class TrustServicesSimulator(HttpSimulator):
    def __init__(
        self,
        *,
        port: int,
        tsa_certificate: x509.Certificate,
        tsa_key: rsa.RSAPrivateKey,
        ocsp_certificate: x509.Certificate,
        ocsp_key: rsa.RSAPrivateKey,
        authorities: dict[str, Authority],
    ) -> None:
        super().__init__(port=port)
        self.authorities = authorities
        self.ocsp_certificate = ocsp_certificate
        self.ocsp_key = ocsp_key
        issuer_chain = [
            _asn1_cert(a.certificate)
            for a in authorities.values()
            if a.certificate.subject == tsa_certificate.issuer
        ]
        self.tsa = _Tsa(_asn1_cert(tsa_certificate), tsa_key, issuer_chain)
        self.requests: list[str] = []
        self._issued: dict[tuple[str, int], tuple[dt.datetime, bytes]] = {}

    def _reuse(self, key: tuple[str, int], now: dt.datetime) -> bytes | None:
        issued = self._issued.get(key)
        if issued is None or not issued[0] <= now < issued[0] + REISSUE_AFTER:
            return None
        return issued[1]

    # -- HTTP --------------------------------------------------------------------------------
    def handle_get(self, handler: BaseHTTPRequestHandler) -> None:
        path = handler.path.split("?", 1)[0]
        self.requests.append(f"GET {path.split('/')[1]}")
        if path.startswith("/crl/") and path.endswith(".crl"):
            authority = self.authorities.get(path[len("/crl/") : -len(".crl")])
            if authority is not None:
                self._raw(handler, 200, "application/pkix-crl", self._crl(authority))
                return
        elif path.startswith("/certs/") and path.endswith(".cer"):
            authority = self.authorities.get(path[len("/certs/") : -len(".cer")])
            if authority is not None:
                der = authority.certificate.public_bytes(serialization.Encoding.DER)
                self._raw(handler, 200, "application/pkix-cert", der)
                return
        elif path.startswith("/ocsp/"):
            try:
                request = base64.b64decode(unquote(path[len("/ocsp/") :]))
            except ValueError:
                request = b""
            self._raw(handler, 200, "application/ocsp-response", self._ocsp(request))
            return
        self._raw(handler, 404, "text/plain", b"not found")

    def handle_post(self, handler: BaseHTTPRequestHandler) -> None:
        path = handler.path.split("?", 1)[0]
        self.requests.append(f"POST {path.strip('/')}")
        body = self.body(handler)
        if path == "/tsa":
            self._raw(handler, 200, "application/timestamp-reply", self._timestamp(body))
        elif path == "/ocsp":
            self._raw(handler, 200, "application/ocsp-response", self._ocsp(body))
        else:
            self._raw(handler, 404, "text/plain", b"not found")

    @staticmethod
    def _raw(handler: BaseHTTPRequestHandler, status: int, content_type: str, data: bytes) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)

    # -- RFC 3161 ----------------------------------------------------------------------------
    def _timestamp(self, body: bytes) -> bytes:
        try:
            request = asn1_tsp.TimeStampReq.load(body)
            request.native  # noqa: B018 (parses the whole structure: malformed input fails here)
        except (ValueError, TypeError):
            rejection = asn1_tsp.TimeStampResp(
                {
                    "status": asn1_tsp.PKIStatusInfo(
                        {
                            "status": "rejection",
                            "fail_info": asn1_tsp.PKIFailureInfo({"bad_data_format"}),
                        }
                    )
                }
            )
            return bytes(rejection.dump())
        return bytes(self.tsa.request_tsa_response(request).dump())

    # -- RFC 6960 ----------------------------------------------------------------------------
    def _ocsp(self, body: bytes) -> bytes:
        try:
            request = ocsp.load_der_ocsp_request(body)
        except ValueError:
            failure = ocsp.OCSPResponseBuilder.build_unsuccessful(
                ocsp.OCSPResponseStatus.MALFORMED_REQUEST
            )
            return failure.public_bytes(serialization.Encoding.DER)
        authority = self._authority_for(request)
        if authority is None:
            failure = ocsp.OCSPResponseBuilder.build_unsuccessful(
                ocsp.OCSPResponseStatus.UNAUTHORIZED
            )
            return failure.public_bytes(serialization.Encoding.DER)
        now = timezone.now().replace(microsecond=0)
        nonce = any(isinstance(e.value, x509.OCSPNonce) for e in request.extensions)
        key = ("ocsp", request.serial_number)
        reused = None if nonce else self._reuse(key, now)
        if reused is not None:
            return reused
        revoked_at = authority.revoked.get(request.serial_number)
        # The delegated responder is issued by the intermediate; a CA without a delegate signs
        # its own answers (RFC 6960 §4.2.2.2).
        delegated = self.ocsp_certificate.issuer == authority.certificate.subject
        responder = self.ocsp_certificate if delegated else authority.certificate
        responder_key = self.ocsp_key if delegated else authority.key
        builder = ocsp.OCSPResponseBuilder().add_response_by_hash(
            issuer_name_hash=request.issuer_name_hash,
            issuer_key_hash=request.issuer_key_hash,
            serial_number=request.serial_number,
            algorithm=request.hash_algorithm,
            cert_status=ocsp.OCSPCertStatus.REVOKED if revoked_at else ocsp.OCSPCertStatus.GOOD,
            this_update=now,
            next_update=now + OCSP_LIFETIME,
            revocation_time=revoked_at,
            revocation_reason=x509.ReasonFlags.key_compromise if revoked_at else None,
        )
        builder = builder.responder_id(ocsp.OCSPResponderEncoding.HASH, responder)
        if delegated:
            builder = builder.certificates([responder])
        for extension in request.extensions:
            if isinstance(extension.value, x509.OCSPNonce):
                builder = builder.add_extension(extension.value, critical=False)
        der = builder.sign(responder_key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)
        if not nonce:
            self._issued[key] = (now, der)
        return der

    def _authority_for(self, request: ocsp.OCSPRequest) -> Authority | None:
        for authority in self.authorities.values():
            public = authority.certificate.public_key().public_bytes(
                serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
            )
            bits = asn1_keys.PublicKeyInfo.load(public)["public_key"].contents[1:]
            digest = hashlib.new(request.hash_algorithm.name, bits).digest()
            if digest == request.issuer_key_hash:
                return authority
        return None

    # -- RFC 5280 CRL ------------------------------------------------------------------------
    def _crl(self, authority: Authority) -> bytes:
        now = timezone.now().replace(microsecond=0)
        key = ("crl", authority.certificate.serial_number)
        reused = self._reuse(key, now)
        if reused is not None:
            return reused
        builder = (
            x509.CertificateRevocationListBuilder()
            .issuer_name(authority.certificate.subject)
            .last_update(now - dt.timedelta(minutes=1))
            .next_update(now + CRL_LIFETIME)
            .add_extension(x509.CRLNumber(int(now.timestamp())), critical=False)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(authority.key.public_key()),
                critical=False,
            )
        )
        for serial, when in authority.revoked.items():
            builder = builder.add_revoked_certificate(
                x509.RevokedCertificateBuilder()
                .serial_number(serial)
                .revocation_date(when)
                .add_extension(x509.CRLReason(x509.ReasonFlags.key_compromise), critical=False)
                .build()
            )
        der = builder.sign(authority.key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)
        self._issued[key] = (now, der)
        return der

"""A remote signing service speaking the Cloud Signature Consortium API v2, for tests and local
trials, where the signer confirms each request on a (simulated) phone.

Service authorization: ``POST /oauth2/token`` with the client-credentials grant gives a bearer
token; the user is named by ``userID`` in ``credentials/list``. Each credential declares
``auth.mode = "explicit"`` with no authentication objects and ``SCAL = "2"``:
``credentials/authorize`` binds the hashes and answers HTTP 202 with a ``handle`` (the request
is pushed to the phone); ``credentials/authorizeCheck`` answers 202 while the phone has not
answered, 200 with the SAD once approved, ``access_denied`` if declined and ``expired_token``
when nobody answered within ``authorization_timeout`` seconds.

The simulated phone: ``GET /csc/sim/requests`` lists pending requests,
``POST /csc/sim/requests/<handle>/approve`` and ``…/decline`` answer one. The same from
Python: :meth:`CscSimulator.pending`, :meth:`CscSimulator.phone_answer`, or
``simulator.auto_answer = "approve"`` for tests that only need a signature. For a person
trying the demo, ``GET /csc/sim/phone`` is the phone's screen in a browser (Vietnamese, the
provider's app being Vietnamese): the pending requests with "Đồng ý ký" / "Từ chối" buttons.

Keys and certificates come from :func:`credential_material` only.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import html
import json
import secrets
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa, utils
from cryptography.x509.oid import NameOID
from django.utils import timezone

from egov.contrib.csc import protocol
from egov.contrib.simulation import HttpSimulator

PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey
PREFIX = "/csc/v2/"
PHONE_PREFIX = "/csc/sim/requests"
PHONE_PAGE = "/csc/sim/phone"


@dataclass(frozen=True)
class CredentialMaterial:
    private_key: PrivateKey
    chain: tuple[x509.Certificate, ...]  # the signer's certificate first, the root last

    @property
    def root(self) -> x509.Certificate:
        return self.chain[-1]


@dataclass(frozen=True)
class IssuingAuthority:
    """A CA that issues a simulated credential's certificate, handed in by the caller — e.g.
    the development PKI's issuing CA (``egov.signing.pki.DevPki.csc_issuer``), so that what
    the simulator signs validates against the development trust roots. This adapter sits
    below ``egov.signing`` and never imports it."""

    certificate: x509.Certificate
    private_key: PrivateKey
    chain: tuple[x509.Certificate, ...] = ()  # the CA's own issuers, up to the root
    ocsp_url: str | None = None
    crl_url: str | None = None
    ca_issuers_url: str | None = None


def _throwaway_root(now: dt.datetime) -> IssuingAuthority:
    root_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    root_name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "egov simulator"),
            x509.NameAttribute(NameOID.COMMON_NAME, "egov CSC simulator root CA"),
        ]
    )
    root = (
        x509.CertificateBuilder()
        .subject_name(root_name)
        .issuer_name(root_name)
        .public_key(root_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(root_key.public_key()), False)
        .sign(root_key, hashes.SHA256())
    )
    return IssuingAuthority(certificate=root, private_key=root_key)


def credential_material(
    *,
    common_name: str,
    key_type: str = "rsa",
    organisation: str | None = None,
    issuer: IssuingAuthority | None = None,
) -> CredentialMaterial:
    """Where a simulated credential's key and certificate chain come from (the only place).

    With ``issuer``, the certificate is issued by that CA, with its OCSP, CRL and caIssuers
    URLs (a development-PKI certificate that validates like the others, B-LT included).
    Without, a throwaway root CA made here in memory (nothing is written to disk)."""
    now = timezone.now()
    authority = issuer or _throwaway_root(now)
    key: PrivateKey = (
        rsa.generate_private_key(public_exponent=65537, key_size=2048)
        if key_type == "rsa"
        else ec.generate_private_key(ec.SECP256R1())
    )
    subject = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")]
    if organisation:
        subject.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation))
    subject.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name))
    builder = (
        x509.CertificateBuilder()
        .subject_name(x509.Name(subject))
        .issuer_name(authority.certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(now + dt.timedelta(days=90))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(authority.private_key.public_key()),
            False,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
    )
    access = [
        x509.AccessDescription(oid, x509.UniformResourceIdentifier(url))
        for oid, url in (
            (x509.oid.AuthorityInformationAccessOID.OCSP, authority.ocsp_url),
            (x509.oid.AuthorityInformationAccessOID.CA_ISSUERS, authority.ca_issuers_url),
        )
        if url
    ]
    if access:
        builder = builder.add_extension(x509.AuthorityInformationAccess(access), False)
    if authority.crl_url:
        point = x509.DistributionPoint(
            [x509.UniformResourceIdentifier(authority.crl_url)], None, None, None
        )
        builder = builder.add_extension(x509.CRLDistributionPoints([point]), False)
    leaf = builder.sign(authority.private_key, hashes.SHA256())
    return CredentialMaterial(
        private_key=key, chain=(leaf, authority.certificate, *authority.chain)
    )


@dataclass
class SimulatedCredential:
    credential_id: str
    user_id: str
    material: CredentialMaterial
    multisign: int = 1
    enabled: bool = True

    @property
    def sign_algos(self) -> tuple[str, ...]:
        if isinstance(self.material.private_key, rsa.RSAPrivateKey):
            return protocol.RSA_SIGN_ALGOS
        return protocol.EC_SIGN_ALGOS


@dataclass
class PhoneRequest:
    """One authorization pushed to the signer's phone."""

    handle: str
    credential_id: str
    user_id: str
    hashes: frozenset[bytes]
    num_signatures: int
    description: str
    deadline: float
    answer: str = ""  # "" (pending), "approve" or "decline"


@dataclass
class Activation:
    """Signature Activation Data: which hashes it lets sign, how often, until when."""

    credential_id: str
    hashes: frozenset[bytes]
    remaining: int
    expires: float
    signed: list[bytes] = field(default_factory=list)


class CscError(Exception):
    def __init__(self, status: int, error: str, description: str) -> None:
        super().__init__(description)
        self.status, self.error, self.description = status, error, description


def _bad(description: str) -> CscError:
    return CscError(400, "invalid_request", description)


class CscSimulator(HttpSimulator):
    def __init__(
        self,
        *,
        client_id: str = "egov-csc-client",
        client_secret: str = "egov-csc-secret-not-for-production",  # noqa: S107 (simulator)
        authorization_timeout: float = 120.0,
        sad_lifetime: int = 300,
        token_lifetime: int = 3600,
    ) -> None:
        super().__init__()
        self.client_id, self.client_secret = client_id, client_secret
        self.authorization_timeout = authorization_timeout
        self.sad_lifetime, self.token_lifetime = sad_lifetime, token_lifetime
        self.down = False  # True: every call answers HTTP 503
        # "approve" or "decline": the phone answers every request by itself, at the first
        # credentials/authorizeCheck (so clients still see one HTTP 202); None: tests answer.
        self.auto_answer: str | None = None
        self.credentials: dict[str, SimulatedCredential] = {}
        self.requests: dict[str, PhoneRequest] = {}
        self.activations: dict[str, Activation] = {}
        self.tokens: dict[str, float] = {}
        self._lock = threading.Lock()

    @property
    def csc_url(self) -> str:
        """The base URI a client is configured with (``EGOV_CSC_BASE_URL``)."""
        return f"{self.base_url}/csc/v2"

    def add_credential(
        self,
        user_id: str,
        *,
        material: CredentialMaterial,
        credential_id: str | None = None,
        multisign: int = 1,
    ) -> SimulatedCredential:
        credential = SimulatedCredential(
            credential_id=credential_id or f"CRED-{secrets.token_hex(6).upper()}",
            user_id=user_id,
            material=material,
            multisign=multisign,
        )
        with self._lock:
            self.credentials[credential.credential_id] = credential
        return credential

    # --- the simulated phone --------------------------------------------------------------
    def pending(self) -> list[PhoneRequest]:
        with self._lock:
            now = time.monotonic()
            return [r for r in self.requests.values() if not r.answer and r.deadline > now]

    def phone_answer(self, handle: str, decision: str) -> None:
        if decision not in ("approve", "decline"):
            raise ValueError(decision)
        with self._lock:
            request = self.requests.get(handle)
            if request is None or request.answer or request.deadline <= time.monotonic():
                raise KeyError(handle)
            request.answer = decision

    # --- HTTP -----------------------------------------------------------------------------
    def handle_get(self, handler: BaseHTTPRequestHandler) -> None:
        if urllib.parse.urlsplit(handler.path).path.rstrip("/") == PHONE_PAGE:
            self._phone_page(handler)
            return
        if handler.path.rstrip("/") != PHONE_PREFIX:
            self.answer(
                handler, 404, {"error": "invalid_request", "error_description": "Not found"}
            )
            return
        listed = [
            {
                "handle": r.handle,
                "credentialID": r.credential_id,
                "userID": r.user_id,
                "description": r.description,
                "numSignatures": r.num_signatures,
            }
            for r in self.pending()
        ]
        self.answer(handler, 200, {"requests": listed})

    def handle_post(self, handler: BaseHTTPRequestHandler) -> None:
        body = self.body(handler)
        path = urllib.parse.urlsplit(handler.path).path
        if path.startswith(PHONE_PAGE + "/"):
            self._phone_button(handler, path)
            return
        try:
            if self.down:
                raise CscError(503, "temporarily_unavailable", "Service unavailable")
            if path.startswith(PHONE_PREFIX + "/"):
                status, answer = self._phone(path)
            elif path == "/oauth2/token":
                status, answer = 200, self._token(handler, body)
            elif path.startswith(PREFIX):
                status, answer = self._api(handler, path.removeprefix(PREFIX), body)
            else:
                raise CscError(404, "invalid_request", "Unknown method")
        except CscError as exc:
            self.answer(
                handler, exc.status, {"error": exc.error, "error_description": exc.description}
            )
            return
        self.answer(handler, status, answer)

    # --- the phone's screen, for a person ----------------------------------------------------
    def _phone_page(self, handler: BaseHTTPRequestHandler) -> None:
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(handler.path).query)
        notice = {
            "approve": "Đã đồng ý ký.",
            "decline": "Đã từ chối.",
            "gone": "Yêu cầu này không còn chờ xác nhận (đã trả lời hoặc đã hết hạn).",
        }.get((query.get("ket-qua") or [""])[0], "")
        now = time.monotonic()
        items = []
        for request in self.pending():
            handle = urllib.parse.quote(request.handle, safe="")
            items.append(
                "<li><p><strong>{description}</strong></p>"
                "<p>Người ký: {user} · chứng thư {credential} · {count} chữ ký · "
                "còn {left} giây</p>"
                '<form method="post" action="{page}/{handle}/approve">'
                '<button type="submit">Đồng ý ký</button></form> '
                '<form method="post" action="{page}/{handle}/decline">'
                '<button type="submit">Từ chối</button></form></li>'.format(
                    description=html.escape(request.description or "Yêu cầu ký số"),
                    user=html.escape(request.user_id),
                    credential=html.escape(request.credential_id),
                    count=request.num_signatures,
                    left=max(0, int(request.deadline - now)),
                    page=PHONE_PAGE,
                    handle=handle,
                )
            )
        listing = "<ul>" + "".join(items) + "</ul>" if items else "<p>Không có yêu cầu nào.</p>"
        page = (
            '<!doctype html><html lang="vi"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            '<meta http-equiv="refresh" content="3">'
            "<title>Điện thoại mô phỏng – ký số từ xa</title></head><body><main>"
            "<h1>Điện thoại mô phỏng – ký số từ xa</h1>"
            "<p>Dịch vụ ký số từ xa mô phỏng (chỉ dùng thử, không phải dịch vụ thật). Trang tự "
            "cập nhật mỗi 3 giây.</p>"
            + (f'<p role="status">{html.escape(notice)}</p>' if notice else "")
            + "<h2>Yêu cầu chờ xác nhận</h2>"
            + listing
            + "</main></body></html>"
        ).encode("utf-8")
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        handler.send_header("Content-Length", str(len(page)))
        handler.end_headers()
        handler.wfile.write(page)

    def _phone_button(self, handler: BaseHTTPRequestHandler, path: str) -> None:
        parts = path.removeprefix(PHONE_PAGE + "/").split("/")
        outcome = "gone"
        if len(parts) == 2 and parts[1] in ("approve", "decline"):
            try:
                self.phone_answer(urllib.parse.unquote(parts[0]), parts[1])
                outcome = parts[1]
            except KeyError:
                pass
        handler.send_response(303)
        handler.send_header("Location", f"{PHONE_PAGE}?ket-qua={outcome}")
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    def _phone(self, path: str) -> tuple[int, dict[str, Any]]:
        parts = path.removeprefix(PHONE_PREFIX + "/").split("/")
        if len(parts) != 2 or parts[1] not in ("approve", "decline"):
            raise CscError(404, "invalid_request", "Unknown phone action")
        try:
            self.phone_answer(parts[0], parts[1])
        except KeyError:
            raise CscError(404, "invalid_request", "No pending request with this handle") from None
        return 200, {"handle": parts[0], "answer": parts[1]}

    def _token(self, handler: BaseHTTPRequestHandler, body: bytes) -> dict[str, Any]:
        content_type = handler.headers.get("Content-Type", "")
        if content_type.startswith("application/json"):
            params = {k: str(v) for k, v in _json(body).items()}
        else:
            params = dict(urllib.parse.parse_qsl(body.decode("utf-8", "replace")))
        for name in ("client_id", "grant_type"):
            if not params.get(name):
                raise _bad(f"Missing parameter {name}")
        if params["grant_type"] != "client_credentials":  # the only grant simulated
            raise _bad("Invalid parameter grant_type")
        if params["client_id"] != self.client_id:
            raise _bad("Invalid parameter client_id")
        if not params.get("client_secret"):
            raise _bad("Client authorization required")
        if not secrets.compare_digest(params["client_secret"], self.client_secret):
            raise _bad("Invalid parameter client_secret")
        token = secrets.token_urlsafe(24)
        with self._lock:
            self.tokens[token] = time.monotonic() + self.token_lifetime
        return {"access_token": token, "token_type": "Bearer", "expires_in": self.token_lifetime}

    def _api(
        self, handler: BaseHTTPRequestHandler, method: str, body: bytes
    ) -> tuple[int, dict[str, Any]]:
        if method == "info":
            return 200, self._info()
        self._check_token(handler.headers.get("Authorization", ""))
        params = _json(body)
        if method == "credentials/list":
            return 200, self._list(params)
        if method == "credentials/info":
            return 200, self._credential_info(self._credential(params), params)
        if method == "credentials/authorize":
            return 202, self._authorize(params)
        if method == "credentials/authorizeCheck":
            return self._authorize_check(params)
        if method == "signatures/signHash":
            return 200, self._sign_hash(params)
        raise CscError(404, "invalid_request", "Unknown method")

    def _check_token(self, header: str) -> None:
        scheme, _, token = header.partition(" ")
        if scheme != "Bearer" or not token:
            raise CscError(400, "invalid_request", "Malformed authorization header")
        with self._lock:
            expires = self.tokens.get(token, 0.0)
        if expires <= time.monotonic():
            raise CscError(401, "invalid_token", "The access token is invalid or expired")

    def _info(self) -> dict[str, Any]:
        return {
            "specs": "2.0.0.2",
            "name": "egov CSC simulator",
            "logo": f"{self.base_url}/logo.png",
            "region": "VN",
            "lang": "vi-VN",
            "description": "Dịch vụ ký số từ xa mô phỏng (xác nhận trên điện thoại)",
            "authType": ["oauth2client"],
            "oauth2": self.base_url,
            "methods": [
                "credentials/list",
                "credentials/info",
                "credentials/authorize",
                "credentials/authorizeCheck",
                "signatures/signHash",
            ],
            "asynchronousOperationMode": False,
            "signAlgorithms": {"algos": [*protocol.RSA_SIGN_ALGOS, *protocol.EC_SIGN_ALGOS]},
            # Required by the specification; empty because signatures/signDoc is not offered.
            "signature_formats": {"formats": []},
            "conformance_levels": [],
        }

    def _list(self, params: dict[str, Any]) -> dict[str, Any]:
        user_id = _string(params, "userID")
        with self._lock:
            owned = [c for c in self.credentials.values() if c.user_id == user_id]
        answer: dict[str, Any] = {"credentialIDs": [c.credential_id for c in owned]}
        if params.get("credentialInfo") is True:
            answer["credentialInfos"] = [
                {"credentialID": c.credential_id, **self._credential_info(c, params)} for c in owned
            ]
        return answer

    def _credential(self, params: dict[str, Any]) -> SimulatedCredential:
        credential_id = _string(params, "credentialID")
        with self._lock:
            credential = self.credentials.get(credential_id)
        if credential is None:
            raise _bad("Invalid parameter credentialID")
        return credential

    def _credential_info(
        self, credential: SimulatedCredential, params: dict[str, Any]
    ) -> dict[str, Any]:
        which = params.get("certificates", "single")
        if which not in ("none", "single", "chain"):
            raise _bad("Invalid parameter certificates")
        chain = credential.material.chain
        shown = {"none": (), "single": chain[:1], "chain": chain}[which]
        leaf = chain[0]
        key = credential.material.private_key
        cert: dict[str, Any] = {
            "status": "valid",
            "certificates": [
                base64.b64encode(c.public_bytes(serialization.Encoding.DER)).decode() for c in shown
            ],
        }
        if params.get("certInfo") is True:
            cert |= {
                "issuerDN": leaf.issuer.rfc4514_string(),
                "subjectDN": leaf.subject.rfc4514_string(),
                "serialNumber": format(leaf.serial_number, "X"),
                "validFrom": leaf.not_valid_before_utc.strftime("%Y%m%d%H%M%SZ"),
                "validTo": leaf.not_valid_after_utc.strftime("%Y%m%d%H%M%SZ"),
            }
        return {
            "key": {
                "status": "enabled" if credential.enabled else "disabled",
                "algo": list(credential.sign_algos),
                "len": key.key_size,
            },
            "cert": cert,
            # Confirmation happens on the phone: nothing for the signing application to collect.
            "auth": {"mode": "explicit", "objects": []},
            "SCAL": "2",
            "multisign": credential.multisign,
            "lang": "vi-VN",
        }

    def _authorize(self, params: dict[str, Any]) -> dict[str, Any]:
        credential = self._credential(params)
        if not credential.enabled:
            raise _bad("The credential identified by credentialID is disabled")
        count = params.get("numSignatures")
        if not isinstance(count, int) or isinstance(count, bool):
            raise _bad("Missing (or invalid type) integer parameter numSignatures")
        if count < 1:
            raise _bad("Invalid value for parameter numSignatures")
        if count > credential.multisign:
            raise _bad("Numbers of signatures is too high")
        algorithm = _string(params, "hashAlgorithmOID")
        if algorithm not in protocol.DIGESTS:
            raise _bad("Invalid parameter hashAlgorithmOID")
        digests = _hashes(params, protocol.DIGESTS[algorithm][1])  # SCAL 2: hashes are bound
        if len(digests) > count:
            raise _bad("Numbers of signatures is too high")
        description = params.get("description", "")
        if not isinstance(description, str) or len(description) > 500:
            raise _bad("Invalid parameter description")
        request = PhoneRequest(
            handle=secrets.token_urlsafe(18),
            credential_id=credential.credential_id,
            user_id=credential.user_id,
            hashes=frozenset(digests),
            num_signatures=count,
            description=description,
            deadline=time.monotonic() + self.authorization_timeout,
        )
        with self._lock:
            self.requests[request.handle] = request
        return {"handle": request.handle}

    def _authorize_check(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        handle = _string(params, "handle")
        with self._lock:
            request = self.requests.get(handle)
            if request is None:
                raise _bad("Invalid parameter handle")
            if not request.answer and self.auto_answer and request.deadline > time.monotonic():
                request.answer = self.auto_answer
                return 202, {"handle": handle}
            if request.answer == "decline":
                del self.requests[handle]
                raise CscError(400, protocol.ERROR_DECLINED, "The user declined the request")
            if request.answer == "approve":
                del self.requests[handle]
                sad = secrets.token_urlsafe(32)
                self.activations[sad] = Activation(
                    credential_id=request.credential_id,
                    hashes=request.hashes,
                    remaining=request.num_signatures,
                    expires=time.monotonic() + self.sad_lifetime,
                )
                return 200, {"SAD": sad, "expiresIn": self.sad_lifetime}
            if request.deadline <= time.monotonic():
                del self.requests[handle]
                raise CscError(400, protocol.ERROR_EXPIRED, "The authorization request expired")
        return 202, {"handle": handle}

    def _sign_hash(self, params: dict[str, Any]) -> dict[str, Any]:
        credential = self._credential(params)
        sad = _string(params, "SAD")
        sign_algo = _string(params, "signAlgo")
        if sign_algo not in credential.sign_algos:
            raise _bad("Invalid parameter signAlgo")
        if sign_algo == protocol.RSA_ENCRYPTION:
            algorithm = _string(params, "hashAlgorithmOID")
            if algorithm not in protocol.DIGESTS:
                raise _bad("Invalid parameter hashAlgorithmOID")
            digest_name = protocol.DIGESTS[algorithm][0]
        else:
            digest_name = protocol.SIGN_ALGO_DIGESTS[sign_algo]
        length = protocol.DIGESTS[protocol.DIGEST_OIDS[digest_name]][1]
        digests = _hashes(params, length)
        with self._lock:
            activation = self.activations.get(sad)
            if activation is None or activation.credential_id != credential.credential_id:
                raise _bad("Invalid parameter SAD")
            if activation.expires <= time.monotonic():
                del self.activations[sad]
                raise _bad("SAD expired")
            if not set(digests) <= activation.hashes:
                raise _bad("Hash is not authorized by the SAD")
            if len(digests) > activation.remaining:
                raise _bad("Invalid parameter SAD")
            activation.remaining -= len(digests)
            if activation.remaining == 0:
                del self.activations[sad]
        key = credential.material.private_key
        prehashed = utils.Prehashed(protocol.hash_algorithm(digest_name))
        signatures = [
            key.sign(d, padding.PKCS1v15(), prehashed)
            if isinstance(key, rsa.RSAPrivateKey)
            else key.sign(d, ec.ECDSA(prehashed))
            for d in digests
        ]
        return {"signatures": [base64.b64encode(s).decode() for s in signatures]}


def _json(body: bytes) -> dict[str, Any]:
    try:
        params = json.loads(body.decode("utf-8") or "{}")
    except ValueError:
        raise _bad("The request body is not JSON") from None
    if not isinstance(params, dict):
        raise _bad("The request body is not a JSON object")
    return params


def _string(params: dict[str, Any], name: str) -> str:
    value = params.get(name)
    if not isinstance(value, str) or not value:
        raise _bad(f"Missing (or invalid type) string parameter {name}")
    return value


def _hashes(params: dict[str, Any], length: int) -> list[bytes]:
    values = params.get("hashes")
    if not isinstance(values, list):
        raise _bad("Missing (or invalid type) array parameter hashes")
    if not values:
        raise _bad("Empty hash array")
    digests = []
    for value in values:
        try:
            digest = base64.b64decode(value, validate=True) if isinstance(value, str) else None
        except (binascii.Error, ValueError):
            digest = None
        if digest is None:
            raise _bad("Invalid Base64 hash string parameter")
        if len(digest) != length:
            raise _bad("Invalid digest value length")
        digests.append(digest)
    return digests

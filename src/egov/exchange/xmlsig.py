"""XML-DSig of edXML packages (W3C XML Signature, enveloped, as in the SDK sample of the
national axis: research notes documents-and-signatures.md §2.2 [S: EDXML-SAMPLE]).

Signing: one ``ds:Signature`` inside ``edXMLHeader`` whose single Reference (``URI=""``) covers
the whole package (header, body and the AttachmentEncoded files) minus the signature itself;
RSA-SHA256 with SHA-256 digests (the sample uses RSA-SHA1; whether newer axis versions require
SHA-256 is unconfirmed, notes §5.2 — SHA-1 is refused by default here); canonical XML 1.0; the
agency certificate and its intermediates in ``KeyInfo/X509Data``. RSA PKCS#1 v1.5 is
deterministic, so a fixed key and fixed content give the same bytes (the golden tests).

Verifying: the signature must sit where the builder puts it and cover the whole document; the
certificate must chain to a configured trust root (``EGOV_EXCHANGE_TRUST_ROOTS``, by default
the roots of egov.signing; never the operating system's store), be valid now and allow digital
signatures. Only the verified content is read afterwards ("see what is signed"). Revocation
(OCSP/CRL) of the agency certificate is not checked here (docs/exchange.md).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509 import verification
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.translation import gettext as _
from lxml import etree
from signxml.algorithms import CanonicalizationMethod, DigestAlgorithm, SignatureMethod
from signxml.exceptions import InvalidCertificate, InvalidDigest, InvalidInput, InvalidSignature
from signxml.signer import XMLSigner
from signxml.util import X509CertChainVerifier
from signxml.verifier import SignatureConfiguration, VerifyResult, XMLVerifier

from egov.exchange.errors import MalformedPackage, SignatureInvalid, UntrustedCertificate

DS = "http://www.w3.org/2000/09/xmldsig#"


@dataclass(frozen=True)
class PackageSigner:
    """The agency's key and certificate (with its intermediates, for the receiver's chain)."""

    key: rsa.RSAPrivateKey
    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...] = ()

    @classmethod
    def from_pkcs12(cls, data: bytes, passphrase: bytes) -> PackageSigner:
        loaded = pkcs12.load_pkcs12(data, passphrase)
        if not isinstance(loaded.key, rsa.RSAPrivateKey) or loaded.cert is None:
            raise ImproperlyConfigured("The PKCS#12 file must hold an RSA key and its certificate")
        chain = tuple(c.certificate for c in loaded.additional_certs)
        return cls(key=loaded.key, certificate=loaded.cert.certificate, chain=chain)


def agency_package_signer(unit_code: str) -> PackageSigner:
    """The signer of the agency with this unit code (mã định danh): the same PKCS#12 files as
    its PDF seal signature (``EGOV_SIGNING_AGENCY_KEYS_DIR/<code>.p12``); outside production
    the development PKI's agency certificate. A key on a PKCS#11 token is not supported for
    XML signatures yet."""
    passphrase = settings.EGOV_SIGNING_PKCS12_PASSPHRASE.encode()
    if settings.EGOV_SIGNING_AGENCY_KEYS_DIR:
        path = Path(settings.EGOV_SIGNING_AGENCY_KEYS_DIR) / f"{unit_code}.p12"
        if path.exists():
            return PackageSigner.from_pkcs12(path.read_bytes(), passphrase)
    if settings.IS_PRODUCTION:
        raise ImproperlyConfigured(f"No XML signing key configured for unit {unit_code}")
    from egov.signing.trust import dev_pki

    return PackageSigner.from_pkcs12(dev_pki().pkcs12_path("agency").read_bytes(), passphrase)


@dataclass(frozen=True)
class TrustStore:
    """The roots a package's certificate must chain to, extra intermediates, and the moment
    of validation (None: now)."""

    roots: tuple[x509.Certificate, ...]
    intermediates: tuple[x509.Certificate, ...] = ()
    at: dt.datetime | None = None

    @classmethod
    def from_files(
        cls, roots: list[str] | tuple[str, ...], intermediates: list[str] | tuple[str, ...] = ()
    ) -> TrustStore:
        return cls(roots=_read_certificates(roots), intermediates=_read_certificates(intermediates))

    @classmethod
    def from_settings(cls) -> TrustStore:
        """``EGOV_EXCHANGE_TRUST_ROOTS`` / ``EGOV_EXCHANGE_INTERMEDIATES``; empty: the roots of
        egov.signing (``EGOV_SIGNING_TRUST_ROOTS``, the development PKI outside production)."""
        roots = list(settings.EGOV_EXCHANGE_TRUST_ROOTS)
        intermediates = list(settings.EGOV_EXCHANGE_INTERMEDIATES)
        if not roots:
            roots = list(settings.EGOV_SIGNING_TRUST_ROOTS)
            intermediates = intermediates or list(settings.EGOV_SIGNING_INTERMEDIATES)
        if not roots and not settings.IS_PRODUCTION:
            from egov.signing.trust import dev_pki

            pki = dev_pki()
            roots, intermediates = [str(pki.root_path)], [str(pki.intermediate_path)]
        if not roots:
            raise ImproperlyConfigured("EGOV_EXCHANGE_TRUST_ROOTS must name at least one root")
        return cls.from_files(roots, intermediates)


def _read_certificates(paths: list[str] | tuple[str, ...]) -> tuple[x509.Certificate, ...]:
    found: list[x509.Certificate] = []
    for path in paths:
        try:
            data = Path(path).read_bytes()
            if b"-----BEGIN" in data:
                found.extend(x509.load_pem_x509_certificates(data))
            else:
                found.append(x509.load_der_x509_certificate(data))
        except (OSError, ValueError) as exc:
            raise ImproperlyConfigured(f"Certificate file {path} cannot be read: {exc}") from None
    return tuple(found)


def safe_parser() -> etree.XMLParser:
    """No entities, no network, no DTD; big text nodes allowed (base64 attachments), the
    package size being capped before parsing."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=True,
        remove_comments=False,
    )


def parse_xml(data: bytes) -> etree._Element:
    """The root of a received package, or :class:`MalformedPackage`."""
    limit = settings.EGOV_EXCHANGE_PACKAGE_MAX_MB * 1024 * 1024
    if len(data) > limit:
        raise MalformedPackage(
            _("Gói tin lớn hơn %(mb)s MB.") % {"mb": settings.EGOV_EXCHANGE_PACKAGE_MAX_MB}
        )
    try:
        root = etree.fromstring(data, parser=safe_parser())
    except (etree.XMLSyntaxError, ValueError):
        raise MalformedPackage(_("Gói tin không phải là XML hợp lệ.")) from None
    if root.getroottree().docinfo.doctype:
        raise MalformedPackage(_("Gói tin không được chứa khai báo DOCTYPE."))
    return root


def sign_tree(root: etree._Element, *, signer: PackageSigner, parent: etree._Element) -> bytes:
    """Sign ``root`` (enveloped, the signature as the last child of ``parent``) and serialise
    it as UTF-8 with an XML declaration."""
    etree.SubElement(parent, f"{{{DS}}}Signature", Id="placeholder", nsmap={"ds": DS})
    # Indented with the placeholder in place: the signature gets its own line.
    etree.indent(root, space="  ")
    xml_signer = _Signer(
        signature_algorithm=SignatureMethod.RSA_SHA256,
        digest_algorithm=DigestAlgorithm.SHA256,
        c14n_algorithm=CanonicalizationMethod.CANONICAL_XML_1_0,
    )
    # signxml's type hints stop at its public surface; the element it returns is lxml's.
    signed = cast(
        etree._Element,
        xml_signer.sign(
            root,
            key=signer.key,
            cert=[signer.certificate, *signer.chain],
        ),
    )
    return cast(bytes, etree.tostring(signed, xml_declaration=True, encoding="UTF-8"))


class _Signer(XMLSigner):
    """signxml's signer re-parses the document; with our parser, attachments over 10 MB
    (one base64 text node) pass lxml's default limit."""

    @property
    def parser(self) -> Any:
        return safe_parser()


@dataclass(frozen=True)
class VerifiedXml:
    root: etree._Element
    certificate: x509.Certificate


class _ChainVerifier(X509CertChainVerifier):
    """signxml's chain check with our trust store instead of a CA file (public API of
    ``cryptography.x509.verification``): roots, the package's and the configured
    intermediates, the key usage rule of signxml (digitalSignature) for the end entity."""

    def __init__(self, trust: TrustStore, at: dt.datetime) -> None:
        # Sets signxml's default policies; the CA file argument is never read (verify below).
        super().__init__(ca_pem_file="-", verification_time=at)  # type: ignore[no-untyped-call]
        self.trust = trust
        self.leaf: x509.Certificate | None = None

    def verify(self, cert_chain: list[x509.Certificate]) -> x509.Certificate:
        builder = (
            verification.PolicyBuilder()
            .store(verification.Store(list(self.trust.roots)))
            .time(self.verification_time)
            .extension_policies(ee_policy=self.ee_policy, ca_policy=self.ca_policy)
        )
        verifier = builder.build_client_verifier()
        # KeyInfo carries no order (XML-DSig §4.5.4): the leaf is the one that issued nothing.
        issuers = {c.issuer for c in cert_chain}
        leaves = [c for c in cert_chain if c.subject not in issuers] or cert_chain[:1]
        leaf = leaves[0]
        others = [c for c in cert_chain if c is not leaf] + list(self.trust.intermediates)
        try:
            result = verifier.verify(leaf, others)
        except verification.VerificationError as exc:
            raise InvalidCertificate(str(exc)) from None
        self.leaf = result.chain[0]
        return self.leaf


class _Verifier(XMLVerifier):
    def __init__(self, trust: TrustStore) -> None:
        super().__init__()
        self.trust = trust
        self.chain_verifier: _ChainVerifier | None = None

    def get_cert_chain_verifier(self, ca_pem_file: Any, ee_policy: Any, ca_policy: Any) -> Any:
        self.chain_verifier = _ChainVerifier(self.trust, self.trust.at or timezone.now())
        return self.chain_verifier


def verify_tree(data: bytes, *, trust: TrustStore, location: str, root_tag: str) -> VerifiedXml:
    """Verify the enveloped signature at ``location`` (an XPath ending in ``/``) of the package
    ``data`` whose root must be ``root_tag``; the signed document and the signer's
    certificate. Raises :class:`MalformedPackage`, :class:`SignatureInvalid` or
    :class:`UntrustedCertificate`."""
    root = parse_xml(data)
    if root.tag != root_tag:
        raise MalformedPackage(_("Gói tin không phải là gói tin edXML."))
    if root.find(f"{location}{{{DS}}}Signature") is None:
        raise SignatureInvalid(_("Gói tin không có chữ ký số ở vị trí quy định."))
    config = SignatureConfiguration(
        location=location,
        expect_references=1,
        signature_methods=frozenset({SignatureMethod.RSA_SHA256}),
        digest_algorithms=frozenset({DigestAlgorithm.SHA256}),
        verification_time=trust.at,
    )
    verifier = _Verifier(trust)
    try:
        # The bytes, not ``root``: signxml would serialise the tree and parse it again.
        result = verifier.verify(data, expect_config=config, parser=safe_parser())
        assert isinstance(result, VerifyResult)  # one reference expected: one result
    except InvalidCertificate:
        raise UntrustedCertificate(
            _("Chứng thư số ký gói tin không được tin cậy hoặc không còn hiệu lực.")
        ) from None
    except (InvalidDigest, InvalidSignature):
        raise SignatureInvalid(
            _("Chữ ký số của gói tin không hợp lệ: nội dung đã bị thay đổi sau khi ký.")
        ) from None
    except (InvalidInput, ValueError, etree.XMLSyntaxError):
        raise SignatureInvalid(_("Chữ ký số của gói tin không đúng định dạng.")) from None
    # The one reference must be the whole document (URI=""), not a part an attacker chose.
    reference = result.signature_xml.find(f"{{{DS}}}SignedInfo/{{{DS}}}Reference")
    signed = result.signed_xml
    if reference is None or reference.get("URI") != "" or signed is None or signed.tag != root.tag:
        raise SignatureInvalid(_("Chữ ký số không bao trùm toàn bộ gói tin."))
    leaf = verifier.chain_verifier.leaf if verifier.chain_verifier else None
    if leaf is None:  # signxml verified without our chain check: never accepted
        raise UntrustedCertificate(
            _("Chứng thư số ký gói tin không được tin cậy hoặc không còn hiệu lực.")
        )
    return VerifiedXml(root=signed, certificate=leaf)

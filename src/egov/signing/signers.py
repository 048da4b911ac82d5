"""Where signing keys live, behind one interface: a pyHanko ``Signer``.

``sign_pdf`` takes any ``pyhanko.sign.signers.Signer`` whose ``signing_cert`` is set and whose
``cert_registry`` holds the chain to embed (intermediates). Three kinds:

- ``Pkcs12Signer``: a PKCS#12 file, the key loaded once and kept (pyHanko's ``SimpleSigner``
  re-parses the key on every signature, ~30 ms each with ``cryptography``'s checks);
- ``Pkcs11Signer``: a key on a PKCS#11 token or HSM (the agency's key kept by the văn thư,
  NĐ 30/2020/NĐ-CP Điều 32-33), one session kept open;
- a remote signer (Cloud Signature Consortium API, "ký số từ xa", ``egov.contrib.csc``):
  the key stays at the provider and each signature is confirmed on the signer's phone.

Which of them a person signs with is ``personal_signing_method`` (a ``PersonalSigningMethod``
row, else the settings).
"""

from __future__ import annotations

import contextlib
import hashlib
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from asn1crypto import tsp as asn1_tsp
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _
from pkcs11 import Session
from pkcs11 import exceptions as pkcs11_errors
from pyhanko.config.pkcs11 import TokenCriteria
from pyhanko.sign.attributes import (
    CMSAttributeProvider,
    SignedAttributeProviderSpec,
    SigningCertificateV2Provider,
)
from pyhanko.sign.general import SigningError as PyHankoSigningError
from pyhanko.sign.general import as_signing_certificate_v2
from pyhanko.sign.pkcs11 import PKCS11Signer, open_pkcs11_session
from pyhanko.sign.signers import Signer
from pyhanko_certvalidator.registry import SimpleCertificateStore

if TYPE_CHECKING:
    from egov.accounts.models import User
    from egov.contrib.csc.client import CscClient
    from egov.org.models import Unit

_HASHES: dict[str, hashes.HashAlgorithm] = {
    "sha256": hashes.SHA256(),
    "sha384": hashes.SHA384(),
    "sha512": hashes.SHA512(),
}


def _asn1(certificate: object) -> asn1_x509.Certificate:
    from cryptography import x509

    assert isinstance(certificate, x509.Certificate)
    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


class _EncodedSigningCertificate(SigningCertificateV2Provider):
    def __init__(self, signing_cert: asn1_x509.Certificate, encoded: bytes) -> None:
        super().__init__(signing_cert)
        self.encoded = encoded

    async def build_attr_value(self, dry_run: bool = False) -> asn1_tsp.SigningCertificateV2:
        return asn1_tsp.SigningCertificateV2.load(self.encoded)


class _WithEncodedSigningCertificate(SignedAttributeProviderSpec):
    def __init__(self, spec: SignedAttributeProviderSpec, encoded: bytes) -> None:
        self.spec, self.encoded = spec, encoded

    def signed_attr_providers(
        self, data_digest: bytes, digest_algorithm: str
    ) -> Iterator[CMSAttributeProvider]:
        for provider in self.spec.signed_attr_providers(
            data_digest=data_digest, digest_algorithm=digest_algorithm
        ):
            if isinstance(provider, SigningCertificateV2Provider):
                provider = _EncodedSigningCertificate(provider.signing_cert, self.encoded)
            yield provider


class EncodedSigningCertificateMixin(Signer):
    """Signed attributes as pyHanko makes them, but the signing-certificate-v2 attribute
    (RFC 5035: the signer certificate's hash, issuer and serial number) is encoded once per
    signer and handed over parsed. Built afresh for each signature, it cost 20-50 ms: asn1crypto
    re-encodes the copied issuer name over and over while the attribute set is put in DER
    order. The value is the same bytes pyHanko would write.

    Hooks pyHanko's (internal) choice of attribute providers, whatever the signature type
    (PAdES, CAdES or Adobe PKCS#7): pinned pyHanko 0.38."""

    # (the certificate's SHA-256, the attribute value's DER)
    _encoded_signing_certificate: tuple[bytes, bytes] | None = None

    def _signed_attr_provider_spec(
        self,
        attr_settings: Any,
        timestamper: Any = None,
        use_cades: bool = False,
        is_pdf_sig: bool = True,
    ) -> SignedAttributeProviderSpec:
        spec: SignedAttributeProviderSpec = super()._signed_attr_provider_spec(
            attr_settings, timestamper=timestamper, use_cades=use_cades, is_pdf_sig=is_pdf_sig
        )
        certificate = self.signing_cert
        if self.signed_attr_prov_spec is not None or certificate is None:
            return spec
        kept = self._encoded_signing_certificate
        if kept is None or kept[0] != certificate.sha256:
            kept = (certificate.sha256, bytes(as_signing_certificate_v2(certificate).dump()))
            self._encoded_signing_certificate = kept
        return _WithEncodedSigningCertificate(spec, kept[1])


class Pkcs12Signer(EncodedSigningCertificateMixin):
    """A key and certificate chain from a PKCS#12 file, parsed once."""

    def __init__(self, path: Path, passphrase: bytes) -> None:
        try:
            loaded = pkcs12.load_pkcs12(path.read_bytes(), passphrase)
        except (OSError, ValueError) as exc:
            raise ImproperlyConfigured(f"PKCS#12 file {path.name} cannot be read: {exc}") from None
        if loaded.key is None or loaded.cert is None:
            raise ImproperlyConfigured(f"PKCS#12 file {path.name} holds no key or certificate")
        if not isinstance(loaded.key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
            raise ImproperlyConfigured(f"PKCS#12 file {path.name}: only RSA and EC keys")
        self._key = loaded.key
        chain = [_asn1(extra.certificate) for extra in loaded.additional_certs]
        super().__init__(
            signing_cert=_asn1(loaded.cert.certificate),
            cert_registry=SimpleCertificateStore.from_certs(chain),
            embed_roots=True,
        )

    @property
    def signature_size(self) -> int:
        if isinstance(self._key, rsa.RSAPrivateKey):
            return (self._key.key_size + 7) // 8
        return 2 * ((self._key.curve.key_size + 7) // 8) + 9

    async def async_sign_raw(
        self, data: bytes, digest_algorithm: str, dry_run: bool = False
    ) -> bytes:
        if dry_run:
            return bytes(self.signature_size)
        algorithm = _HASHES[digest_algorithm.lower()]
        if isinstance(self._key, rsa.RSAPrivateKey):
            return self._key.sign(data, padding.PKCS1v15(), algorithm)
        return self._key.sign(data, ec.ECDSA(algorithm))


# A session that died under us (token pulled out, HSM restarted, session closed): reopened once.
_SESSION_ERRORS = (
    pkcs11_errors.SessionClosed,
    pkcs11_errors.SessionHandleInvalid,
    pkcs11_errors.DeviceRemoved,
    pkcs11_errors.DeviceError,
    pkcs11_errors.TokenNotPresent,
    pkcs11_errors.UserNotLoggedIn,
)
_PIN_ERRORS = (
    pkcs11_errors.PinIncorrect,
    pkcs11_errors.PinInvalid,
    pkcs11_errors.PinLenRange,
    pkcs11_errors.PinExpired,
    pkcs11_errors.PinLocked,
)
# (module, token, digest of the PIN) refused by a token in this process. Never tried again
# until the configuration changes or the process restarts: a real token locks itself after a
# few wrong PINs, and every request would otherwise spend one.
_refused_pins: set[tuple[str, str, str]] = set()


class Pkcs11Signer(EncodedSigningCertificateMixin, PKCS11Signer):
    """A key on a PKCS#11 token (HSM, USB token; SoftHSM2 in tests). The session is opened
    once and kept for the life of the signer (reopened once if it dies); ``close()`` ends it.
    A wrong PIN raises ``SigningError`` and is not tried again in this process."""

    def __init__(
        self,
        *,
        module: str,
        token_label: str,
        pin: str,
        key_label: str,
        chain: Sequence[asn1_x509.Certificate] = (),
    ) -> None:
        self._module, self._token_label, self._pin = module, token_label, pin
        session = self._open()
        self.session = session
        super().__init__(session, key_label=key_label, cert_label=key_label, ca_chain=list(chain))

    def _open(self) -> Session:
        from egov.signing.services import SigningError

        refusal = (self._module, self._token_label, hashlib.sha256(self._pin.encode()).hexdigest())
        if refusal in _refused_pins:
            raise SigningError(
                _(
                    "Thiết bị lưu khóa đã từ chối mã PIN đã cấu hình; không thử lại để tránh "
                    "khóa thiết bị. Cần sửa cấu hình rồi khởi động lại."
                )
            )
        try:
            return open_pkcs11_session(
                self._module,
                token_criteria=TokenCriteria(label=self._token_label),
                user_pin=self._pin,
            )
        except _PIN_ERRORS as exc:
            _refused_pins.add(refusal)
            raise SigningError(_("Mã PIN của thiết bị lưu khóa (token, HSM) không đúng.")) from exc
        except (pkcs11_errors.PKCS11Error, PyHankoSigningError) as exc:
            raise SigningError(
                _("Không mở được phiên làm việc với thiết bị lưu khóa (token, HSM).")
            ) from exc

    async def async_sign_raw(
        self, data: bytes, digest_algorithm: str, dry_run: bool = False
    ) -> bytes:
        try:
            signature: bytes = await super().async_sign_raw(data, digest_algorithm, dry_run)
        except _SESSION_ERRORS:
            self._reopen()
            signature = await super().async_sign_raw(data, digest_algorithm, dry_run)
        return signature

    def _reopen(self) -> None:
        with contextlib.suppress(pkcs11_errors.PKCS11Error):
            self.session.close()
        self.session = self.pkcs11_session = self._open()
        self._key_handle = self._pull_signing_key_handle()  # type: ignore[no-untyped-call]

    def close(self) -> None:
        self.session.close()


def load_certificates(path: Path) -> list[asn1_x509.Certificate]:
    """Every certificate in a PEM (one or more blocks) or DER file."""
    from asn1crypto import pem

    data = path.read_bytes()
    if pem.detect(data):
        return [asn1_x509.Certificate.load(der) for _, _, der in pem.unarmor(data, multiple=True)]
    return [asn1_x509.Certificate.load(data)]


# Identifies one version of a file: replacing it (a renewed certificate) changes the inode or
# the modification time.
FileStamp = tuple[int, int, int]


def file_stamp(path: Path) -> FileStamp:
    status = path.stat()
    return status.st_ino, status.st_mtime_ns, status.st_size


_kept_signers: dict[Path, tuple[FileStamp, str, Pkcs12Signer]] = {}
_kept_lock = threading.Lock()


def kept_pkcs12_signer(path: Path, passphrase: str) -> Pkcs12Signer:
    """The signer of a PKCS#12 file, its key parsed once (~30 ms) and kept until the file
    changes: a renewed key file is used from the next signature on, without a restart."""
    try:
        stamp = file_stamp(path)
    except OSError as exc:
        raise ImproperlyConfigured(f"PKCS#12 file {path.name} cannot be read: {exc}") from None
    secret = hashlib.sha256(passphrase.encode()).hexdigest()
    with _kept_lock:
        kept = _kept_signers.get(path)
    if kept is not None and kept[:2] == (stamp, secret):
        return kept[2]
    signer = Pkcs12Signer(path, passphrase.encode())
    with _kept_lock:
        _kept_signers[path] = (stamp, secret, signer)
    return signer


def agency_signer_for(unit: Unit) -> Signer:
    """The signer of an agency's seal signature (chữ ký số của cơ quan, tổ chức).

    Configured per unit code: a PKCS#11 token key labelled with the unit code when
    ``EGOV_SIGNING_PKCS11_MODULE`` is set; else ``<EGOV_SIGNING_AGENCY_KEYS_DIR>/<code>.p12``;
    outside production, the development PKI's agency certificate.
    """
    if settings.EGOV_SIGNING_PKCS11_MODULE:
        return _pkcs11_signer(unit.code)
    passphrase = settings.EGOV_SIGNING_PKCS12_PASSPHRASE
    if settings.EGOV_SIGNING_AGENCY_KEYS_DIR:
        path = Path(settings.EGOV_SIGNING_AGENCY_KEYS_DIR) / f"{unit.code}.p12"
        if path.exists():
            return kept_pkcs12_signer(path, passphrase)
    if settings.IS_PRODUCTION:
        raise ImproperlyConfigured(f"No signing key configured for unit {unit.code}")
    from egov.signing.trust import dev_pki

    return kept_pkcs12_signer(dev_pki().pkcs12_path("agency"), passphrase)


@cache
def _pkcs11_signer(key_label: str) -> Pkcs11Signer:
    from egov.signing.trust import other_certificates

    return Pkcs11Signer(
        module=settings.EGOV_SIGNING_PKCS11_MODULE,
        token_label=settings.EGOV_SIGNING_PKCS11_TOKEN,
        pin=settings.EGOV_SIGNING_PKCS11_PIN,
        key_label=key_label,
        chain=other_certificates(),
    )


def _csc_credentials() -> dict[str, str]:
    """``EGOV_CSC_USER_CREDENTIALS``: "username=credentialID" pairs."""
    pairs = (item.partition("=") for item in settings.EGOV_CSC_USER_CREDENTIALS)
    return {name.strip(): credential.strip() for name, _sep, credential in pairs if credential}


@dataclass(frozen=True)
class PersonalMethod:
    """How one person signs: ``method`` is a ``models.SigningMethod`` value; ``credential_id``
    for remote signing, ``key_label`` for a PKCS#11 key."""

    method: str
    credential_id: str = ""
    key_label: str = ""

    @property
    def remote(self) -> bool:
        from egov.signing.models import SigningMethod

        return self.method == SigningMethod.REMOTE


def personal_signing_method(user: User) -> PersonalMethod:
    """How ``user`` makes their personal signature.

    1. Their ``PersonalSigningMethod`` row (set by the administrator), if any.
    2. With a remote signing service configured (``EGOV_CSC_BASE_URL``): remote signing with
       the credential ``EGOV_CSC_USER_CREDENTIALS`` names for their username; a user without
       one gets a ``SigningError`` saying so, unless ``EGOV_CSC_REMOTE_BY_DEFAULT`` is off
       (then the next rules apply to them).
    3. Production: ``SigningError`` (personal keys are never kept on the server).
    4. Development, demo and tests: a PKCS#12 issued to them by the development PKI.
    """
    from egov.signing.models import PersonalSigningMethod, SigningMethod
    from egov.signing.services import SigningError

    record = PersonalSigningMethod.objects.filter(user=user).first()
    if record is not None:
        return PersonalMethod(record.method, record.credential_id, record.key_label)
    if settings.EGOV_CSC_BASE_URL:
        credential = _csc_credentials().get(user.get_username())
        if credential:
            return PersonalMethod(SigningMethod.REMOTE, credential_id=credential)
        if settings.EGOV_CSC_REMOTE_BY_DEFAULT:
            raise SigningError(
                _(
                    "Tài khoản của bạn chưa được gắn chứng thư số trên dịch vụ ký số từ xa; "
                    "đề nghị quản trị hệ thống khai báo."
                )
            )
    if settings.IS_PRODUCTION:
        raise SigningError(_("Hệ thống chưa được cấu hình dịch vụ ký số cá nhân (ký số từ xa)."))
    return PersonalMethod(SigningMethod.SERVER_PKCS12)


def remote_signing_client() -> CscClient:
    """The client of the configured remote signing service; ``SigningError`` when none is."""
    from egov.contrib.csc.client import CscClient, CscError
    from egov.signing.services import SigningError

    try:
        return CscClient.from_settings()
    except CscError as exc:
        raise SigningError(str(exc)) from exc


def personal_signer_for(user: User) -> Signer:
    """The signer of ``user``'s personal signature (chữ ký số của người có thẩm quyền), by
    ``personal_signing_method``: a ``CscSigner`` (every signature confirmed on the signer's
    phone; the caller waits), the PKCS#11 key labelled for them on the configured token, or
    (never in production) their development PKCS#12."""
    from egov.signing.models import SigningMethod
    from egov.signing.services import SigningError

    method = personal_signing_method(user)
    if method.remote:
        from egov.contrib.csc.client import CscError
        from egov.contrib.csc.signer import CscSigner

        try:
            return CscSigner(
                remote_signing_client(),
                method.credential_id,
                description=str(_("Ký số văn bản trên hệ thống egov")),
            )
        except CscError as exc:
            raise SigningError(str(exc)) from exc
    if method.method == SigningMethod.PKCS11:
        if not settings.EGOV_SIGNING_PKCS11_MODULE:
            raise SigningError(_("Máy chủ chưa được cấu hình thiết bị lưu khóa (token, HSM)."))
        return _pkcs11_signer(method.key_label)
    if settings.IS_PRODUCTION:
        raise SigningError(_("Hệ thống chưa được cấu hình dịch vụ ký số cá nhân (ký số từ xa)."))
    from egov.signing.pki import AGENCY_NAME, person_pkcs12
    from egov.signing.trust import dev_pki

    common_name = user.full_name or user.get_username()
    # The certificate names the person: a renamed account (or a test database that reuses
    # the id) gets a certificate of its own, never another person's.
    identity = hashlib.sha256(f"{user.pk}|{user.get_username()}|{common_name}".encode()).hexdigest()
    path = person_pkcs12(
        dev_pki(),
        key_name=f"user-{user.pk}-{identity[:16]}",
        common_name=common_name,
        organisation=AGENCY_NAME,
    )
    return kept_pkcs12_signer(path, settings.EGOV_SIGNING_PKCS12_PASSPHRASE)

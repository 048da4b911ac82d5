"""Development PKI: a throw-away certification hierarchy generated on this machine.

Never used in production and never committed (the directory lives under ``var/``). Built with
``cryptography`` directly rather than certomancer: certomancer needs its keys generated
beforehand and a YAML description, and our loopback services (``egov.contrib.pki``) need the
raw keys anyway; twenty lines of builders per certificate are simpler than a second toolchain.

Layout of the directory (``settings.EGOV_PKI_DIR``, default ``var/pki``)::

    pki.json                 what was generated, when, and the loopback URL baked into the certs
    root.pem  intermediate.pem  untrusted-root.pem       certificates (PEM)
    <name>.key.pem           CA, TSA and OCSP keys (PKCS#8, encrypted with the passphrase)
    <name>.p12               end-entity certificates with their key and chain (PKCS#12)

End entities: ``leader`` (a person), ``agency`` (an organisation), ``revoked``, ``expired``
and ``outsider`` (issued by the untrusted root).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import socket
import tempfile
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.utils import timezone

from egov.contrib.csc.simulator import IssuingAuthority
from egov.contrib.pki.simulator import Authority, TrustServicesSimulator

MANIFEST = "pki.json"
VERSION = 1
LEADER_NAME = "Nguyễn Văn Dũng"
AGENCY_NAME = "UBND tỉnh Quảng Ninh"
END_ENTITIES = ("leader", "agency", "revoked", "expired", "outsider")

# Keys are the slow part (~50 ms each): one set per process, reused by every PKI generated in
# it (the test session builds its PKI once; a second directory reuses the same keys).
_KEYS: dict[str, rsa.RSAPrivateKey] = {}


def _key(name: str) -> rsa.RSAPrivateKey:
    if name not in _KEYS:
        _KEYS[name] = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return _KEYS[name]


@dataclass(frozen=True)
class DevPki:
    directory: Path
    base_url: str
    passphrase: bytes

    @property
    def root_path(self) -> Path:
        return self.directory / "root.pem"

    @property
    def intermediate_path(self) -> Path:
        return self.directory / "intermediate.pem"

    @property
    def untrusted_root_path(self) -> Path:
        return self.directory / "untrusted-root.pem"

    @property
    def tsa_url(self) -> str:
        return f"{self.base_url}/tsa"

    def pkcs12_path(self, name: str) -> Path:
        if name not in END_ENTITIES:
            raise KeyError(name)
        return self.directory / f"{name}.p12"

    def certificate(self, name: str) -> x509.Certificate:
        """A certificate by name: root, intermediate, untrusted-root, tsa, ocsp or an end
        entity."""
        if name in END_ENTITIES:
            loaded = pkcs12.load_pkcs12(self.pkcs12_path(name).read_bytes(), self.passphrase)
            assert loaded.cert is not None
            return loaded.cert.certificate
        return x509.load_pem_x509_certificate((self.directory / f"{name}.pem").read_bytes())

    def private_key(self, name: str) -> rsa.RSAPrivateKey:
        if name in END_ENTITIES:
            loaded = pkcs12.load_pkcs12(self.pkcs12_path(name).read_bytes(), self.passphrase)
            key = loaded.key
        else:
            data = (self.directory / f"{name}.key.pem").read_bytes()
            key = serialization.load_pem_private_key(data, self.passphrase)
        assert isinstance(key, rsa.RSAPrivateKey)
        return key

    def revoked_serials(self) -> dict[int, dt.datetime]:
        manifest = json.loads((self.directory / MANIFEST).read_text(encoding="utf-8"))
        return {
            int(serial): dt.datetime.fromisoformat(when)
            for serial, when in manifest["revoked"].items()
        }

    def csc_issuer(self) -> IssuingAuthority:
        """The issuing CA, for the remote-signing simulator's credentials
        (``egov.contrib.csc.simulator.credential_material(issuer=...)``): what it signs then
        chains to this PKI's root and has OCSP/CRL answers, like a real provider's signer."""
        return IssuingAuthority(
            certificate=self.certificate("intermediate"),
            private_key=self.private_key("intermediate"),
            chain=(self.certificate("root"),),
            ocsp_url=f"{self.base_url}/ocsp",
            crl_url=f"{self.base_url}/crl/intermediate.crl",
            ca_issuers_url=f"{self.base_url}/certs/intermediate.cer",
        )

    def services(self) -> TrustServicesSimulator:
        """The loopback TSA, OCSP responder and CRL distribution point of this PKI (not
        started). It listens on the port baked into the certificates' URLs."""
        port = int(self.base_url.rsplit(":", 1)[1])
        revoked = self.revoked_serials()
        return TrustServicesSimulator(
            port=port,
            tsa_certificate=self.certificate("tsa"),
            tsa_key=self.private_key("tsa"),
            ocsp_certificate=self.certificate("ocsp"),
            ocsp_key=self.private_key("ocsp"),
            authorities={
                "root": Authority(self.certificate("root"), self.private_key("root"), {}),
                "intermediate": Authority(
                    self.certificate("intermediate"), self.private_key("intermediate"), revoked
                ),
            },
        )


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def ensure_dev_pki(directory: Path, *, passphrase: str | None = None) -> DevPki:
    """The development PKI in ``directory``: loaded when it exists, generated otherwise
    (idempotent; a half-written directory from an interrupted run is replaced)."""
    secret = (passphrase if passphrase is not None else _configured_passphrase()).encode()
    manifest_path = directory / MANIFEST
    if manifest_path.exists():
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        if manifest.get("version") == VERSION:
            return DevPki(directory, manifest["base_url"], secret)
    directory.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".pki-", dir=directory.parent))
    try:
        _generate(staging, secret, f"http://127.0.0.1:{_free_port()}")
        if directory.exists():
            shutil.rmtree(directory)
        staging.replace(directory)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    return DevPki(directory, manifest["base_url"], secret)


def _configured_passphrase() -> str:
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    passphrase: str = settings.EGOV_SIGNING_PKCS12_PASSPHRASE
    if not passphrase:
        raise ImproperlyConfigured("EGOV_SIGNING_PKCS12_PASSPHRASE must be set")
    return passphrase


def _name(common_name: str, organisation: str | None = None) -> x509.Name:
    parts = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")]
    if organisation:
        parts.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation))
    parts.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name))
    return x509.Name(parts)


@dataclass
class _Issuer:
    certificate: x509.Certificate
    key: rsa.RSAPrivateKey
    crl_url: str | None


def _certificate(
    *,
    subject: x509.Name,
    key: rsa.RSAPrivateKey,
    issuer: _Issuer | None,
    not_before: dt.datetime,
    not_after: dt.datetime,
    ca: bool = False,
    usage: str = "sign",
    base_url: str | None = None,
) -> x509.Certificate:
    public = key.public_key()
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.certificate.subject if issuer else subject)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if issuer:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()),
            critical=False,
        )
        if issuer.crl_url:
            point = x509.DistributionPoint(
                [x509.UniformResourceIdentifier(issuer.crl_url)], None, None, None
            )
            builder = builder.add_extension(x509.CRLDistributionPoints([point]), critical=False)
    if ca:
        builder = builder.add_extension(_key_usage(cert_sign=True), critical=True)
    elif usage == "tsa":
        builder = builder.add_extension(_key_usage(signature=True), critical=True)
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True
        )
    elif usage == "ocsp":
        builder = builder.add_extension(_key_usage(signature=True), critical=True)
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.OCSP_SIGNING]), critical=False
        )
        builder = builder.add_extension(x509.OCSPNoCheck(), critical=False)
    else:
        builder = builder.add_extension(
            _key_usage(signature=True, non_repudiation=True), critical=True
        )
    if base_url and not ca and usage == "sign":
        builder = builder.add_extension(
            x509.AuthorityInformationAccess(
                [
                    x509.AccessDescription(
                        x509.oid.AuthorityInformationAccessOID.OCSP,
                        x509.UniformResourceIdentifier(f"{base_url}/ocsp"),
                    ),
                    x509.AccessDescription(
                        x509.oid.AuthorityInformationAccessOID.CA_ISSUERS,
                        x509.UniformResourceIdentifier(f"{base_url}/certs/intermediate.cer"),
                    ),
                ]
            ),
            critical=False,
        )
    signing_key = issuer.key if issuer else key
    return builder.sign(signing_key, hashes.SHA256())


def _key_usage(
    *, cert_sign: bool = False, signature: bool = False, non_repudiation: bool = False
) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=signature or cert_sign,
        content_commitment=non_repudiation,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=cert_sign,
        crl_sign=cert_sign,
        encipher_only=False,
        decipher_only=False,
    )


def _generate(target: Path, passphrase: bytes, base_url: str) -> None:
    now = timezone.now().replace(microsecond=0)
    day = dt.timedelta(days=1)
    year = dt.timedelta(days=365)
    encryption = serialization.BestAvailableEncryption(passphrase)

    def write_pem(name: str, certificate: x509.Certificate) -> None:
        (target / f"{name}.pem").write_bytes(certificate.public_bytes(serialization.Encoding.PEM))

    def write_key(name: str, key: rsa.RSAPrivateKey) -> None:
        data = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
        )
        (target / f"{name}.key.pem").write_bytes(data)
        (target / f"{name}.key.pem").chmod(0o600)

    root_cert = _certificate(
        subject=_name("Egov Dev Root CA (chỉ để thử nghiệm)", "Egov Development"),
        key=_key("root"),
        issuer=None,
        not_before=now - 5 * year,
        not_after=now + 20 * year,
        ca=True,
    )
    root = _Issuer(root_cert, _key("root"), f"{base_url}/crl/root.crl")
    inter_cert = _certificate(
        subject=_name("Egov Dev Issuing CA (chỉ để thử nghiệm)", "Egov Development"),
        key=_key("intermediate"),
        issuer=root,
        not_before=now - 5 * year,
        not_after=now + 15 * year,
        ca=True,
    )
    inter = _Issuer(inter_cert, _key("intermediate"), f"{base_url}/crl/intermediate.crl")
    for name, certificate in (("root", root_cert), ("intermediate", inter_cert)):
        write_pem(name, certificate)
        write_key(name, _key(name))
    for name, usage in (("tsa", "tsa"), ("ocsp", "ocsp")):
        certificate = _certificate(
            subject=_name(f"Egov Dev {name.upper()}", "Egov Development"),
            key=_key(name),
            issuer=inter,
            not_before=now - 5 * year,
            not_after=now + 10 * year,
            usage=usage,
        )
        write_pem(name, certificate)
        write_key(name, _key(name))

    untrusted_cert = _certificate(
        subject=_name("Untrusted Dev Root CA", "Nobody"),
        key=_key("untrusted-root"),
        issuer=None,
        not_before=now - 5 * year,
        not_after=now + 20 * year,
        ca=True,
    )
    write_pem("untrusted-root", untrusted_cert)
    untrusted = _Issuer(untrusted_cert, _key("untrusted-root"), None)

    people = {
        "leader": (_name(LEADER_NAME, AGENCY_NAME), inter, now - day, now + 2 * year),
        "agency": (
            x509.Name(
                [
                    x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                    x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, "Quảng Ninh"),
                    x509.NameAttribute(NameOID.ORGANIZATION_NAME, AGENCY_NAME),
                    x509.NameAttribute(NameOID.COMMON_NAME, AGENCY_NAME),
                ]
            ),
            inter,
            now - day,
            now + 2 * year,
        ),
        "revoked": (_name("Trần Văn Thu Hồi", AGENCY_NAME), inter, now - 30 * day, now + year),
        "expired": (_name("Lê Thị Hết Hạn", AGENCY_NAME), inter, now - 2 * year, now - year),
        "outsider": (_name("Người Ký Ngoài", "Nobody"), untrusted, now - day, now + year),
    }
    revoked: dict[str, str] = {}
    for name, (subject, issuer, not_before, not_after) in people.items():
        certificate = _certificate(
            subject=subject,
            key=_key(name),
            issuer=issuer,
            not_before=not_before,
            not_after=not_after,
            base_url=base_url if issuer is inter else None,
        )
        chain = [inter_cert, root_cert] if issuer is inter else [untrusted_cert]
        data = pkcs12.serialize_key_and_certificates(
            name.encode(), _key(name), certificate, chain, encryption
        )
        (target / f"{name}.p12").write_bytes(data)
        (target / f"{name}.p12").chmod(0o600)
        if name == "revoked":
            revoked[str(certificate.serial_number)] = (now - day).isoformat()
    manifest = {
        "version": VERSION,
        "base_url": base_url,
        "created": now.isoformat(),
        "revoked": revoked,
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")


def person_pkcs12(pki: DevPki, *, key_name: str, common_name: str, organisation: str) -> Path:
    """A personal signing certificate for one user, issued by the development PKI's issuing CA
    on first use and kept as ``people/<key_name>.p12`` (same passphrase as the others). Every
    staff member can then sign in development, demos and tests; production never gets here
    (``signers.personal_signer_for``). Valid two years, OCSP and CRL of the loopback services."""
    people = pki.directory / "people"
    path = people / f"{key_name}.p12"
    if path.exists():
        return path
    people.mkdir(exist_ok=True)
    now = timezone.now().replace(microsecond=0)
    root = pki.certificate("root")
    inter = _Issuer(
        pki.certificate("intermediate"),
        pki.private_key("intermediate"),
        f"{pki.base_url}/crl/intermediate.crl",
    )
    key = _key(f"person:{key_name}")
    certificate = _certificate(
        subject=_name(common_name, organisation),
        key=key,
        issuer=inter,
        not_before=now - dt.timedelta(days=1),
        not_after=now + dt.timedelta(days=730),
        base_url=pki.base_url,
    )
    data = pkcs12.serialize_key_and_certificates(
        key_name.encode(),
        key,
        certificate,
        [inter.certificate, root],
        serialization.BestAvailableEncryption(pki.passphrase),
    )
    staging = people / f".{key_name}.{os.getpid()}.tmp"
    staging.write_bytes(data)
    staging.chmod(0o600)
    staging.replace(path)  # atomic: two workers issuing at once each leave a whole file
    return path

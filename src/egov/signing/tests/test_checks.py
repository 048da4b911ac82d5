"""Production refuses to start without its signature configuration."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.utils import timezone

from egov.signing.checks import signing_configured


def write_root(path: Path, organisation: str = "Ban Cơ yếu Chính phủ (thử)") -> Path:
    """A self-signed CA certificate standing for a national root in configuration tests."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
            x509.NameAttribute(NameOID.COMMON_NAME, "Root CA (test)"),
        ]
    )
    now = timezone.now()
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return path


def _ids() -> list[str]:
    return sorted(str(problem.id) for problem in signing_configured())


@pytest.fixture
def production(settings, tmp_path):
    keys = tmp_path / "keys"
    keys.mkdir()
    settings.IS_PRODUCTION = True
    settings.EGOV_SIGNING_TRUST_ROOTS = [str(write_root(tmp_path / "root.pem"))]
    settings.EGOV_SIGNING_INTERMEDIATES = []
    settings.EGOV_SIGNING_TSA_URL = "http://tsa.example.vn/tsa"
    settings.EGOV_SIGNING_PKCS11_MODULE = ""
    settings.EGOV_SIGNING_AGENCY_KEYS_DIR = str(keys)
    settings.EGOV_SIGNING_PKCS12_PASSPHRASE = "a-secret-from-the-environment"
    return settings


def test_a_complete_production_configuration_passes(production):
    assert _ids() == []


def test_nothing_is_checked_outside_production(settings):
    settings.IS_PRODUCTION = False
    settings.EGOV_SIGNING_TRUST_ROOTS = []
    assert _ids() == []


def test_missing_roots_tsa_and_keys(production):
    production.EGOV_SIGNING_TRUST_ROOTS = []
    production.EGOV_SIGNING_TSA_URL = ""
    production.EGOV_SIGNING_AGENCY_KEYS_DIR = ""
    assert _ids() == ["signing.E001", "signing.E004", "signing.E009"]


def test_unreadable_root_and_the_development_root(production, dev_pki, tmp_path):
    production.EGOV_SIGNING_TRUST_ROOTS = [str(tmp_path / "missing.pem"), str(dev_pki.root_path)]
    assert _ids() == ["signing.E002", "signing.E003"]


def test_keys_without_passphrase_and_token_without_pin(production, tmp_path):
    production.EGOV_SIGNING_PKCS12_PASSPHRASE = ""
    assert _ids() == ["signing.E008"]
    production.EGOV_SIGNING_PKCS11_MODULE = str(tmp_path / "no-module.so")
    production.EGOV_SIGNING_PKCS11_TOKEN = "egov"
    production.EGOV_SIGNING_PKCS11_PIN = ""
    assert _ids() == ["signing.E005", "signing.E006"]

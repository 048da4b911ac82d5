"""Production refuses to start without its signature configuration (``manage.py check``, run
by ``migrate`` and at every deployment): trust roots that can be read and are not the
development PKI's, a time-stamping authority, and agency keys (a PKCS#11 token with its PIN,
or a directory of PKCS#12 files with their passphrase). Outside production nothing is checked:
the development PKI fills every gap there."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from asn1crypto import x509 as asn1_x509
from django.conf import settings
from django.core.checks import CheckMessage, Error, register

from egov.signing.signers import load_certificates

# The development PKI's CAs (egov.signing.pki) carry these organisation names.
DEV_ORGANISATIONS = frozenset({"Egov Development", "Nobody"})


def _is_development(certificate: asn1_x509.Certificate) -> bool:
    organisation = certificate.subject.native.get("organization_name")
    return organisation in DEV_ORGANISATIONS


def _certificate_problems(setting: str, paths: list[str], number: int) -> list[CheckMessage]:
    problems: list[CheckMessage] = []
    for path in paths:
        try:
            certificates = load_certificates(Path(path))
        except (OSError, ValueError) as exc:
            problems.append(
                Error(f"{setting}: {path} cannot be read ({exc}).", id=f"signing.E{number:03}")
            )
            continue
        if any(_is_development(c) for c in certificates):
            problems.append(
                Error(
                    f"{setting}: {path} is a development PKI certificate.",
                    id=f"signing.E{number + 1:03}",
                )
            )
    return problems


@register("egov")
def signing_configured(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if not settings.IS_PRODUCTION:
        return []
    problems: list[CheckMessage] = []
    roots = list(settings.EGOV_SIGNING_TRUST_ROOTS)
    if not roots:
        problems.append(
            Error("EGOV_SIGNING_TRUST_ROOTS must name the trusted root CAs.", id="signing.E001")
        )
    problems += _certificate_problems("EGOV_SIGNING_TRUST_ROOTS", roots, 2)
    problems += _certificate_problems(
        "EGOV_SIGNING_INTERMEDIATES", list(settings.EGOV_SIGNING_INTERMEDIATES), 2
    )
    tsa = urlsplit(settings.EGOV_SIGNING_TSA_URL)
    if tsa.scheme not in {"http", "https"} or not tsa.netloc:
        problems.append(
            Error(
                "EGOV_SIGNING_TSA_URL must be the URL of a licensed time-stamping authority.",
                id="signing.E004",
            )
        )
    if settings.EGOV_SIGNING_PKCS11_MODULE:
        if not Path(settings.EGOV_SIGNING_PKCS11_MODULE).is_file():
            problems.append(Error("EGOV_SIGNING_PKCS11_MODULE names no file.", id="signing.E005"))
        if not (settings.EGOV_SIGNING_PKCS11_TOKEN and settings.EGOV_SIGNING_PKCS11_PIN):
            problems.append(
                Error(
                    "EGOV_SIGNING_PKCS11_TOKEN and EGOV_SIGNING_PKCS11_PIN must be set with "
                    "EGOV_SIGNING_PKCS11_MODULE.",
                    id="signing.E006",
                )
            )
    elif settings.EGOV_SIGNING_AGENCY_KEYS_DIR:
        if not Path(settings.EGOV_SIGNING_AGENCY_KEYS_DIR).is_dir():
            problems.append(
                Error("EGOV_SIGNING_AGENCY_KEYS_DIR is not a directory.", id="signing.E007")
            )
        if not settings.EGOV_SIGNING_PKCS12_PASSPHRASE:
            problems.append(
                Error(
                    "EGOV_SIGNING_PKCS12_PASSPHRASE must be set for the agency keys.",
                    id="signing.E008",
                )
            )
    else:
        problems.append(
            Error(
                "Agency signing keys: set EGOV_SIGNING_PKCS11_MODULE (token, HSM) or "
                "EGOV_SIGNING_AGENCY_KEYS_DIR (PKCS#12 files).",
                id="signing.E009",
            )
        )
    return problems

"""Trust configuration: the roots signatures must chain to, extra intermediates, the TSA.

Production: ``EGOV_SIGNING_TRUST_ROOTS`` (paths of PEM/DER files: the Vietnam National Root CA
for public CAs, the Ban Cơ yếu Chính phủ root for official-duty certificates, the TSA's root),
``EGOV_SIGNING_INTERMEDIATES`` and ``EGOV_SIGNING_TSA_URL`` (a licensed TSA, NĐ 23/2025/NĐ-CP).
The operating system's trust store is never used. Root fingerprints are configuration, not
pinned in code (chưa xác nhận / unconfirmed: verify at rootca.gov.vn and ca.gov.vn).

Outside production, empty settings fall back to the development PKI in ``EGOV_PKI_DIR`` and its
loopback trust services, started in this process on first use.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from asn1crypto import x509 as asn1_x509
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from pyhanko_certvalidator.registry import SimpleTrustManager

from egov.contrib.pki.simulator import TrustServicesSimulator
from egov.signing.pki import DevPki, ensure_dev_pki
from egov.signing.signers import FileStamp, file_stamp, load_certificates

_lock = threading.Lock()
_services: dict[Path, TrustServicesSimulator] = {}


def dev_pki() -> DevPki:
    if settings.IS_PRODUCTION:
        raise ImproperlyConfigured("The development PKI is never used in production")
    return ensure_dev_pki(Path(settings.EGOV_PKI_DIR))


def _answers(base_url: str) -> bool:
    """Whether something listens at ``base_url`` (a connect, no request)."""
    parts = urlsplit(base_url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 80), 0.5):
            return True
    except OSError:
        return False


def _dev_services() -> str:
    """Start (once per process) the loopback services of the development PKI; their URL.
    When another process (a second worker) already serves them, nothing is started — checked
    with a connect first, since starting them means decrypting the PKI's keys (~0.5 s)."""
    pki = dev_pki()
    with _lock:
        if pki.directory not in _services and not _answers(pki.base_url):
            # OSError: another process bound the port between the check and now.
            with contextlib.suppress(OSError):
                _services[pki.directory] = pki.services().start()
    return pki.base_url


# Parsed once per version of the files: a replaced root or intermediate file is read again.
_Files = tuple[tuple[str, FileStamp], ...]


def _stamped(paths: tuple[str, ...]) -> _Files:
    try:
        return tuple((path, file_stamp(Path(path))) for path in paths)
    except OSError as exc:
        raise ImproperlyConfigured(f"Certificate file cannot be read: {exc}") from None


@lru_cache(maxsize=16)
def _certificates(files: _Files) -> tuple[asn1_x509.Certificate, ...]:
    found: list[asn1_x509.Certificate] = []
    for path, _stamp in files:
        try:
            found.extend(load_certificates(Path(path)))
        except (OSError, ValueError) as exc:
            raise ImproperlyConfigured(f"Certificate file {path} cannot be read: {exc}") from None
    return tuple(found)


@lru_cache(maxsize=16)
def _trust_manager(files: _Files) -> SimpleTrustManager:
    # Read-only once built: path building only looks roots up.
    return SimpleTrustManager.build(trust_roots=list(_certificates(files)))


def _root_files() -> _Files:
    paths = tuple(settings.EGOV_SIGNING_TRUST_ROOTS)
    if not paths and not settings.IS_PRODUCTION:
        paths = (str(dev_pki().root_path),)
    if not paths:
        raise ImproperlyConfigured("EGOV_SIGNING_TRUST_ROOTS must name at least one root")
    return _stamped(paths)


def trust_roots() -> list[asn1_x509.Certificate]:
    return list(_certificates(_root_files()))


def trust_manager() -> SimpleTrustManager:
    """The trust roots, indexed for path building (shared by every validation context)."""
    return _trust_manager(_root_files())


def other_certificates() -> list[asn1_x509.Certificate]:
    paths = tuple(settings.EGOV_SIGNING_INTERMEDIATES)
    if not paths and not settings.EGOV_SIGNING_TRUST_ROOTS and not settings.IS_PRODUCTION:
        paths = (str(dev_pki().intermediate_path),)
    return list(_certificates(_stamped(paths)))


def tsa_url() -> str:
    url: str = settings.EGOV_SIGNING_TSA_URL
    if url:
        return url
    if settings.IS_PRODUCTION:
        raise ImproperlyConfigured("EGOV_SIGNING_TSA_URL must be set in production")
    return _dev_services() + "/tsa"


def ensure_revocation_services() -> None:
    """Outside production with the development PKI, make sure its OCSP/CRL endpoints answer."""
    if not settings.IS_PRODUCTION and not settings.EGOV_SIGNING_TSA_URL:
        _dev_services()

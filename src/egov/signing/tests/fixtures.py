"""Signing fixtures for every app's tests (registered in the root conftest.py): one development
PKI and its loopback trust services per test session (keys are the slow part), settings
pointing at both (`signing_settings`, asked for explicitly or autouse in a conftest), an NSS
database trusting the dev root for pdfsig, and PKCS#12 signers by name."""

from __future__ import annotations

import io
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import override_settings
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from egov.contrib.pki.simulator import TrustServicesSimulator
from egov.signing.pki import DevPki, ensure_dev_pki
from egov.signing.signers import Pkcs12Signer

PASSPHRASE = "test-pki-passphrase"


@pytest.fixture(scope="session")
def dev_pki(tmp_path_factory: pytest.TempPathFactory) -> DevPki:
    return ensure_dev_pki(tmp_path_factory.mktemp("pki") / "pki", passphrase=PASSPHRASE)


@pytest.fixture(scope="session")
def trust_services(dev_pki: DevPki) -> Iterator[TrustServicesSimulator]:
    services = dev_pki.services().start()
    yield services
    services.stop()


@pytest.fixture(scope="session")
def signing_settings(dev_pki: DevPki, trust_services: TrustServicesSimulator) -> Iterator[None]:
    # Session-wide (module fixtures sign before function fixtures such as `settings` run).
    with override_settings(
        EGOV_PKI_DIR=str(dev_pki.directory),
        EGOV_SIGNING_PKCS12_PASSPHRASE=PASSPHRASE,
        EGOV_SIGNING_TRUST_ROOTS=[str(dev_pki.root_path)],
        EGOV_SIGNING_INTERMEDIATES=[str(dev_pki.intermediate_path)],
        EGOV_SIGNING_TSA_URL=dev_pki.tsa_url,
        EGOV_SIGNING_FETCH_REVOCATION=False,
    ):
        yield


@pytest.fixture(scope="session")
def nss_db(tmp_path_factory: pytest.TempPathFactory, dev_pki: DevPki) -> str:
    directory = tmp_path_factory.mktemp("nss")
    subprocess.run(["certutil", "-N", "-d", f"sql:{directory}", "--empty-password"], check=True)
    subprocess.run(
        [
            "certutil",
            "-A",
            "-d",
            f"sql:{directory}",
            "-n",
            "egov-dev-root",
            "-t",
            "CT,C,C",
            "-i",
            str(dev_pki.root_path),
        ],
        check=True,
    )
    return f"sql:{directory}"


@pytest.fixture(scope="session")
def signer_for(dev_pki: DevPki):
    loaded: dict[str, Pkcs12Signer] = {}

    def get(name: str) -> Pkcs12Signer:
        if name not in loaded:
            loaded[name] = Pkcs12Signer(dev_pki.pkcs12_path(name), PASSPHRASE.encode())
        return loaded[name]

    return get


def make_pdf(pages: int = 1, text: str = "QUYẾT ĐỊNH") -> bytes:
    from egov.core.printing.pdf import register_font

    font = register_font()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    for page in range(pages):
        canvas.setFont(font, 14)
        canvas.drawString(72, 760, f"{text} — trang {page + 1}")
        canvas.setFont(font, 11)
        canvas.drawString(330, 260, "CHỦ TỊCH")
        canvas.drawString(330, 170, "Nguyễn Văn Dũng")
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def pdfsig(path: Path, nss: str) -> str:
    run = subprocess.run(
        ["pdfsig", "-nssdir", nss, str(path)], capture_output=True, text=True, check=False
    )
    return run.stdout

"""The agency's key on a PKCS#11 token: SoftHSM2 (Debian's libsofthsm2) with a token made for
the test session, the development PKI's agency key and certificate imported into it."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from egov.signing.pki import DevPki
from egov.signing.services import Level, sign_pdf
from egov.signing.signers import Pkcs11Signer, load_certificates
from egov.signing.tests.fixtures import make_pdf, pdfsig
from egov.signing.verification import Verdict, verify_pdf

MODULE = "/usr/lib/softhsm/libsofthsm2.so"
TOKEN = "egov-agency"
PIN = "246810"


@pytest.fixture(scope="module")
def token(tmp_path_factory: pytest.TempPathFactory, dev_pki: DevPki) -> Iterator[str]:
    directory = tmp_path_factory.mktemp("softhsm")
    (directory / "tokens").mkdir()
    config = directory / "softhsm2.conf"
    config.write_text(
        f"directories.tokendir = {directory / 'tokens'}\nobjectstore.backend = file\n"
    )
    previous = os.environ.get("SOFTHSM2_CONF")
    os.environ["SOFTHSM2_CONF"] = str(config)
    key = directory / "agency.key.pem"
    key.write_bytes(
        dev_pki.private_key("agency").private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    cert = directory / "agency.der"
    cert.write_bytes(dev_pki.certificate("agency").public_bytes(serialization.Encoding.DER))
    subprocess.run(
        [
            "softhsm2-util",
            "--init-token",
            "--free",
            "--label",
            TOKEN,
            "--pin",
            PIN,
            "--so-pin",
            "13579111",
        ],
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [
            "softhsm2-util",
            "--import",
            str(key),
            "--token",
            TOKEN,
            "--label",
            "agency",
            "--id",
            "01",
            "--pin",
            PIN,
        ],
        check=True,
        capture_output=True,
    )
    key.unlink()
    subprocess.run(
        [
            "pkcs11-tool",
            "--module",
            MODULE,
            "--token-label",
            TOKEN,
            "--login",
            "--pin",
            PIN,
            "--write-object",
            str(cert),
            "--type",
            "cert",
            "--label",
            "agency",
            "--id",
            "01",
        ],
        check=True,
        capture_output=True,
    )
    yield TOKEN
    if previous is None:
        os.environ.pop("SOFTHSM2_CONF", None)
    else:
        os.environ["SOFTHSM2_CONF"] = previous


def test_pkcs11_signer_makes_a_valid_b_lt_signature(token, dev_pki, tmp_path, nss_db):
    signer = Pkcs11Signer(
        module=MODULE,
        token_label=token,
        pin=PIN,
        key_label="agency",
        chain=load_certificates(Path(dev_pki.intermediate_path)),
    )
    try:
        first = sign_pdf(make_pdf(), signer=signer, field_name="Sig1", level=Level.B_LT)
        # The same open session signs again.
        second = sign_pdf(first, signer=signer, field_name="Sig2", level=Level.B_LT)
    finally:
        signer.close()

    result = verify_pdf(second)
    assert result.verdict == Verdict.VALID
    assert [s.signer_name for s in result.signatures] == ["UBND tỉnh Quảng Ninh"] * 2
    # pdfsig on the one-signature file: with the same certificate twice in one file, pdfsig
    # 22.12 answers "Unknown issue with Certificate" for the second signature (NSS fetches
    # OCSP once per certificate and process; observed, not investigated further).
    path = tmp_path / "hsm.pdf"
    path.write_bytes(first)
    blocks = pdfsig(path, nss_db).split("Signature #")[1:]
    assert len(blocks) == 1
    for block in blocks:
        assert "Signature is Valid." in block, block
        assert "Certificate is Trusted." in block, block

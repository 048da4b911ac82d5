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
from egov.signing.services import Level, SigningError, sign_pdf
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
    # The agency's key, and a leader's for the personal PKCS#11 signing method.
    for number, name in enumerate(("agency", "leader"), start=1):
        _import_key(directory, dev_pki, name, f"{number:02d}")
    yield TOKEN
    if previous is None:
        os.environ.pop("SOFTHSM2_CONF", None)
    else:
        os.environ["SOFTHSM2_CONF"] = previous


def _import_key(directory: Path, dev_pki: DevPki, name: str, key_id: str) -> None:
    key = directory / f"{name}.key.pem"
    key.write_bytes(
        dev_pki.private_key(name).private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    cert = directory / f"{name}.der"
    cert.write_bytes(dev_pki.certificate(name).public_bytes(serialization.Encoding.DER))
    subprocess.run(
        [
            "softhsm2-util",
            "--import",
            str(key),
            "--token",
            TOKEN,
            "--label",
            name,
            "--id",
            key_id,
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
            name,
            "--id",
            key_id,
        ],
        check=True,
        capture_output=True,
    )


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


def _hsm_signer(dev_pki: DevPki, token: str, pin: str = PIN) -> Pkcs11Signer:
    return Pkcs11Signer(
        module=MODULE,
        token_label=token,
        pin=pin,
        key_label="agency",
        chain=load_certificates(Path(dev_pki.intermediate_path)),
    )


def test_a_dead_session_is_reopened_once(token, dev_pki):
    signer = _hsm_signer(dev_pki, token)
    try:
        first = sign_pdf(make_pdf(), signer=signer, field_name="Sig1", level=Level.B_T)
        signer.session.close()  # as when the HSM restarts under a kept signer
        signed = sign_pdf(first, signer=signer, field_name="Sig2", level=Level.B_T)
    finally:
        signer.close()
    assert verify_pdf(signed, fetch_revocation=True).verdict == Verdict.VALID


def test_a_wrong_pin_is_not_tried_again(token, dev_pki):
    with pytest.raises(SigningError) as error:
        _hsm_signer(dev_pki, token, pin="999999")
    assert error.value.message == "Mã PIN của thiết bị lưu khóa (token, HSM) không đúng."
    # The same configuration again: refused without asking the token.
    with pytest.raises(SigningError) as error:
        _hsm_signer(dev_pki, token, pin="999999")
    assert error.value.message == (
        "Thiết bị lưu khóa đã từ chối mã PIN đã cấu hình; không thử lại để tránh khóa thiết "
        "bị. Cần sửa cấu hình rồi khởi động lại."
    )
    # A corrected configuration works.
    _hsm_signer(dev_pki, token).close()

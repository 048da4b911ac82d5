"""The CSC API v2 client and pyHanko signer against the simulator, over real HTTP on 127.0.0.1;
the simulated phone is answered over HTTP too (GET/POST /csc/sim/requests…)."""

from __future__ import annotations

import base64
import hashlib
import io
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa, utils
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from reportlab.pdfgen import canvas

from egov.contrib.csc.client import (
    CscBadCredentials,
    CscClient,
    CscDeclined,
    CscError,
    CscInvalidSad,
    CscRejected,
    CscTimeout,
    CscUnavailable,
    CscUnknownCredential,
)
from egov.contrib.csc.signer import CscSigner
from egov.contrib.csc.simulator import CredentialMaterial, CscSimulator, credential_material

USER = "079203000001"  # the signer's userID at the service (here a made-up CCCD number)
SHA256 = "2.16.840.1.101.3.4.2.1"
SHA256_RSA = "1.2.840.113549.1.1.11"


@pytest.fixture
def simulator(material: CredentialMaterial) -> Iterator[CscSimulator]:
    simulator = CscSimulator().start()
    simulator.add_credential(USER, material=material, credential_id="CRED-DUNG")
    yield simulator
    simulator.stop()


def client_for(simulator: CscSimulator, **overrides: float | str) -> CscClient:
    options: dict[str, float | str] = {
        "client_id": simulator.client_id,
        "client_secret": simulator.client_secret,
        "timeout": 5.0,
        "confirm_timeout": 30.0,
        "poll_interval": 0.02,
    }
    options.update(overrides)
    return CscClient(simulator.csc_url, **options)  # type: ignore[arg-type]


class Phone:
    """The signer's phone: answers, over HTTP, every request pushed to it while it runs, and
    notes each one (as listed by ``GET /csc/sim/requests``)."""

    def __init__(self, simulator: CscSimulator, decision: str) -> None:
        self.url, self.decision = f"{simulator.base_url}/csc/sim/requests", decision
        self.seen: list[dict[str, object]] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.stop.wait(0.01):
            for pending in requests.get(self.url, timeout=5).json()["requests"]:
                self.seen.append(pending)
                answer = requests.post(f"{self.url}/{pending['handle']}/{self.decision}", timeout=5)
                assert answer.status_code == 200

    def __enter__(self) -> Phone:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join(timeout=5)


def test_list_info_authorize_sign_hash_round_trip(
    simulator: CscSimulator, material: CredentialMaterial
) -> None:
    client = client_for(simulator)
    assert client.info()["methods"] == [
        "credentials/list",
        "credentials/info",
        "credentials/authorize",
        "credentials/authorizeCheck",
        "signatures/signHash",
    ]
    assert client.list_credentials(USER) == ["CRED-DUNG"]
    assert client.list_credentials("079203999999") == []

    info = client.credential_info("CRED-DUNG")
    assert info.chain == material.chain
    assert (info.auth_mode, info.scal, info.multisign, info.key_length) == (
        "explicit",
        "2",
        1,
        2048,
    )
    assert SHA256_RSA in info.sign_algos

    digest = hashlib.sha256(b"Quyet dinh so 12/QD-UBND").digest()
    kind, handle = client.authorize("CRED-DUNG", hashes=[digest], hash_algorithm_oid=SHA256)
    assert kind == "handle"
    assert client.check_authorization(handle) == ("handle", handle)  # not answered yet
    [pending] = simulator.pending()
    assert (pending.user_id, pending.credential_id, pending.hashes) == (
        USER,
        "CRED-DUNG",
        frozenset([digest]),
    )
    simulator.phone_answer(handle, "approve")
    kind, sad = client.check_authorization(handle)
    assert kind == "SAD"

    [signature] = client.sign_hash("CRED-DUNG", sad=sad, hashes=[digest], sign_algo=SHA256_RSA)
    public_key = material.chain[0].public_key()
    assert isinstance(public_key, rsa.RSAPublicKey)
    public_key.verify(signature, digest, padding.PKCS1v15(), utils.Prehashed(hashes.SHA256()))
    assert len(signature) == 256

    with pytest.raises(CscInvalidSad) as used:  # one signature authorized, already made
        client.sign_hash("CRED-DUNG", sad=sad, hashes=[digest], sign_algo=SHA256_RSA)
    assert (used.value.error, used.value.description) == (
        "invalid_request",
        "Invalid parameter SAD",
    )


def test_the_phone_approves_through_the_http_api(simulator: CscSimulator) -> None:
    client = client_for(simulator)
    digest = hashlib.sha256(b"to trinh").digest()
    with Phone(simulator, "approve") as phone:
        sad = client.authorize_on_phone(
            "CRED-DUNG", hashes=[digest], hash_algorithm_oid=SHA256, description="Tờ trình 5"
        )
    assert phone.seen[0]["description"] == "Tờ trình 5"
    assert phone.seen[0]["userID"] == USER
    assert (
        len(client.sign_hash("CRED-DUNG", sad=sad, hashes=[digest], sign_algo=SHA256_RSA)[0]) == 256
    )


def test_the_phone_screen_lists_a_request_and_its_buttons_answer_it(
    simulator: CscSimulator,
) -> None:
    client = client_for(simulator)
    digest = hashlib.sha256(b"to trinh").digest()
    kind, handle = client.authorize(
        "CRED-DUNG", hashes=[digest], hash_algorithm_oid=SHA256, description="Tờ trình <5>"
    )
    assert kind == "handle"
    screen = requests.get(f"{simulator.base_url}/csc/sim/phone", timeout=5)
    assert screen.headers["Content-Type"] == "text/html; charset=utf-8"
    assert "<strong>Tờ trình &lt;5&gt;</strong>" in screen.text
    assert f'action="/csc/sim/phone/{handle}/approve"' in screen.text
    pressed = requests.post(
        f"{simulator.base_url}/csc/sim/phone/{handle}/approve", allow_redirects=False, timeout=5
    )
    assert (pressed.status_code, pressed.headers["Location"]) == (
        303,
        "/csc/sim/phone?ket-qua=approve",
    )
    assert simulator.requests[handle].answer == "approve"
    after = requests.get(f"{simulator.base_url}/csc/sim/phone?ket-qua=approve", timeout=5)
    assert '<p role="status">Đã đồng ý ký.</p>' in after.text
    assert "<p>Không có yêu cầu nào.</p>" in after.text
    again = requests.post(
        f"{simulator.base_url}/csc/sim/phone/{handle}/decline", allow_redirects=False, timeout=5
    )
    assert again.headers["Location"] == "/csc/sim/phone?ket-qua=gone"
    assert simulator.requests[handle].answer == "approve"


def _pdf() -> bytes:
    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.drawString(72, 720, "Quyet dinh so 12/QD-UBND")
    page.save()
    return out.getvalue()


def _sign_pdf(signer: CscSigner) -> bytes:
    metadata = signers.PdfSignatureMetadata(
        field_name="ChuKyLanhDao", subfilter=fields.SigSeedSubFilter.PADES
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(_pdf()))
    signed: io.BytesIO = signers.PdfSigner(metadata, signer=signer).sign_pdf(writer)
    return signed.getvalue()


def test_a_pdf_signed_through_pyhanko_validates(
    simulator: CscSimulator, material: CredentialMaterial, tmp_path: Path
) -> None:
    client = client_for(simulator)
    signer = CscSigner(client, "CRED-DUNG", description="Ký quyết định 12/QĐ-UBND")
    with Phone(simulator, "approve") as phone:
        signed = _sign_pdf(signer)
    assert len(phone.seen) == 1  # the dry run that sizes the signature asks nobody

    root = asn1_x509.Certificate.load(material.root.public_bytes(serialization.Encoding.DER))
    [embedded] = PdfFileReader(io.BytesIO(signed)).embedded_signatures
    status = validate_pdf_signature(embedded, ValidationContext(trust_roots=[root]))
    assert (status.intact, status.valid, status.trusted) == (True, True, True)
    assert status.signing_cert.subject.native["common_name"] == "Nguyễn Văn Dũng"

    pdf = tmp_path / "signed.pdf"
    pdf.write_bytes(signed)
    (tmp_path / "root.pem").write_bytes(material.root.public_bytes(serialization.Encoding.PEM))
    nss = tmp_path / "nss"
    nss.mkdir()
    for command in (
        ["certutil", "-N", "-d", f"sql:{nss}", "--empty-password"],
        [
            "certutil",
            "-A",
            "-d",
            f"sql:{nss}",
            "-n",
            "root",
            "-t",
            "CT,C,C",
            "-i",
            str(tmp_path / "root.pem"),
        ],
    ):
        subprocess.run(command, check=True, capture_output=True)
    report = subprocess.run(
        ["pdfsig", "-nssdir", f"sql:{nss}", str(pdf)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert "Signature Validation: Signature is Valid." in report
    assert "Certificate Validation: Certificate is Trusted." in report
    assert "Signer Certificate Common Name: Nguyễn Văn Dũng" in report


def test_the_signer_declines_on_the_phone(simulator: CscSimulator) -> None:
    client = client_for(simulator)
    digest = hashlib.sha256(b"x").digest()
    with Phone(simulator, "decline"), pytest.raises(CscDeclined) as declined:
        client.authorize_on_phone("CRED-DUNG", hashes=[digest], hash_algorithm_oid=SHA256)
    assert str(declined.value) == "Người ký đã từ chối ký trên điện thoại."
    assert declined.value.error == "access_denied"
    assert simulator.pending() == []


def test_a_pdf_is_not_signed_when_the_signer_declines(simulator: CscSimulator) -> None:
    signer = CscSigner(client_for(simulator), "CRED-DUNG")
    with Phone(simulator, "decline"), pytest.raises(CscDeclined):
        _sign_pdf(signer)


def test_nobody_answers_the_phone_before_the_service_gives_up(
    simulator: CscSimulator,
) -> None:
    simulator.authorization_timeout = 0.2
    client = client_for(simulator)
    digest = hashlib.sha256(b"x").digest()
    with pytest.raises(CscTimeout) as timeout:
        client.authorize_on_phone("CRED-DUNG", hashes=[digest], hash_algorithm_oid=SHA256)
    assert str(timeout.value) == "Đã hết thời gian chờ người ký xác nhận trên điện thoại."
    assert (timeout.value.error, timeout.value.description) == (
        "expired_token",
        "The authorization request expired",
    )


def test_the_client_stops_waiting_at_its_own_limit(simulator: CscSimulator) -> None:
    client = client_for(simulator, confirm_timeout=0.1)
    digest = hashlib.sha256(b"x").digest()
    with pytest.raises(CscTimeout) as timeout:
        client.authorize_on_phone("CRED-DUNG", hashes=[digest], hash_algorithm_oid=SHA256)
    assert str(timeout.value) == "Đã hết thời gian chờ người ký xác nhận trên điện thoại."
    assert timeout.value.error == "timeout"


def test_a_wrong_sad_is_refused(simulator: CscSimulator) -> None:
    client = client_for(simulator)
    digest = hashlib.sha256(b"x").digest()
    with pytest.raises(CscInvalidSad) as refused:
        client.sign_hash("CRED-DUNG", sad="not-a-sad", hashes=[digest], sign_algo=SHA256_RSA)
    assert str(refused.value) == (
        "Xác nhận ký không hợp lệ hoặc đã hết hạn, cần xác nhận lại trên điện thoại."
    )
    assert (refused.value.error, refused.value.description) == (
        "invalid_request",
        "Invalid parameter SAD",
    )


def test_a_sad_signs_only_the_hash_the_signer_confirmed(simulator: CscSimulator) -> None:
    client = client_for(simulator)
    confirmed, other = hashlib.sha256(b"a").digest(), hashlib.sha256(b"b").digest()
    with Phone(simulator, "approve"):
        sad = client.authorize_on_phone("CRED-DUNG", hashes=[confirmed], hash_algorithm_oid=SHA256)
    with pytest.raises(CscRejected) as refused:
        client.sign_hash("CRED-DUNG", sad=sad, hashes=[other], sign_algo=SHA256_RSA)
    assert refused.value.description == "Hash is not authorized by the SAD"


def test_a_wrong_credential_id(simulator: CscSimulator) -> None:
    client = client_for(simulator)
    with pytest.raises(CscUnknownCredential) as unknown:
        client.credential_info("CRED-NOBODY")
    assert str(unknown.value) == "Không tìm thấy chứng thư số này trên dịch vụ ký số từ xa."
    assert (unknown.value.error, unknown.value.description) == (
        "invalid_request",
        "Invalid parameter credentialID",
    )
    digest = hashlib.sha256(b"x").digest()
    with pytest.raises(CscUnknownCredential):
        client.authorize("CRED-NOBODY", hashes=[digest], hash_algorithm_oid=SHA256)


def test_wrong_client_secret(simulator: CscSimulator) -> None:
    client = client_for(simulator, client_secret="wrong")
    with pytest.raises(CscBadCredentials) as refused:
        client.list_credentials(USER)
    assert str(refused.value) == (
        "Dịch vụ ký số từ xa không chấp nhận tài khoản kết nối của hệ thống."
    )
    assert (refused.value.error, refused.value.description) == (
        "invalid_request",
        "Invalid parameter client_secret",
    )


def test_calls_without_a_valid_token_are_refused(simulator: CscSimulator) -> None:
    answer = requests.post(
        f"{simulator.csc_url}/credentials/list",
        json={"userID": USER},
        headers={"Authorization": "Bearer made-up"},
        timeout=5,
    )
    assert (answer.status_code, answer.json()) == (
        401,
        {"error": "invalid_token", "error_description": "The access token is invalid or expired"},
    )


def test_service_unavailable(simulator: CscSimulator) -> None:
    client = client_for(simulator)
    simulator.down = True
    with pytest.raises(CscUnavailable) as down:
        client.list_credentials(USER)
    assert str(down.value) == "Dịch vụ ký số từ xa tạm thời không hoạt động, vui lòng thử lại sau."
    assert down.value.error == "http_503"


def test_service_unreachable() -> None:
    gone = CscSimulator().start()
    url = gone.csc_url
    gone.stop()  # nothing listens on that port any more
    client = CscClient(url, client_id="a", client_secret="b", timeout=2.0)
    with pytest.raises(CscUnavailable) as down:
        client.info()
    assert str(down.value) == "Không kết nối được dịch vụ ký số từ xa, vui lòng thử lại sau."
    assert down.value.error == "unreachable"


def test_an_ecdsa_credential_signs_a_pdf(simulator: CscSimulator) -> None:
    material = credential_material(common_name="Trần Thị Chi", key_type="ec")
    simulator.add_credential("079203000002", material=material, credential_id="CRED-CHI")
    with Phone(simulator, "approve"):
        signed = _sign_pdf(CscSigner(client_for(simulator), "CRED-CHI"))
    root = asn1_x509.Certificate.load(material.root.public_bytes(serialization.Encoding.DER))
    [embedded] = PdfFileReader(io.BytesIO(signed)).embedded_signatures
    status = validate_pdf_signature(embedded, ValidationContext(trust_roots=[root]))
    assert (status.intact, status.valid, status.trusted) == (True, True, True)


def test_bad_requests_get_csc_errors(simulator: CscSimulator) -> None:
    client = client_for(simulator)
    token = client._access_token()
    headers = {"Authorization": f"Bearer {token}"}
    cases: list[tuple[str, dict[str, Any], str]] = [
        (
            "credentials/authorize",
            {"credentialID": "CRED-DUNG"},
            "Missing (or invalid type) integer parameter numSignatures",
        ),
        (
            "credentials/authorize",
            {
                "credentialID": "CRED-DUNG",
                "numSignatures": 2,
                "hashes": [],
                "hashAlgorithmOID": SHA256,
            },
            "Numbers of signatures is too high",
        ),
        (
            "credentials/authorize",
            {
                "credentialID": "CRED-DUNG",
                "numSignatures": 1,
                "hashes": ["AAAA"],
                "hashAlgorithmOID": SHA256,
            },
            "Invalid digest value length",
        ),
        (
            "credentials/authorize",
            {
                "credentialID": "CRED-DUNG",
                "numSignatures": 1,
                "hashes": ["%%%"],
                "hashAlgorithmOID": SHA256,
            },
            "Invalid Base64 hash string parameter",
        ),
        ("credentials/authorizeCheck", {"handle": "nope"}, "Invalid parameter handle"),
        (
            "signatures/signHash",
            {
                "credentialID": "CRED-DUNG",
                "SAD": "x",
                "hashes": [base64.b64encode(bytes(32)).decode()],
                "signAlgo": "1.2.3",
            },
            "Invalid parameter signAlgo",
        ),
    ]
    for method, body, description in cases:
        answer = requests.post(
            f"{simulator.csc_url}/{method}", json=body, headers=headers, timeout=5
        )
        assert (answer.status_code, answer.json()) == (
            400,
            {"error": "invalid_request", "error_description": description},
        ), method


def test_the_phone_can_answer_by_itself(simulator: CscSimulator) -> None:
    simulator.auto_answer = "approve"
    client = client_for(simulator)
    digest = hashlib.sha256(b"x").digest()
    kind, handle = client.authorize("CRED-DUNG", hashes=[digest], hash_algorithm_oid=SHA256)
    assert client.check_authorization(handle) == ("handle", handle)
    kind, sad = client.check_authorization(handle)
    assert kind == "SAD"
    assert len(client.sign_hash("CRED-DUNG", sad=sad, hashes=[digest], sign_algo=SHA256_RSA)) == 1
    simulator.auto_answer = "decline"
    with pytest.raises(CscDeclined):
        client.authorize_on_phone("CRED-DUNG", hashes=[digest], hash_algorithm_oid=SHA256)


def test_an_expired_access_token_is_renewed_once(simulator: CscSimulator) -> None:
    client = client_for(simulator)
    assert client.list_credentials(USER) == ["CRED-DUNG"]
    simulator.tokens.clear()  # the service forgot every token (restart, revocation)
    assert client.list_credentials(USER) == ["CRED-DUNG"]
    assert len(simulator.tokens) == 1


def test_a_signature_that_does_not_match_the_certificate_is_refused(
    simulator: CscSimulator, material: CredentialMaterial
) -> None:
    wrong_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    simulator.add_credential(
        "079203000003",
        material=CredentialMaterial(private_key=wrong_key, chain=material.chain),
        credential_id="CRED-MIXED",
    )
    simulator.auto_answer = "approve"
    client = client_for(simulator)
    with pytest.raises(CscError) as mismatch:
        client.sign_digest(
            client.credential_info("CRED-MIXED"),
            hashlib.sha256(b"x").digest(),
            digest_name="sha256",
            description="",
        )
    assert (
        str(mismatch.value) == "Chữ ký do dịch vụ ký số từ xa trả về không khớp với chứng thư số."
    )
    assert mismatch.value.error == "signature_mismatch"

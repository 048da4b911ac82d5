"""The room reserved for the signature (CMS) in /Contents: enough for a chain of real-size
CA certificates and a timestamp token, and checked by pdfsig."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from asn1crypto import cms
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import AuthorityInformationAccessOID, NameOID
from django.utils import timezone
from pyhanko.pdf_utils.reader import PdfFileReader

from egov.signing.pki import DevPki
from egov.signing.services import RESERVED_HEX_DIGITS, Level, SigningError, sign_pdf
from egov.signing.signers import Pkcs12Signer
from egov.signing.tests.fixtures import PASSPHRASE, make_pdf, pdfsig
from egov.signing.verification import Verdict, verify_pdf

# What pyHanko's bytes_reserved=16_384 left for the CMS (the value used before).
EIGHT_KB = 8 * 1024


def _contents(signed: bytes) -> tuple[bytes, int]:
    """The signature's /Contents (with its zero padding) and the DER length of the CMS in it."""
    (signature,) = PdfFileReader(io.BytesIO(signed)).embedded_signatures
    contents = signature.pkcs7_content
    return contents, len(cms.ContentInfo.load(contents).dump())


def _ca_like(dev_pki: DevPki, number: int) -> asn1_x509.Certificate:
    """An intermediate CA certificate of the size Vietnamese public CAs issue (~1.5 kB: long
    organisation names, policy with CPS, CRL and AIA addresses), issued by the dev root."""
    root = dev_pki.certificate("root")
    public = dev_pki.private_key("intermediate").public_key()
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, "Thành phố Hà Nội"),
            x509.NameAttribute(NameOID.LOCALITY_NAME, "Quận Cầu Giấy"),
            x509.NameAttribute(
                NameOID.ORGANIZATION_NAME, "Công ty Cổ phần Dịch vụ Chứng thực Chữ ký số Thử nghiệm"
            ),
            x509.NameAttribute(
                NameOID.ORGANIZATIONAL_UNIT_NAME, "Trung tâm Chứng thực Điện tử Chuyên dùng"
            ),
            x509.NameAttribute(NameOID.COMMON_NAME, f"Egov Test Subordinate CA G{number}"),
        ]
    )
    base = f"http://ca{number}.example.invalid"
    now = timezone.now()
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(root.subject)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(
                dev_pki.private_key("root").public_key()
            ),
            critical=False,
        )
        .add_extension(
            x509.CertificatePolicies(
                [
                    x509.PolicyInformation(
                        x509.ObjectIdentifier(f"2.16.704.1.10.{number}"),
                        [
                            f"{base}/chinh-sach-chung-thu/cps-phien-ban-2-0.pdf",
                            x509.UserNotice(
                                None,
                                "Chứng thư số này chỉ dùng để thử nghiệm, không có giá trị "
                                "pháp lý.",
                            ),
                        ],
                    )
                ]
            ),
            critical=False,
        )
        .add_extension(
            x509.CRLDistributionPoints(
                [
                    x509.DistributionPoint(
                        [x509.UniformResourceIdentifier(f"{base}/crl/subordinate-ca.crl")],
                        None,
                        None,
                        None,
                    )
                ]
            ),
            critical=False,
        )
        .add_extension(
            x509.AuthorityInformationAccess(
                [
                    x509.AccessDescription(
                        AuthorityInformationAccessOID.OCSP,
                        x509.UniformResourceIdentifier(f"{base}/ocsp"),
                    ),
                    x509.AccessDescription(
                        AuthorityInformationAccessOID.CA_ISSUERS,
                        x509.UniformResourceIdentifier(f"{base}/certs/root-ca.cer"),
                    ),
                ]
            ),
            critical=False,
        )
    )
    certificate = builder.sign(dev_pki.private_key("root"), hashes.SHA256())
    return asn1_x509.Certificate.load(certificate.public_bytes(Encoding.DER))


@pytest.fixture(scope="module")
def large_chain_signer(dev_pki: DevPki) -> Pkcs12Signer:
    # A signer carrying, besides its own chain, three more CA certificates of real size: the
    # whole lot is embedded in the signature (pyHanko embeds the signer's registry).
    signer = Pkcs12Signer(dev_pki.pkcs12_path("leader"), PASSPHRASE.encode())
    for number in (1, 2, 3):
        signer.cert_registry.register(_ca_like(dev_pki, number))
    return signer


@pytest.fixture(scope="module")
def large_chain_signed(large_chain_signer: Pkcs12Signer) -> bytes:
    return sign_pdf(make_pdf(), signer=large_chain_signer, field_name="Sig", level=Level.B_LT)


def test_the_room_holds_16_kb_of_der() -> None:
    assert RESERVED_HEX_DIGITS // 2 == 16 * 1024


def test_a_signature_leaves_its_contents_the_reserved_size(signer_for) -> None:
    signed = sign_pdf(make_pdf(), signer=signer_for("leader"), field_name="Sig", level=Level.B_LT)
    contents, used = _contents(signed)
    assert len(contents) == RESERVED_HEX_DIGITS // 2
    assert used < RESERVED_HEX_DIGITS // 2


def test_a_chain_and_timestamp_beyond_8_kb_still_sign(large_chain_signed: bytes) -> None:
    contents, used = _contents(large_chain_signed)
    assert EIGHT_KB < used < RESERVED_HEX_DIGITS // 2
    assert len(contents) == RESERVED_HEX_DIGITS // 2
    assert verify_pdf(large_chain_signed).verdict == Verdict.VALID


def test_pdfsig_accepts_the_large_signature(large_chain_signed: bytes, tmp_path, nss_db) -> None:
    path = tmp_path / "large.pdf"
    path.write_bytes(large_chain_signed)
    (block,) = pdfsig(path, nss_db).split("Signature #")[1:]
    assert "Signature Validation: Signature is Valid." in block
    assert "Certificate Validation: Certificate is Trusted." in block


def test_a_signature_larger_than_its_room_is_refused_with_a_message(
    large_chain_signer: Pkcs12Signer,
) -> None:
    with pytest.raises(SigningError) as refused:
        sign_pdf(
            make_pdf(),
            signer=large_chain_signer,
            field_name="Sig",
            level=Level.B_LT,
            bytes_reserved=2 * EIGHT_KB,  # the old room: 8 kB of DER
        )
    assert refused.value.message == (
        "Không ký được: chữ ký số (chứng thư số, chuỗi chứng thư, dữ liệu thu hồi và dấu thời "
        "gian) lớn hơn chỗ dành cho chữ ký trong tệp. Vui lòng báo quản trị hệ thống."
    )

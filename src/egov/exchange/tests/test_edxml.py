"""edXML document packages: golden files, round trips, signatures and every refusal."""

from __future__ import annotations

import dataclasses

import pytest
from django.test import override_settings

from egov.exchange.codes import BusinessDocType
from egov.exchange.edxml import build_document_package, parse_document_package
from egov.exchange.errors import (
    BadAttachmentEncoding,
    InvalidValue,
    MalformedPackage,
    MissingElement,
    SignatureInvalid,
    UntrustedCertificate,
)
from egov.exchange.status import package_kind
from egov.exchange.tests.conftest import drop, resign, set_text
from egov.exchange.tests.samples import SUBJECT, check_golden, document_message
from egov.exchange.xmlsig import PackageSigner, TrustStore

GOLDEN_SUBJECT = "CN=UBND tỉnh Quảng Ninh (thử nghiệm),O=UBND tỉnh Quảng Ninh,C=VN"
HEADER = "edXMLEnvelope/edXMLHeader/MessageHeader"
TAMPERED = "Chữ ký số của gói tin không hợp lệ: nội dung đã bị thay đổi sau khi ký."
UNTRUSTED = "Chứng thư số ký gói tin không được tin cậy hoặc không còn hiệu lực."


@pytest.mark.parametrize("doc_type", list(BusinessDocType))
def test_build_matches_golden_file_byte_for_byte(doc_type, golden_signer):
    data = build_document_package(document_message(doc_type), signer=golden_signer)
    assert data == check_golden(f"document_{doc_type.value}.xml", data)


@pytest.mark.parametrize("doc_type", list(BusinessDocType))
def test_golden_file_parses_to_the_exact_message(doc_type, golden_trust):
    data = check_golden(f"document_{doc_type.value}.xml", b"")
    parsed = parse_document_package(data, trust=golden_trust)
    assert parsed.message == document_message(doc_type)
    assert parsed.signer_subject == GOLDEN_SUBJECT
    assert package_kind(data) == "document"


def test_business_type_codes_on_the_wire():
    # Notes §2.2 [S: BDT-ENUMS]: 0 new, 1 recall, 2 update, 3 replace.
    for doc_type, code in (("new", "0"), ("recall", "1"), ("update", "2"), ("replace", "3")):
        data = check_golden(f"document_{doc_type}.xml", b"")
        assert f"<edXML:BussinessDocType>{code}</edXML:BussinessDocType>".encode() in data


def test_vietnamese_subject_is_utf8_in_the_file_and_round_trips(golden_trust):
    data = check_golden("document_new.xml", b"")
    escaped = SUBJECT.replace("&", "&amp;")  # the only character XML escapes in it
    assert f"<edXML:Subject>{escaped}</edXML:Subject>".encode() in data
    assert data.startswith(b"<?xml version='1.0' encoding='UTF-8'?>\n")
    assert parse_document_package(data, trust=golden_trust).message.header.subject == SUBJECT


def test_one_byte_of_the_subject_changed_is_refused(golden_trust):
    data = check_golden("document_new.xml", b"")
    tampered = data.replace("Kế hoạch chuyển".encode(), "Kế hoạch chuyểm".encode(), 1)
    assert len(tampered) == len(data) and tampered != data
    with pytest.raises(SignatureInvalid) as caught:
        parse_document_package(tampered, trust=golden_trust)
    assert caught.value.message == TAMPERED


def test_a_changed_attachment_is_refused(golden_trust):
    data = check_golden("document_new.xml", b"")
    start = data.index(b"<edXML:ContentTransferEncoded>") + len(b"<edXML:ContentTransferEncoded>")
    flipped = b"A" if data[start : start + 1] != b"A" else b"B"
    tampered = data[:start] + flipped + data[start + 1 :]
    with pytest.raises(SignatureInvalid) as caught:
        parse_document_package(tampered, trust=golden_trust)
    assert caught.value.message == TAMPERED


def test_a_signature_value_changed_is_refused(golden_trust):
    data = check_golden("document_new.xml", b"")
    start = data.index(b"<ds:SignatureValue>") + len(b"<ds:SignatureValue>")
    flipped = b"A" if data[start : start + 1] != b"A" else b"B"
    with pytest.raises(SignatureInvalid) as caught:
        parse_document_package(data[:start] + flipped + data[start + 1 :], trust=golden_trust)
    assert caught.value.message == TAMPERED


def test_package_signed_by_an_untrusted_certificate_is_refused(dev_pki, golden_trust):
    outsider = PackageSigner.from_pkcs12(
        dev_pki.pkcs12_path("outsider").read_bytes(), b"test-pki-passphrase"
    )
    data = build_document_package(document_message(), signer=outsider)
    with pytest.raises(UntrustedCertificate) as caught:
        parse_document_package(data, trust=TrustStore.from_files([str(dev_pki.root_path)]))
    assert caught.value.message == UNTRUSTED
    # Nor does the golden root trust it, nor the dev root the golden signer.
    with pytest.raises(UntrustedCertificate):
        parse_document_package(data, trust=golden_trust)
    golden = check_golden("document_new.xml", b"")
    with pytest.raises(UntrustedCertificate):
        parse_document_package(golden, trust=TrustStore.from_files([str(dev_pki.root_path)]))


def test_expired_certificate_is_refused(dev_pki):
    expired = PackageSigner.from_pkcs12(
        dev_pki.pkcs12_path("expired").read_bytes(), b"test-pki-passphrase"
    )
    data = build_document_package(document_message(), signer=expired)
    trust = TrustStore.from_files([str(dev_pki.root_path)], [str(dev_pki.intermediate_path)])
    with pytest.raises(UntrustedCertificate) as caught:
        parse_document_package(data, trust=trust)
    assert caught.value.message == UNTRUSTED


def test_agency_signer_and_trust_store_from_settings(signing_settings):
    """The development PKI's agency certificate (an intermediate CA below the root): the
    intermediate travels in KeyInfo, the trust store holds only the root."""
    from egov.exchange.xmlsig import agency_package_signer

    signer = agency_package_signer("000.00.00.H49")
    data = build_document_package(document_message(), signer=signer)
    parsed = parse_document_package(data, trust=TrustStore.from_settings())
    assert parsed.message == document_message()
    assert parsed.signer_subject == (
        "CN=UBND tỉnh Quảng Ninh,O=UBND tỉnh Quảng Ninh,ST=Quảng Ninh,C=VN"
    )


# --- malformed input ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "Gói tin không phải là XML hợp lệ."),
        (b"<edXML:edXML xmlns:edXML='x'><unclosed>", "Gói tin không phải là XML hợp lệ."),
        (b"%PDF-1.7", "Gói tin không phải là XML hợp lệ."),
        (b"<Status/>", "Gói tin không phải là gói tin edXML."),
        (
            b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a 'b'>]><x>&a;</x>",
            "Gói tin không được chứa khai báo DOCTYPE.",
        ),
    ],
)
def test_not_an_edxml_package(data, message, golden_trust):
    with pytest.raises(MalformedPackage) as caught:
        parse_document_package(data, trust=golden_trust)
    assert caught.value.message == message


def test_package_larger_than_the_limit(golden_trust):
    with (
        override_settings(EGOV_EXCHANGE_PACKAGE_MAX_MB=1),
        pytest.raises(MalformedPackage) as caught,
    ):
        parse_document_package(b" " * (1024 * 1024 + 1), trust=golden_trust)
    assert caught.value.message == "Gói tin lớn hơn 1 MB."


def test_package_without_signature(golden_trust):
    data = check_golden("document_new.xml", b"")
    start = data.index(b"<ds:Signature")
    end = data.index(b"</ds:Signature>") + len(b"</ds:Signature>")
    with pytest.raises(SignatureInvalid) as caught:
        parse_document_package(data[:start] + data[end:], trust=golden_trust)
    assert caught.value.message == "Gói tin không có chữ ký số ở vị trí quy định."


@pytest.mark.parametrize(
    "path",
    [
        f"{HEADER}/Subject",
        f"{HEADER}/From",
        f"{HEADER}/DocumentId",
        f"{HEADER}/Code/CodeNotation",
        f"{HEADER}/PromulgationInfo/PromulgationDate",
        f"{HEADER}/SignerInfo/FullName",
        "edXMLEnvelope/edXMLHeader/TraceHeaderList/Bussiness",
        "edXMLEnvelope/edXMLHeader/TraceHeaderList/Bussiness/BussinessDocType",
    ],
)
def test_missing_required_element_names_it(path, golden_trust):
    data = resign(check_golden("document_new.xml", b""), drop(path))
    with pytest.raises(MissingElement) as caught:
        parse_document_package(data, trust=golden_trust)
    short = path.removeprefix("edXMLEnvelope/edXMLHeader/")
    assert caught.value.path == short
    assert caught.value.message == f"Gói tin thiếu thành phần bắt buộc: {short}."


def test_missing_recipients(golden_trust):
    def no_to(root):
        drop(f"{HEADER}/To")(root)
        drop(f"{HEADER}/To")(root)

    data = resign(check_golden("document_new.xml", b""), no_to)
    with pytest.raises(MissingElement) as caught:
        parse_document_package(data, trust=golden_trust)
    assert caught.value.message == "Gói tin thiếu thành phần bắt buộc: MessageHeader/To."


def test_attachment_listed_in_the_manifest_but_absent(golden_trust):
    data = resign(check_golden("document_new.xml", b""), drop("AttachmentEncoded/Attachment"))
    with pytest.raises(MissingElement) as caught:
        parse_document_package(data, trust=golden_trust)
    assert caught.value.message == (
        "Gói tin thiếu thành phần bắt buộc: AttachmentEncoded/Attachment[cid:1]."
    )


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (
            f"{HEADER}/PromulgationInfo/PromulgationDate",
            "30/11/2026",
            "Giá trị không hợp lệ ở MessageHeader/PromulgationInfo/PromulgationDate: “30/11/2026”.",
        ),
        (
            "edXMLEnvelope/edXMLHeader/TraceHeaderList/Bussiness/BussinessDocType",
            "7",
            "Giá trị không hợp lệ ở TraceHeaderList/Bussiness/BussinessDocType: “7”.",
        ),
        (
            "edXMLEnvelope/edXMLHeader/TraceHeaderList/TraceHeader/Timestamp",
            "2026-11-30T16:05:09",
            "Giá trị không hợp lệ ở TraceHeaderList/TraceHeader/Timestamp: “2026-11-30T16:05:09”.",
        ),
        (
            f"{HEADER}/OtherInfo/PageAmount",
            "ba",
            "Giá trị không hợp lệ ở MessageHeader/OtherInfo/PageAmount: “ba”.",
        ),
    ],
)
def test_invalid_values_name_element_and_value(path, value, message, golden_trust):
    data = resign(check_golden("document_new.xml", b""), set_text(path, value))
    with pytest.raises(InvalidValue) as caught:
        parse_document_package(data, trust=golden_trust)
    assert caught.value.message == message


def test_bad_base64_attachment(golden_trust):
    data = resign(
        check_golden("document_new.xml", b""),
        set_text("AttachmentEncoded/Attachment/ContentTransferEncoded", "JVBERi0x*%$"),
    )
    with pytest.raises(BadAttachmentEncoding) as caught:
        parse_document_package(data, trust=golden_trust)
    assert caught.value.message == "Tệp đính kèm cid:1 không được mã hóa base64 hợp lệ."


def test_builder_refuses_what_the_parser_would(golden_signer):
    message = document_message()
    no_subject = dataclasses.replace(
        message, header=dataclasses.replace(message.header, subject="  ")
    )
    with pytest.raises(MissingElement) as caught:
        build_document_package(no_subject, signer=golden_signer)
    assert caught.value.path == "MessageHeader/Subject"
    twice = dataclasses.replace(message, attachments=message.attachments[:1] * 2)
    with pytest.raises(InvalidValue) as invalid:
        build_document_package(twice, signer=golden_signer)
    assert invalid.value.message == (
        "Giá trị không hợp lệ ở AttachmentEncoded/Attachment/ContentId: “cid:1”."
    )


def test_line_wrapped_base64_from_other_systems_is_read(golden_trust):
    def wrap(root):
        from egov.exchange.tests.conftest import node

        element = node(root, "AttachmentEncoded/Attachment/ContentTransferEncoded")
        text = element.text or ""
        element.text = "\n".join(text[i : i + 76] for i in range(0, len(text), 76))

    data = resign(check_golden("document_new.xml", b""), wrap)
    parsed = parse_document_package(data, trust=golden_trust)
    assert parsed.message.attachments == document_message().attachments


def test_attachment_over_ten_megabytes_round_trips(golden_signer, golden_trust):
    """One base64 text node over lxml's default 10 MB limit (a scanned dossier)."""
    message = document_message()
    big = dataclasses.replace(message.attachments[0], content=bytes(range(256)) * 45_000)
    message = dataclasses.replace(message, attachments=(big,))
    data = build_document_package(message, signer=golden_signer)
    assert len(data) > 15_000_000
    assert parse_document_package(data, trust=golden_trust).message == message


def test_messages_in_english_through_gettext(golden_trust):
    from django.utils import translation

    data = check_golden("document_new.xml", b"")
    tampered = data.replace("Kế hoạch chuyển".encode(), "Kế hoạch chuyểm".encode(), 1)
    with translation.override("en"), pytest.raises(SignatureInvalid) as caught:
        parse_document_package(tampered, trust=golden_trust)
    assert caught.value.message == (
        "The package's digital signature is invalid: the content was changed after signing."
    )


def test_a_signature_over_part_of_the_package_is_refused(golden_signer, golden_trust):
    """Signed by a trusted key, but only MessageHeader: the attachments could be anything."""
    from lxml import etree
    from signxml.algorithms import DigestAlgorithm, SignatureMethod
    from signxml.signer import XMLSigner

    from egov.exchange.edxml import document_tree
    from egov.exchange.wire import q
    from egov.exchange.xmlsig import DS

    root, header = document_tree(document_message())
    header.find(q("MessageHeader")).set("Id", "h")
    etree.SubElement(header, f"{{{DS}}}Signature", Id="placeholder")
    signed = XMLSigner(
        signature_algorithm=SignatureMethod.RSA_SHA256, digest_algorithm=DigestAlgorithm.SHA256
    ).sign(root, key=golden_signer.key, cert=[golden_signer.certificate], reference_uri="#h")
    with pytest.raises(SignatureInvalid) as caught:
        parse_document_package(etree.tostring(signed), trust=golden_trust)
    assert caught.value.message == "Chữ ký số không bao trùm toàn bộ gói tin."

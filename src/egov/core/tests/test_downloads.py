"""core.downloads: one way to answer with a file — type, safe Content-Disposition (RFC 6266 /
RFC 5987 for Vietnamese names), nosniff, no caching of personal files."""

from __future__ import annotations

import io

import pytest

from egov.core.downloads import (
    content_disposition,
    content_response,
    pdf_response,
    safe_filename,
    stored_file_response,
)
from egov.core.uploads import store_private

PDF = b"%PDF-1.4\n% egov\n%%EOF\n"


def test_plain_names_are_quoted_as_they_are():
    assert content_disposition("giay-tiep-nhan-000.00.89.H49-260424-0001.pdf") == (
        'attachment; filename="giay-tiep-nhan-000.00.89.H49-260424-0001.pdf"'
    )
    assert content_disposition("so-theo-doi.pdf", inline=True) == (
        'inline; filename="so-theo-doi.pdf"'
    )


def test_vietnamese_names_get_an_ascii_fallback_and_the_exact_name():
    assert content_disposition("Tờ khai đăng ký hộ kinh doanh.pdf") == (
        'attachment; filename="To khai dang ky ho kinh doanh.pdf"; '
        "filename*=UTF-8''T%E1%BB%9D%20khai%20%C4%91%C4%83ng%20k%C3%BD%20h%E1%BB%99%20"
        "kinh%20doanh.pdf"
    )


def test_names_cannot_break_the_header_or_name_a_path():
    assert safe_filename('../../etc/"passwd"\r\nSet-Cookie: x=1') == ("passwd_Set-Cookie_ x=1")
    assert safe_filename("C:\\Users\\An\\Giấy tờ.pdf") == "Giấy tờ.pdf"
    assert safe_filename("...") == "tep"
    long_name = "a" * 300 + ".pdf"
    assert safe_filename(long_name) == "a" * 146 + ".pdf"
    header = content_disposition('bao "cao";\x00.xlsx')
    assert header == 'attachment; filename="bao _cao_.xlsx"'


def test_generated_files_are_typed_private_and_not_sniffed():
    response = pdf_response(PDF, "phiếu.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        "inline; filename=\"phieu.pdf\"; filename*=UTF-8''phi%E1%BA%BFu.pdf"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    public = content_response(
        b"PK", content_type="application/zip", filename="mau.docx", private=False
    )
    assert "Cache-Control" not in public
    assert public["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_a_stored_file_is_served_with_the_type_of_its_content(_private_files):
    stored = store_private(io.BytesIO(PDF), original_name="Đơn đề nghị.png", prefix="t")
    response = stored_file_response(stored)
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"  # the bytes decide, not the name
    assert response["Content-Disposition"] == (
        'attachment; filename="Don de nghi.png"; '
        "filename*=UTF-8''%C4%90%C6%A1n%20%C4%91%E1%BB%81%20ngh%E1%BB%8B.png"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Length"] == str(len(PDF))
    named = stored_file_response(stored, filename=f"KQ-{stored.pk}.{stored.extension}")
    assert named["Content-Disposition"] == f'attachment; filename="KQ-{stored.pk}.pdf"'

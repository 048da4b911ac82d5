"""Limits of verification: file size, number of signatures, one value behind many fields."""

from __future__ import annotations

import io

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from egov.signing.services import Level, sign_pdf
from egov.signing.tests.fixtures import make_pdf
from egov.signing.verification import MAX_SIGNATURES, Verdict, verify_pdf


@pytest.fixture(scope="module")
def signed(signer_for) -> bytes:
    return sign_pdf(make_pdf(), signer=signer_for("leader"), field_name="Sig", level=Level.B_LT)


def _fields_sharing_the_value(data: bytes, count: int) -> bytes:
    """``count`` more signature fields whose value is the existing signature's."""
    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    form = writer.root["/AcroForm"]
    existing = list(form["/Fields"])
    value = existing[0].get_object().raw_get("/V")
    extra = [
        writer.add_object(
            generic.DictionaryObject(
                {
                    generic.NameObject("/FT"): generic.NameObject("/Sig"),
                    generic.NameObject("/T"): generic.TextStringObject(f"S{number}"),
                    generic.NameObject("/V"): value,
                }
            )
        )
        for number in range(count)
    ]
    form[generic.NameObject("/Fields")] = generic.ArrayObject(existing + extra)
    writer.update_container(form)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_fields_sharing_one_signature_value_are_checked_once(signed):
    result = verify_pdf(_fields_sharing_the_value(signed, 5))
    assert [s.field_name for s in result.signatures] == ["Sig"]
    # The new fields themselves are a change after signing.
    assert result.verdict == Verdict.MODIFIED


def test_too_many_signatures_are_not_checked(signed):
    result = verify_pdf(_fields_sharing_the_value(signed, MAX_SIGNATURES))
    assert (result.verdict, result.signatures) == (Verdict.TOO_LARGE, ())
    assert result.message == "Tài liệu có quá nhiều chữ ký số để kiểm tra (tối đa 50)."


def test_files_over_the_size_limit_are_not_checked(signed, settings):
    settings.EGOV_SIGNING_VERIFY_MAX_MB = 1
    padded = signed + b" " * (1024 * 1024)
    result = verify_pdf(padded)
    assert (result.verdict, result.signatures) == (Verdict.TOO_LARGE, ())
    assert result.message == "Tệp quá lớn để kiểm tra chữ ký số (tối đa 1 MB)."
    assert verify_pdf(signed).verdict == Verdict.VALID

"""Form fields changed after a signature: only the number and date of issue, and only when a
later signature covers the change (NĐ 30/2020/NĐ-CP Điều 15; egov.signing.fields)."""

from __future__ import annotations

import io

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from egov.signing.fields import DATE_FIELD, NUMBER_FIELD
from egov.signing.services import Box, sign_agency, sign_personal
from egov.signing.verification import Verdict, verify_pdf

PERSONAL_BOX = Box(page=1, x=320, y=185, width=170, height=70)


def _draft_with_fields() -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    canvas.drawString(72, 760, "QUYET DINH")
    form = canvas.acroForm
    form.textfield(name=NUMBER_FIELD, x=72, y=700, width=200, height=20, value="")
    form.textfield(name=DATE_FIELD, x=300, y=700, width=200, height=20, value="")
    form.textfield(name="SoTien", x=72, y=650, width=200, height=20, value="1.000.000")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _fill(data: bytes, **values: str) -> bytes:
    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    for ref in writer.root["/AcroForm"]["/Fields"]:
        field = ref.get_object()
        if str(field.get("/T")) in values:
            field[generic.NameObject("/V")] = generic.TextStringObject(values[str(field["/T"])])
            writer.update_container(field)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def personal(signer_for) -> bytes:
    return sign_personal(_draft_with_fields(), signer=signer_for("leader"), box=PERSONAL_BOX)


def _verdicts(data: bytes) -> list[tuple[str, Verdict, bool]]:
    return [(s.field_name, s.verdict, s.modified_after) for s in verify_pdf(data).signatures]


def test_number_and_date_filled_between_the_signatures_are_valid(personal, signer_for):
    numbered = _fill(personal, **{NUMBER_FIELD: "12/QĐ-UBND", DATE_FIELD: "01/12/2026"})
    signed = sign_agency(numbered, signer=signer_for("agency"), personal_box=PERSONAL_BOX)

    result = verify_pdf(signed)
    assert result.verdict == Verdict.VALID
    assert _verdicts(signed) == [
        ("SigNguoiKy", Verdict.VALID, False),
        ("SigCoQuan", Verdict.VALID, False),
    ]


def test_number_changed_after_the_last_signature_is_modified(personal, signer_for):
    numbered = _fill(personal, **{NUMBER_FIELD: "12/QĐ-UBND"})
    signed = sign_agency(numbered, signer=signer_for("agency"), personal_box=PERSONAL_BOX)
    renumbered = _fill(signed, **{NUMBER_FIELD: "13/QĐ-UBND"})

    result = verify_pdf(renumbered)
    assert (result.verdict, result.message) == (
        Verdict.MODIFIED,
        "Tài liệu đã bị sửa đổi sau khi ký.",
    )
    assert _verdicts(renumbered) == [
        ("SigNguoiKy", Verdict.MODIFIED, True),
        ("SigCoQuan", Verdict.MODIFIED, True),
    ]


def test_number_filled_after_the_only_signature_is_modified(personal):
    assert _verdicts(_fill(personal, **{DATE_FIELD: "01/12/2026"})) == [
        ("SigNguoiKy", Verdict.MODIFIED, True)
    ]


def test_another_field_changed_after_signing_is_modified_even_if_signed_again(personal, signer_for):
    changed = _fill(personal, SoTien="999.000.000")
    assert _verdicts(changed) == [("SigNguoiKy", Verdict.MODIFIED, True)]
    signed = sign_agency(changed, signer=signer_for("agency"), personal_box=PERSONAL_BOX)
    assert _verdicts(signed) == [
        ("SigNguoiKy", Verdict.MODIFIED, True),
        ("SigCoQuan", Verdict.VALID, False),
    ]

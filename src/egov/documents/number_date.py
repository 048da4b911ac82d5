"""The number and the date of issue written into an outgoing document's file.

NĐ 30/2020/NĐ-CP, Điều 15 and Phụ lục I (ô 3, ô 4): the văn thư gives số and ngày when the
document is registered, after the competent person signed. The composer's draft has empty form
fields for them; an uploaded or converted draft gets the same fields where its page 1 shows a
blank "Số:" and date line (``official.prepare_for_numbering``), before anyone signs. What the
draft carries is recorded with its version (``layout``: ``number_date`` = an
``official.Placement``, ``fields`` = size and slant per field added), shown to the drafter,
the signer and the văn thư (``number_date_notice``), and used when the fields are filled.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.translation import gettext as _

from egov.core.printing import official
from egov.documents.models import OutgoingDocument
from egov.documents.notation import format_number
from egov.signing.fill import fill_text_fields, form_field_names

# As the composer prints ô 3 (13 pt) and ô 4 (14 pt italic): the sizes of fields whose style
# was not recorded (the composer's, or a draft uploaded with its fields already in it).
NUMBER_SIZE, DATE_SIZE = 13.0, 14.0
DEFAULT_STYLES: dict[str, tuple[float, bool]] = {
    official.NUMBER_FIELD: (NUMBER_SIZE, False),
    **dict.fromkeys(official.DATE_FIELDS, (DATE_SIZE, True)),
}


def draft_with_fields(pdf: bytes) -> tuple[bytes, dict[str, object]]:
    """An uploaded draft with its number and date fields if page 1 shows where, and the
    ``layout`` to record with its version."""
    prepared = official.prepare_for_numbering(pdf)
    layout: dict[str, object] = {"number_date": prepared.placement.value}
    if prepared.spots:
        layout["fields"] = {spot.name: [spot.size, spot.italic] for spot in prepared.spots}
    return prepared.pdf, layout


def _styles(layout: Mapping[str, object]) -> dict[str, tuple[float, bool]]:
    styles = dict(DEFAULT_STYLES)
    recorded = layout.get("fields")
    if isinstance(recorded, dict):
        for name, style in recorded.items():
            if name in styles and isinstance(style, list) and len(style) == 2:
                styles[name] = (float(style[0]), bool(style[1]))
    return styles


def _date_values(day: dt.date) -> dict[str, str]:
    return dict(zip(official.DATE_FIELDS, official.date_parts(day), strict=True))


def write_number_and_date(
    document: OutgoingDocument, data: bytes, layout: Mapping[str, object]
) -> bytes:
    """``data`` (the signed PDF) with its number and date fields filled (those it has), in
    the size and slant recorded for them; unchanged when it has none."""
    fields = set(form_field_names(data))
    values: dict[str, str] = {}
    if official.NUMBER_FIELD in fields and document.code_number is not None:
        values[official.NUMBER_FIELD] = format_number(document.code_number)
    if document.issued_date is not None:
        dates = _date_values(document.issued_date)
        values.update({name: value for name, value in dates.items() if name in fields})
    if not values:
        return data
    styles = _styles(layout)
    return fill_text_fields(
        data,
        values,
        italic=frozenset(name for name in values if styles[name][1]),
        sizes={name: styles[name][0] for name in values},
    )


@dataclass(frozen=True, slots=True)
class NumberDateNotice:
    """What the latest draft's file will show of the number and date: ``placement`` (an
    ``official.Placement`` value, "" when not known: no file, or uploaded before it was
    recorded), whether both are written into the file, a sentence for the document's page
    and a short one for lists (both "" when there is nothing to warn of)."""

    placement: str
    on_file: bool
    text: str = ""
    short: str = ""


def number_date_notice(layout: Mapping[str, object]) -> NumberDateNotice:
    placement = str(layout.get("number_date", ""))
    if not placement:
        # A composer draft records its boxes, never a placement: its fields are always there.
        composed = "personal" in layout
        return NumberDateNotice(official.Placement.FIELDS if composed else "", composed)
    if placement == official.Placement.FIELDS:
        text = _(
            "Tệp có ô ghi số (sau “Số:”) và ngày tháng năm ở trang 1: văn thư ghi số và ngày "
            "vào tệp khi cấp số, sau khi người có thẩm quyền ký."
        )
        return NumberDateNotice(placement, True, text)
    fields = layout.get("fields")
    named = set(fields) if isinstance(fields, dict) else set()
    remedy = _(
        "Muốn có số và ngày trên văn bản, hãy tải lên tệp DOCX hoặc PDF xuất từ Word có dòng "
        "“Số:      /…” và dòng “…, ngày … tháng … năm …” để trống ở trang 1."
    )
    if placement == official.Placement.PARTIAL:
        if official.NUMBER_FIELD in named:
            short = _("Ngày ban hành sẽ không có trên tệp (chỉ ghi trong sổ).")
        else:
            short = _("Số sẽ không có trên tệp (chỉ ghi trong sổ).")
        text = _(
            "Trang 1 của tệp chỉ có một trong hai chỗ trống để ghi số và ngày tháng năm: %(short)s"
        ) % {"short": short}
        return NumberDateNotice(placement, False, f"{text} {remedy}", short)
    reasons = {
        official.Placement.NO_TEXT.value: _(
            "Trang 1 của tệp không có lớp chữ (bản quét) nên không xác định được chỗ ghi số và "
            "ngày."
        ),
        official.Placement.NOT_FOUND.value: _(
            "Không tìm thấy dòng “Số:” và dòng ngày tháng năm còn để trống ở nửa trên trang 1 "
            "của tệp."
        ),
        official.Placement.KEPT.value: _(
            "Tệp đã có chữ ký số, được mã hóa hoặc không đọc được cấu trúc nên được giữ nguyên."
        ),
    }
    only_register = _(
        "Số và ngày ban hành chỉ được ghi trong sổ văn bản đi và thông tin của văn bản (thời "
        "điểm ký có trong chữ ký số của cơ quan), không được ghi lên tệp."
    )
    text = " ".join([reasons.get(placement, ""), only_register, remedy]).strip()
    return NumberDateNotice(
        placement, False, text, _("Số và ngày sẽ không có trên tệp (chỉ ghi trong sổ).")
    )

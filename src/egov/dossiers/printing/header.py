"""The two-column heading of the one-stop forms (TT 01/2018/TT-VPCP, Phụ lục, Mẫu 01–05):
the agency on the left (its superior above it, a short rule, then the form's number), the
Quốc hiệu and tiêu ngữ on the right with the place and date line under them, and the form's
reference ("Mẫu số 04, …") above the right column, as the templates lay it out (NĐ 30/2020/NĐ-CP,
Phụ lục I for the header boxes and the date line).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from egov.core.printing.official.layout import MOTTO, NATIONAL_NAME, date_line
from egov.core.printing.pdf import wrap
from egov.org.models import Unit

# The date line leaves room for the place when no place is known, as the templates do.
UNKNOWN_PLACE = "……"


@dataclass(frozen=True)
class FormHeader:
    """What the heading prints: ``agency`` lines (the superior first, the issuing unit
    last), the ``place_date`` line, the form's ``number`` line ("Số: 05/PXL"; empty: none)
    and the ``reference`` to the form and its circular ("Mẫu số 04, TT 01/2018/TT-VPCP")."""

    agency: Sequence[str]
    place_date: str
    number: str = ""
    reference: str = ""


def place_of(unit: Unit) -> str:
    """The place name (địa danh) of a unit's forms: the province's setting for the unit
    (EGOV_FORM_PLACE_NAMES, unit key → name), else the name of the area the unit serves —
    a commune centre prints its commune, a provincial one its province (NĐ 30/2020/NĐ-CP,
    Phụ lục I, II.4.a names the town where a provincial agency sits: set it per unit)."""
    configured: dict[str, str] = settings.EGOV_FORM_PLACE_NAMES
    if unit.key in configured:
        return configured[unit.key]
    area = unit.area if unit.area_id else None
    return area.name if area is not None else UNKNOWN_PLACE


def agency_lines(unit: Unit) -> list[str]:
    """The agency box: the unit's superior above the unit itself."""
    return [unit.parent.name, unit.name] if unit.parent_id and unit.parent else [unit.name]


def header_for(unit: Unit, day: dt.date, *, reference: str, number: str = "") -> FormHeader:
    return FormHeader(
        agency=agency_lines(unit),
        place_date=date_line(place_of(unit), day),
        number=number,
        reference=reference,
    )


def _fitting_size(text: str, font: str, size: float, width: float) -> float:
    """``size``, or smaller so that ``text`` fits on one line of ``width``."""
    needed = float(stringWidth(text, font, size))
    return size if needed <= width else size * width / needed


def draw_form_header(
    canvas: Canvas,
    header: FormHeader,
    *,
    font: str,
    left: float,
    right: float,
    top: float,
    size: float = 7.5,
    split: float = 0.42,
) -> float:
    """Draw the heading from ``top`` down between ``left`` and ``right``; the left column
    takes ``split`` of the width. Returns the y under the heading."""
    width = right - left
    gap = 6.0
    left_right = left + width * split
    left_centre = (left + left_right) / 2
    right_left = left_right + gap
    right_centre = (right_left + right) / 2
    right_width = right - right_left
    leading = size + 2.5
    y = top
    if header.reference:
        canvas.setFont(font, size - 1)
        canvas.drawRightString(right, y - (size - 1), header.reference)
        y -= size + 4

    # Left column: agency names in capitals, a short rule under the issuing unit, the number.
    baseline = y - size
    canvas.setFont(font, size)
    for index, part in enumerate(
        part for name in header.agency for part in wrap(name.upper(), font, size, left_right - left)
    ):
        baseline = y - size - leading * index
        canvas.drawCentredString(left_centre, baseline, part)
    rule = (left_right - left) / 3
    canvas.line(left_centre - rule / 2, baseline - 5, left_centre + rule / 2, baseline - 5)
    if header.number:
        baseline -= leading + 5
        canvas.drawCentredString(left_centre, baseline, header.number)
    ly = baseline - leading

    # Right column: Quốc hiệu, tiêu ngữ underlined by its own width, then place and date.
    ry = y - size
    national = _fitting_size(NATIONAL_NAME, font, size, right_width)
    canvas.setFont(font, national)
    canvas.drawCentredString(right_centre, ry, NATIONAL_NAME)
    ry -= leading
    canvas.setFont(font, size)
    canvas.drawCentredString(right_centre, ry, MOTTO)
    motto = float(stringWidth(MOTTO, font, size))
    canvas.line(right_centre - motto / 2, ry - 3.5, right_centre + motto / 2, ry - 3.5)
    ry -= leading + 4
    place_size = _fitting_size(header.place_date, font, size, right_width)
    canvas.setFont(font, place_size)
    canvas.drawCentredString(right_centre, ry, header.place_date)
    ry -= leading
    return min(ly, ry) - 4

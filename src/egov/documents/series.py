"""Number series of official documents (sổ văn bản), all through ``core.numbering``.

Per agency and year, from 01 on 1 January to 31 December (NĐ 30/2020/NĐ-CP, Điều 15.1.a;
Điều 22.2 for số đến):
- outgoing administrative documents: one shared series, or one per type, as the head of the
  agency decides (Điều 15.1.b) — ``AgencySettings.outgoing_series``;
- secret documents: a separate series (Điều 15.1.d), for outgoing and — by the same reading,
  chưa xác nhận for incoming — for incoming secret documents;
- copies (sao y, sao lục, trích sao): one series shared by the three forms (Phụ lục I,
  Phần II, II.1.c);
- incoming documents: one series for paper and electronic (Điều 22.2).
The same series serves paper and electronic documents.
"""

from __future__ import annotations

import datetime as dt

from egov.core.numbering import Series, take_number, yearly
from egov.documents.catalogue import (
    SECRET_LEVELS,
    AgencySettings,
    DocumentType,
    OutgoingSeriesMode,
)
from egov.org.models import Unit

OUTGOING = "document-out"
INCOMING = "document-in"
SHARED_REGISTER = "chung"
SECRET_REGISTER = "mat"  # noqa: S105 (sổ văn bản mật, not a password)
COPY_REGISTER = "sao"
# Per-type mode: the one register of the types without an abbreviation (the key of công
# văn, so a series already started for it continues).
NO_ABBREVIATION_REGISTER = "cong-van"


def outgoing_register_name(
    *, settings: AgencySettings | None, document_type: DocumentType, confidentiality: str
) -> str:
    """The name of the outgoing register a document is numbered in."""
    if confidentiality in SECRET_LEVELS:
        return SECRET_REGISTER
    if document_type.is_copy:
        return COPY_REGISTER
    if settings is not None and settings.outgoing_series == OutgoingSeriesMode.PER_TYPE:
        # Types with no abbreviation in the ký hiệu (công văn, thư công: Phụ lục III) build
        # the same "số/CQ-ĐV"; one series for them keeps each số and ký hiệu unique in the
        # year (NĐ 30/2020, Điều 15.1).
        if not document_type.abbreviation:
            return NO_ABBREVIATION_REGISTER
        return document_type.key
    return SHARED_REGISTER


def incoming_register_name(*, confidentiality: str) -> str:
    return SECRET_REGISTER if confidentiality in SECRET_LEVELS else SHARED_REGISTER


def outgoing_series(agency: Unit, register: str, *, on: dt.date) -> Series:
    return yearly(OUTGOING, agency.pk, register, on=on)


def incoming_series(agency: Unit, register: str, *, on: dt.date) -> Series:
    return yearly(INCOMING, agency.pk, register, on=on)


def take_outgoing_number(agency: Unit, register: str, *, on: dt.date) -> int:
    """The next number of the register (inside the transaction that stores it)."""
    return take_number(outgoing_series(agency, register, on=on))


def take_incoming_number(agency: Unit, register: str, *, on: dt.date) -> int:
    return take_number(incoming_series(agency, register, on=on))


def take_copy_number(agency: Unit, *, on: dt.date) -> int:
    """The next number of the agency's copies (sao y, sao lục, trích sao share it; Phụ lục I,
    Phần II.II.1.c): the register of the outgoing documents of a copy type, so a bản sao
    drafted as an outgoing document and an electronic copy never get the same number."""
    return take_outgoing_number(agency, COPY_REGISTER, on=on)

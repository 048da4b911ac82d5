"""Helpers of the work-file, register and search tests: real PDFs with a Vietnamese text
layer, and documents brought through their real lifecycles."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
from typing import Any
from zoneinfo import ZoneInfo

import time_machine
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from egov.core.models import StoredFile
from egov.core.printing.pdf import register_font
from egov.core.uploads import store_private
from egov.documents.actions import OutgoingAction as A
from egov.documents.models import IncomingDocument, IncomingSource, OutgoingDocument
from egov.documents.selectors import document_type
from egov.documents.services.incoming import (
    AssigneeInput,
    incoming_distribute,
    incoming_receive,
    incoming_register,
)
from egov.documents.services.outgoing import RecipientInput, outgoing_create, outgoing_transition
from egov.documents.state import TRANSITIONS
from egov.documents.tests.conftest import Province


def pdf_bytes(*pages: str) -> bytes:
    """A PDF with one page per text, drawn with an embedded Vietnamese font."""
    font = register_font()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    for text in pages:
        canvas.setFont(font, 12)
        canvas.drawString(72, 760, text)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def text_pdf(*pages: str, name: str = "van-ban.pdf") -> StoredFile:
    return store_private(
        io.BytesIO(pdf_bytes(*pages)), original_name=name, prefix="documents", uploaded_by=None
    )


def received(
    province: Province,
    *,
    subject: str,
    organ_name: str = "Bộ Nội vụ",
    code_number: str = "12",
    code_notation: str = "BNV-VP",
    issued_date: dt.date | None = None,
    file: StoredFile | None = None,
    register: bool = True,
    distribute: bool = True,
    **extra: object,
) -> IncomingDocument:
    document = incoming_receive(
        actor=province.clerk,
        agency=province.agency,
        source=IncomingSource.UPLOAD if file else IncomingSource.PAPER,
        organ_name=organ_name,
        subject=subject,
        code_number=code_number,
        code_notation=code_notation,
        issued_date=issued_date,
        type_name="Công văn",
        file=file,
        **extra,  # type: ignore[arg-type]
    )
    if register:
        document = incoming_register(actor=province.clerk, document=document, override_reason="x")
        if distribute:  # to the VX division, so that its people see it
            incoming_distribute(
                actor=province.leader,
                document=document,
                lead=AssigneeInput(unit=province.vx, working_days=5),
            )
    document.refresh_from_db()
    return document


def draft(
    province: Province, *, key: str = "bao-cao", subject: str = "Báo cáo", **extra: Any
) -> OutgoingDocument:
    """A draft by the VX division's specialist, for the agency's leader to sign unless
    ``extra`` names another ``signer``."""
    kind = document_type(None, key)
    assert kind is not None
    return outgoing_create(
        actor=province.specialist,
        agency=province.agency,
        drafting_unit=province.vx,
        document_type=kind,
        subject=subject,
        **{"signer": province.leader, **extra},
    )


def take_step(
    province: Province,
    document: OutgoingDocument,
    action: str,
    who: str,
    file: StoredFile | None = None,
) -> None:
    """``who`` (a person of ``province``) takes ``action``; signing is KT. PHÓ CHỦ TỊCH."""
    outgoing_transition(
        actor=getattr(province, who),
        document=document,
        action=action,
        file=file,
        delegation="KT." if action == A.SIGN else "",
        signer_position="PHÓ CHỦ TỊCH" if action == A.SIGN else "",
    )


HAPPY_PATH = [
    (A.SUBMIT, "specialist"),
    (A.APPROVE_CONTENT, "vx_leader"),
    (A.APPROVE_FORMAT, "clerk"),
    (A.SIGN, "leader"),
    (A.REGISTER, "clerk"),
    (A.AGENCY_SIGN, "clerk"),
    (A.ISSUE, "clerk"),
]


def issued(
    province: Province,
    *,
    subject: str,
    key: str = "quyet-dinh",
    text: str = "Nội dung văn bản",
    until: str = A.ISSUE,
    issued_date: dt.date | None = None,
) -> OutgoingDocument:
    """An outgoing document brought through its lifecycle up to ``until`` (issue)."""
    document = draft(
        province,
        key=key,
        subject=subject,
        unit_abbreviation=province.vx_abbr,
        file=text_pdf(text),
        recipients=[RecipientInput(unit=province.other), RecipientInput(name="Báo Quảng Ninh")],
    )
    for action, who in HAPPY_PATH:
        file = text_pdf(text) if TRANSITIONS[action].needs_file else None
        # A document is numbered and dated on the day it is registered (NĐ 30, Điều 15.1):
        # an older issue date means registering on that day.
        registered_on = (
            time_machine.travel(
                dt.datetime.combine(issued_date, dt.time(9), tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")),
                tick=False,
            )
            if issued_date is not None and action == A.REGISTER
            else contextlib.nullcontext()
        )
        with registered_on:
            take_step(province, document, action, who, file)
        document.refresh_from_db()
        if action == until:
            break
    return document

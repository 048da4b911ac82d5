"""Registers of official documents: shared or per type, secret and copy series, incoming
series, reset on 1 January, gap-free under concurrency (NĐ 30/2020, Điều 15, 22)."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.db import connection, transaction

from egov.core.numbering import last_number
from egov.core.tests.test_numbering import run_at_once
from egov.documents.actions import OutgoingAction as A
from egov.documents.catalogue import DocumentType, OutgoingSeriesMode
from egov.documents.errors import TransitionRefused
from egov.documents.models import Confidentiality, OutgoingDocument
from egov.documents.selectors import document_type
from egov.documents.series import (
    COPY_REGISTER,
    SECRET_REGISTER,
    SHARED_REGISTER,
    incoming_register_name,
    incoming_series,
    outgoing_register_name,
    outgoing_series,
    take_incoming_number,
    take_outgoing_number,
)
from egov.documents.services.outgoing import outgoing_transition
from egov.documents.tests.conftest import Province, stored_pdf
from egov.documents.tests.helpers import draft

VN = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def _type(key: str) -> DocumentType:
    found = document_type(None, key)
    assert found is not None
    return found


def test_register_names(province: Province):
    settings = province.settings
    decision, official_letter = _type("quyet-dinh"), _type("cong-van")
    assert (
        outgoing_register_name(settings=settings, document_type=decision, confidentiality="normal")
        == SHARED_REGISTER
    )
    settings.outgoing_series = OutgoingSeriesMode.PER_TYPE
    assert (
        outgoing_register_name(settings=settings, document_type=decision, confidentiality="normal")
        == "quyet-dinh"
    )
    assert (
        outgoing_register_name(
            settings=settings, document_type=official_letter, confidentiality="normal"
        )
        == "cong-van"
    )
    for secret in ("secret", "top_secret", "ultra_secret"):
        assert (
            outgoing_register_name(
                settings=settings, document_type=decision, confidentiality=secret
            )
            == SECRET_REGISTER
        )
        assert incoming_register_name(confidentiality=secret) == SECRET_REGISTER
    for copy in ("ban-sao-y", "ban-sao-luc", "ban-trich-sao"):
        assert (
            outgoing_register_name(
                settings=settings, document_type=_type(copy), confidentiality="normal"
            )
            == COPY_REGISTER
        )
    assert incoming_register_name(confidentiality="normal") == SHARED_REGISTER


def test_series_run_separately_and_restart_each_year(province: Province):
    agency, other = province.agency, province.other
    day = dt.date(2026, 12, 31)
    with transaction.atomic():
        assert [take_outgoing_number(agency, SHARED_REGISTER, on=day) for _ in range(3)] == [
            1,
            2,
            3,
        ]
        assert take_outgoing_number(agency, SECRET_REGISTER, on=day) == 1
        assert take_outgoing_number(agency, COPY_REGISTER, on=day) == 1
        assert take_outgoing_number(other, SHARED_REGISTER, on=day) == 1
        assert take_incoming_number(agency, SHARED_REGISTER, on=day) == 1
        assert take_incoming_number(agency, SHARED_REGISTER, on=day) == 2
        assert take_incoming_number(agency, SECRET_REGISTER, on=day) == 1
        # 1 January: every register starts again from 01.
        new_year = dt.date(2027, 1, 1)
        assert take_outgoing_number(agency, SHARED_REGISTER, on=new_year) == 1
        assert take_incoming_number(agency, SHARED_REGISTER, on=new_year) == 1
    assert last_number(outgoing_series(agency, SHARED_REGISTER, on=day)) == 3
    assert last_number(incoming_series(agency, SHARED_REGISTER, on=day)) == 2


def _signed(province: Province, key: str, **extra: object) -> OutgoingDocument:
    """An outgoing document brought to "signed", ready for the clerk to number."""
    document = draft(
        province,
        key=key,
        subject="Về việc tổ chức Tết Nguyên đán",
        unit_abbreviation=province.vx_abbr,
        **extra,
    )
    file = None if document.is_secret else stored_pdf()
    outgoing_transition(actor=province.specialist, document=document, action=A.SUBMIT)
    outgoing_transition(actor=province.vx_leader, document=document, action=A.APPROVE_CONTENT)
    outgoing_transition(actor=province.clerk, document=document, action=A.APPROVE_FORMAT)
    outgoing_transition(actor=province.leader, document=document, action=A.SIGN, file=file)
    return document


def test_registration_numbers_in_the_configured_register_and_resets_on_1_january(
    province: Province,
):
    with time_machine.travel(dt.datetime(2026, 12, 31, 9, 0, tzinfo=VN), tick=False):
        first = _signed(province, "quyet-dinh")
        outgoing_transition(actor=province.clerk, document=first, action=A.REGISTER)
        letter = _signed(province, "cong-van")
        outgoing_transition(actor=province.clerk, document=letter, action=A.REGISTER)
        secret = _signed(province, "quyet-dinh", confidentiality=Confidentiality.SECRET)
        outgoing_transition(actor=province.clerk, document=secret, action=A.REGISTER)
        waiting = _signed(province, "quyet-dinh")
    assert (first.number_text, first.issued_date, first.register) == (
        "01/QĐ-UBND",
        dt.date(2026, 12, 31),
        SHARED_REGISTER,
    )
    # One shared register: the công văn takes the next number.
    assert (letter.number_text, letter.register) == ("02/UBND-VX", SHARED_REGISTER)
    assert (secret.number_text, secret.register) == ("01/QĐ-UBND", SECRET_REGISTER)
    with time_machine.travel(dt.datetime(2027, 1, 1, 8, 0, tzinfo=VN), tick=False):
        outgoing_transition(actor=province.clerk, document=waiting, action=A.REGISTER)
    assert (waiting.number_text, waiting.year, waiting.issued_date) == (
        "01/QĐ-UBND",
        2027,
        dt.date(2027, 1, 1),
    )


def test_registration_takes_todays_date_only(province: Province):
    """NĐ 30/2020, Điều 15.1: no back-dated or post-dated number (a 2019 date would number
    the document in the 2019 register)."""
    with time_machine.travel(dt.datetime(2026, 11, 20, 9, 0, tzinfo=VN), tick=False):
        document = _signed(province, "quyet-dinh")
        for day in (dt.date(2019, 1, 1), dt.date(2026, 11, 21)):
            with pytest.raises(TransitionRefused, match="Ngày ban hành là ngày vào sổ"):
                outgoing_transition(
                    actor=province.clerk, document=document, action=A.REGISTER, issued_date=day
                )
        outgoing_transition(
            actor=province.clerk,
            document=document,
            action=A.REGISTER,
            issued_date=dt.date(2026, 11, 20),
        )
    assert (document.number_text, document.issued_date, document.year) == (
        "01/QĐ-UBND",
        dt.date(2026, 11, 20),
        2026,
    )
    assert (
        last_number(outgoing_series(province.agency, SHARED_REGISTER, on=dt.date(2019, 1, 1))) == 0
    )


def test_per_type_registers(province: Province):
    province.settings.outgoing_series = OutgoingSeriesMode.PER_TYPE
    province.settings.save()
    decisions = [_signed(province, "quyet-dinh") for _ in range(2)]
    letter = _signed(province, "cong-van")
    for document in [*decisions, letter]:
        outgoing_transition(actor=province.clerk, document=document, action=A.REGISTER)
    assert [d.number_text for d in decisions] == ["01/QĐ-UBND", "02/QĐ-UBND"]
    assert letter.number_text == "01/UBND-VX"
    assert [d.register for d in decisions] == ["quyet-dinh", "quyet-dinh"]
    # Công văn and thư công build the same ký hiệu: they share one series.
    public_letter = _signed(province, "thu-cong")
    outgoing_transition(actor=province.clerk, document=public_letter, action=A.REGISTER)
    assert (public_letter.number_text, public_letter.register) == ("02/UBND-VX", "cong-van")


def test_copies_share_one_register(province: Province):
    copies = [_signed(province, key) for key in ("ban-sao-y", "ban-sao-luc", "ban-trich-sao")]
    for document in copies:
        outgoing_transition(actor=province.clerk, document=document, action=A.REGISTER)
    assert [d.number_text for d in copies] == ["01/SY-UBND", "02/SL-UBND", "03/TrS-UBND"]


@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_registrations_are_consecutive(province: Province):
    """Gap-free under concurrency: 50 clerks' registrations at once on PostgreSQL. SQLite
    serialises writers on the whole database (BEGIN IMMEDIATE), so there 8 threads show the
    same property without waiting on the lock for long."""
    workers = 50 if connection.vendor == "postgresql" else 8
    documents = [_signed(province, "quyet-dinh") for _ in range(workers)]

    def register(i: int) -> None:
        document = OutgoingDocument.objects.get(pk=documents[i].pk)
        outgoing_transition(actor=province.clerk, document=document, action=A.REGISTER)

    assert run_at_once(workers, register) == []
    numbers = sorted(
        number or 0
        for number in OutgoingDocument.objects.filter(pk__in=[d.pk for d in documents]).values_list(
            "code_number", flat=True
        )
    )
    assert numbers == list(range(1, workers + 1))

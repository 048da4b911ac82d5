"""Every way a dossier event is recorded goes through ``events.record_event``: the event row,
then, in the same transaction, each subscriber — one audit entry and the applicant's messages in
the outbox. The rows are checked exactly, for reception at the desk, online submission,
transitions (by a person and by the system) and the apology."""

import datetime as dt
import io

import pytest
import time_machine
from django.db import transaction
from reportlab.pdfgen.canvas import Canvas

from egov.accounts.actors import SYSTEM
from egov.accounts.models import User
from egov.audit.models import AuditEntry
from egov.catalog.selectors import version_by_code
from egov.core.uploads import store_private
from egov.dossiers.actions import DossierAction
from egov.dossiers.digitisation_flags import digitisation_flags_on_event
from egov.dossiers.errors import TransitionRefused
from egov.dossiers.events import (
    SUBSCRIBERS,
    audit_event,
    record_event,
    subscribe,
    subscribers,
    unsubscribe,
)
from egov.dossiers.notifying import notify_applicant
from egov.dossiers.services.apology import dossier_apologise
from egov.dossiers.services.online import OnlineSubmission, dossier_submit_online
from egov.dossiers.services.reception import Applicant, dossier_receive
from egov.dossiers.services.transitions import dossier_transition
from egov.dossiers.tests.helpers import reception, user
from egov.notifications.models import Message
from egov.org.models import Unit
from egov.workdays.engine import VIETNAM_TZ

pytestmark = pytest.mark.django_db
LLTP = "qn-cap-phieu-ly-lich-tu-phap"
PHONE = "+84912345678"  # AN's phone (0912345678) as stored


def at(*args):
    return dt.datetime(*args, tzinfo=VIETNAM_TZ)


def audit_trail(dossier):
    return list(
        AuditEntry.objects.filter(object_type="dossiers.dossier", object_id=str(dossier.pk))
        .order_by("sequence")
        .values_list("action", "actor_label", "details")
    )


def outbox(dossier):
    return list(
        Message.objects.filter(reference=dossier.code)
        .order_by("id")
        .values_list("event", "channel", "recipient")
    )


def events(dossier):
    return list(dossier.events.order_by("sequence").values_list("sequence", "action", "actor"))


def test_the_subscribers_are_the_digitisation_flags_the_audit_and_the_applicants_messages():
    assert (digitisation_flags_on_event, notify_applicant, audit_event) == SUBSCRIBERS


def test_reception_and_transitions_by_people_and_by_the_system(quang_ninh):
    desk, leader = user("tinh.tiepnhan"), user("honggai.lanhdao")
    specialist = user("honggai.chuyenvien")
    dossier = dossier_receive(actor=desk, reception=reception())
    assert events(dossier) == [(1, "receive", desk.pk)]
    assert audit_trail(dossier) == [
        ("dossier.receive", "tinh.tiepnhan", {"from": "", "to": "received", "event": 1})
    ]
    assert outbox(dossier) == [("received", "sms", PHONE)]

    dossier = dossier_transition(
        actor=desk,
        dossier=dossier,
        action=DossierAction.HAND_OFF,
        data={"handling_unit": "qn.x.hong-gai.ubnd"},
    )
    dossier = dossier_transition(
        actor=specialist,
        dossier=dossier,
        action="request_payment",
        data={"amount": 100000, "description": "Lệ phí"},
    )
    dossier = dossier_transition(
        actor=SYSTEM, dossier=dossier, action=DossierAction.PAID, data={"amount": 100000}
    )
    dossier = dossier_transition(actor=leader, dossier=dossier, action="approve")
    assert events(dossier) == [
        (1, "receive", desk.pk),
        (2, "hand_off", desk.pk),
        (3, "request_payment", specialist.pk),
        (4, "paid", None),  # the system: nobody recorded as having acted
        (5, "approve", leader.pk),
    ]
    assert audit_trail(dossier)[1:] == [
        ("dossier.hand_off", "tinh.tiepnhan", {"from": "received", "to": "processing", "event": 2}),
        (
            "dossier.request_payment",
            "honggai.chuyenvien",
            {"from": "processing", "to": "awaiting_payment", "event": 3},
        ),
        ("dossier.paid", "", {"from": "awaiting_payment", "to": "processing", "event": 4}),
        (
            "dossier.approve",
            "honggai.lanhdao",
            {"from": "processing", "to": "result_ready", "event": 5},
        ),
    ]
    # No message for the hand-off (the applicant is not told about internal steps).
    assert outbox(dossier) == [
        ("received", "sms", PHONE),
        ("awaiting_payment", "sms", PHONE),
        ("paid", "sms", PHONE),
        ("result_ready", "sms", PHONE),
    ]


def test_the_system_may_take_only_its_own_actions(quang_ninh):
    dossier = dossier_receive(actor=user("tinh.tiepnhan"), reception=reception())
    with pytest.raises(TransitionRefused, match="cần một cán bộ thực hiện"):
        dossier_transition(actor=SYSTEM, dossier=dossier, action=DossierAction.HAND_OFF)
    assert events(dossier) == [(1, "receive", user("tinh.tiepnhan").pk)]
    assert len(audit_trail(dossier)) == 1


def test_apology(quang_ninh):
    with time_machine.travel(at(2026, 3, 2, 9, 0), tick=False):
        dossier = dossier_receive(actor=user("tinh.tiepnhan"), reception=reception(LLTP))
    with time_machine.travel(at(2026, 3, 11, 16, 0), tick=False):
        dossier = dossier_apologise(
            actor=user("tinh.lanhdaophong"),
            dossier=dossier,
            new_due=at(2026, 3, 18, 17, 0),
            reason="Cần xác minh thêm",
        )
    assert audit_trail(dossier)[1:] == [
        (
            "dossier.apologise",
            "tinh.lanhdaophong",
            {"from": "received", "to": "received", "event": 2},
        )
    ]
    assert outbox(dossier) == [("received", "sms", PHONE), ("apology", "sms", PHONE)]


def _pdf():
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    canvas.drawString(72, 760, "Tờ khai")
    canvas.showPage()
    canvas.save()
    buffer.seek(0)
    return buffer


def test_online_submission(quang_ninh):
    citizen = User.objects.create_user("congdan.an", email="an@congdan.example.vn")
    version = version_by_code("1.001612")
    files = {
        c.pk: [store_private(_pdf(), original_name=f"{c.pk}.pdf", prefix="applications")]
        for c in version.components.filter(required=True)
    }
    dossier = dossier_submit_online(
        actor=citizen,
        submission=OnlineSubmission(
            owner=citizen,
            unit=Unit.objects.get(key="qn.ttpvhcc"),
            version=version,
            applicant=Applicant(
                kind="citizen",
                name="Nguyễn Văn An",
                personal_id="022084000123",
                phone="0912345678",
                email="an@congdan.example.vn",
            ),
            files=files,
        ),
    )
    assert events(dossier) == [(1, "submit_online", citizen.pk)]
    assert audit_trail(dossier) == [
        (
            "dossier.submit_online",
            "congdan.an",
            {"from": "", "to": "awaiting_online_reception", "event": 1},
        )
    ]
    assert outbox(dossier) == [
        ("submitted", "email", "an@congdan.example.vn"),
        ("submitted", "sms", PHONE),
    ]


def test_an_event_and_its_subscribers_rows_roll_back_together(quang_ninh):
    dossier = dossier_receive(actor=user("tinh.tiepnhan"), reception=reception())
    with pytest.raises(RuntimeError), transaction.atomic():
        record_event(
            dossier=dossier,
            action=DossierAction.REQUEST_SUPPLEMENT,
            from_status=dossier.status,
            to_status=dossier.status,
            actor=user("tinh.tiepnhan"),
            data={"items": ["Bản sao"]},
        )
        assert len(outbox(dossier)) == 2 and len(audit_trail(dossier)) == 2
        raise RuntimeError
    assert len(events(dossier)) == 1
    assert outbox(dossier) == [("received", "sms", PHONE)]
    assert len(audit_trail(dossier)) == 1


def test_a_higher_floor_app_subscribes_once_and_runs_after_the_listed_ones(quang_ninh):
    seen: list[tuple[int, str, int]] = []

    def webhook(event):
        # Runs in the event's transaction, after the audit entry was written.
        seen.append((event.sequence, event.action, len(audit_trail(event.dossier))))

    # Apps installed above dossiers (the national-portal sync) subscribe at start-up.
    installed = subscribers()
    assert installed[: len(SUBSCRIBERS)] == SUBSCRIBERS
    subscribe(webhook)
    subscribe(webhook)
    try:
        assert subscribers() == (*installed, webhook)
        dossier_receive(actor=user("tinh.tiepnhan"), reception=reception())
    finally:
        unsubscribe(webhook)
    assert seen == [(1, "receive", 1)]
    assert subscribers() == installed

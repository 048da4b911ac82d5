"""Data migration: messages written before they recorded their unit get their dossier's
receiving unit."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = ("notifications", "0001_outbox")
AFTER = ("notifications", "0002_message_unit")


@pytest.mark.django_db(transaction=True)
def test_dossier_messages_get_the_receiving_unit(quang_ninh):
    from egov.dossiers.services.reception import dossier_receive
    from egov.dossiers.tests.helpers import reception, user

    dossier = dossier_receive(
        actor=user("tinh.tiepnhan"), reception=reception("qn-cap-phieu-ly-lich-tu-phap")
    )
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    old = executor.loader.project_state([BEFORE]).apps.get_model("notifications", "Message")
    now = timezone.now()
    for reference in (dossier.code, "tai-khoan-7"):
        old.objects.create(
            channel="sms",
            recipient="+84912345678",
            event="received",
            reference=reference,
            body="x",
            next_attempt_at=now,
            created_at=now,
        )
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    new = executor.loader.project_state([AFTER]).apps.get_model("notifications", "Message")
    units = dict(new.objects.values_list("reference", "unit_id"))
    assert units == {dossier.code: dossier.receiving_unit_id, "tai-khoan-7": None}


@pytest.mark.django_db(transaction=True)
def test_codes_in_messages_written_before_sealing_are_masked():
    before, after = (
        ("notifications", "0002_message_unit"),
        ("notifications", "0003_mask_old_phone_codes"),
    )
    executor = MigrationExecutor(connection)
    executor.migrate([before])
    old = executor.loader.project_state([before]).apps.get_model("notifications", "Message")
    now = timezone.now()
    for event, body in (
        ("phone_code", "Ma xac minh: 123456. Ma co hieu luc 10 phut."),
        ("received", "Ho so 000123 da tiep nhan ma 654321"),
    ):
        old.objects.create(
            channel="sms",
            recipient="+84912345678",
            event=event,
            reference="account:7",
            subject="Mã xác minh",
            body=body,
            next_attempt_at=now,
            created_at=now,
        )
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    new = executor.loader.project_state([after]).apps.get_model("notifications", "Message")
    assert dict(new.objects.values_list("event", "body")) == {
        "phone_code": "Ma xac minh: ******. Ma co hieu luc 10 phut.",
        "received": "Ho so 000123 da tiep nhan ma 654321",
    }

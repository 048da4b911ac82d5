from io import StringIO

import pytest
from django.core.management import call_command

from egov.audit.models import AuditChainHead, AuditEntry
from egov.audit.services import audit_record
from egov.audit.verify import verify_chain

# The chain is checked from its first row: these tests start from empty tables.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_database")]


def _chain(n=5):
    return [
        audit_record(
            actor=None,
            action="test.action",
            object_type="t",
            object_id=str(i),
            details={"i": i, "tên": "Quảng Ninh"},
            ip_address="::ffff:10.0.0.1",
        )
        for i in range(n)
    ]


def test_intact_chain_verifies():
    entries = _chain()
    assert [e.sequence for e in entries] == [1, 2, 3, 4, 5]
    assert entries[1].previous_hash == entries[0].entry_hash
    report = verify_chain()
    assert report.ok and report.checked == 5
    out = StringIO()
    call_command("audit_verify", stdout=out)
    assert "5 mục" in out.getvalue()


def test_edited_row_is_detected_and_named(capsys):
    entries = _chain()
    AuditEntry.objects.filter(pk=entries[2].pk).update(action="test.tampered")
    report = verify_chain()
    assert report.problem is not None
    assert report.problem.sequence == 3 and report.problem.entry_id == entries[2].pk
    with pytest.raises(SystemExit) as exit_info:
        call_command("audit_verify")
    assert exit_info.value.code == 1
    assert f"#3 (id={entries[2].pk})" in capsys.readouterr().err


def test_edited_details_or_moment_is_detected():
    entries = _chain()
    AuditEntry.objects.filter(pk=entries[0].pk).update(details={"i": 99})
    assert verify_chain().problem.sequence == 1


def test_deleted_middle_row_is_detected():
    entries = _chain()
    AuditEntry.objects.filter(pk=entries[1].pk).delete()
    problem = verify_chain().problem
    assert problem is not None and problem.sequence == 2


def test_deleted_newest_row_is_detected_through_the_head():
    entries = _chain()
    AuditEntry.objects.filter(pk=entries[-1].pk).delete()
    problem = verify_chain().problem
    assert problem is not None and problem.sequence == 5
    assert AuditChainHead.objects.get().last_sequence == 5


def test_rehashed_forgery_breaks_the_link_to_the_next_row():
    from egov.audit.hashing import entry_digest

    entries = _chain()
    forged = AuditEntry.objects.get(pk=entries[2].pk)
    forged.action = "test.forged"
    fields = {
        f: getattr(forged, f)
        for f in [
            "sequence",
            "moment",
            "actor_id",
            "actor_label",
            "action",
            "object_type",
            "object_id",
            "object_repr",
            "ip_address",
            "details",
            "previous_hash",
        ]
    }
    AuditEntry.objects.filter(pk=forged.pk).update(
        action="test.forged", entry_hash=entry_digest(**fields)
    )
    problem = verify_chain().problem
    assert problem is not None and problem.sequence == 4


def test_admin_is_read_only(admin_client, settings):
    settings.EGOV_REQUIRE_STAFF_MFA = False
    entry = _chain(1)[0]
    assert admin_client.get(f"/admin/audit/auditentry/{entry.pk}/change/").status_code == 200
    assert admin_client.get("/admin/audit/auditentry/add/").status_code == 403
    response = admin_client.post(f"/admin/audit/auditentry/{entry.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()

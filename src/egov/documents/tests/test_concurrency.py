"""Writers of one document run one after the other: each service locks the document's row,
checks it is still as read, and bumps its revision when it changes it (steps of co-operating
assignees, the reply link, a new draft version)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from egov.accounts.models import Role, RoleAssignment, User
from egov.core.tests.test_numbering import run_at_once
from egov.documents.errors import StaleRevision
from egov.documents.models import Assignment, IncomingDocument, OutgoingDocument
from egov.documents.services.incoming import (
    AssigneeInput,
    assignment_complete,
    assignment_start,
    incoming_distribute,
)
from egov.documents.services.outgoing import outgoing_add_version, outgoing_transition
from egov.documents.tests.conftest import Province, stored_pdf
from egov.documents.tests.helpers import received
from egov.documents.tests.test_outgoing import _draft


def _distributed(province: Province, helpers: list[User]) -> list[Assignment]:
    document = received(
        province,
        subject="Về việc rà soát",
        code_number="7",
        issued_date=dt.date(2026, 11, 2),
        distribute=False,
    )
    return incoming_distribute(
        actor=province.leader,
        document=document,
        lead=AssigneeInput(unit=province.vx),
        cooperating=[AssigneeInput(person=user) for user in helpers],
    )


def test_cooperating_steps_bump_the_documents_revision(province: Province):
    lead, helper = _distributed(province, [province.clerk])
    document = IncomingDocument.objects.get(pk=lead.document_id)
    before = document.revision
    assignment_start(actor=province.clerk, assignment=helper)
    assignment_complete(actor=province.clerk, assignment=helper, note="Đã góp ý")
    document.refresh_from_db()
    assert (document.revision, document.status) == (before + 2, "distributed")
    assert [e.sequence for e in document.events.order_by("sequence")] == [1, 2, 3, 4, 5]


def test_a_version_added_to_a_draft_submitted_meanwhile_is_stale(province: Province):
    document = _draft(province)
    read_before = OutgoingDocument.objects.get(pk=document.pk)
    outgoing_transition(actor=province.specialist, document=document, action="submit")
    with pytest.raises(StaleRevision):
        outgoing_add_version(actor=province.specialist, document=read_before, file=stored_pdf())
    assert document.versions.count() == 1
    # A version on a draft bumps the revision (a page holding the old one reloads).
    outgoing_transition(actor=province.vx_leader, document=document, action="return", reason="Sửa")
    revision = document.revision
    outgoing_add_version(actor=province.specialist, document=document, file=stored_pdf())
    assert (document.revision, document.versions.count()) == (revision + 1, 2)


@pytest.mark.django_db(transaction=True)
def test_cooperating_assignees_completing_at_once_get_consecutive_events(province: Province):
    """Without the row lock two completions read the same last event and collide on the
    (document, sequence) constraint. PostgreSQL runs 10 at once; SQLite serialises writers
    on the whole database, so there 4 threads show the same property."""
    workers = 10 if connection.vendor == "postgresql" else 4
    helpers = []
    for i in range(workers):
        user = User.objects.create_user(username=f"t.helper{i}", full_name=f"Helper {i}")
        RoleAssignment.objects.create(user=user, unit=province.vx, role=Role.SPECIALIST)
        helpers.append(user)
    _lead, *parts = _distributed(province, helpers)

    def complete(i: int) -> None:
        part = Assignment.objects.get(pk=parts[i].pk)
        assignment_complete(actor=helpers[i], assignment=part, note=f"Phần {i}")

    assert run_at_once(workers, complete) == []
    document = IncomingDocument.objects.get(pk=parts[0].document_id)
    sequences = list(document.events.order_by("sequence").values_list("sequence", flat=True))
    assert sequences == list(range(1, 4 + workers))
    assert document.revision == 2 + workers

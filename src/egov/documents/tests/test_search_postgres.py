"""PostgreSQL search entries: written by the event path, rebuilt in bulk, and filled by
migration 0005 with its own SQL — all three give the same rows."""

from __future__ import annotations

import importlib

import pytest
from django.db import connection

from egov.documents.models import Confidentiality
from egov.documents.search import rebuild_search_entries, search_documents
from egov.documents.services.incoming import AssigneeInput, incoming_distribute
from egov.documents.tests.conftest import Province
from egov.documents.tests.helpers import issued, received

pytestmark = pytest.mark.django_db

Rows = list[tuple[int, int, str, list[str], str]]


@pytest.fixture(autouse=True)
def _postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("search entries exist on PostgreSQL only")


def _entries() -> Rows:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT kind, document_id, at::text, access, vector::text FROM documents_searchentry "
            "ORDER BY kind, document_id"
        )
        return [tuple(row) for row in cursor.fetchall()]


def _forget() -> None:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM documents_searchentry")


def test_event_path_bulk_rebuild_and_migration_agree(province: Province) -> None:
    _forget()  # entries of documents other tests emptied from the tables (not a model's)
    plain = received(province, subject="Về việc học tập Nghị quyết")
    secret = received(
        province, subject="Kế hoạch mật", confidentiality=Confidentiality.SECRET, distribute=False
    )
    incoming_distribute(
        actor=province.leader,
        document=secret,
        lead=AssigneeInput(unit=province.vx),
        cooperating=[AssigneeInput(person=province.vx_leader)],  # secret: leaders only
    )
    decision = issued(province, subject="Về việc khen thưởng", text="Điều 1. Tặng bằng khen")
    written = _entries()
    kinds = {(kind, document) for kind, document, *_rest in written}
    assert {(1, plain.pk), (1, secret.pk), (0, decision.pk)} <= kinds
    by_document = {(kind, document): access for kind, document, _at, access, _v in written}
    assert by_document[(1, secret.pk)] == sorted(
        [f"~s{province.agency.pk}", f"~s{province.vx.pk}", f"~p{province.vx_leader.pk}"]
    )
    assert by_document[(1, plain.pk)] == sorted([f"~u{province.agency.pk}", f"~u{province.vx.pk}"])
    drafter, signer = province.specialist.pk, province.leader.pk
    assert by_document[(0, decision.pk)] == sorted(
        [f"~u{province.agency.pk}", f"~u{province.vx.pk}", f"~p{drafter}", f"~p{signer}"]
    )

    _forget()
    with connection.cursor() as cursor:  # an entry whose document is gone
        cursor.execute("INSERT INTO documents_searchentry VALUES (1, 999999999, now(), '{}', 'x')")
    assert rebuild_search_entries(batch=2) == len(written)
    assert _entries() == written

    migration = importlib.import_module("egov.documents.migrations.0005_search_speed")
    _forget()
    with connection.cursor() as cursor:
        cursor.execute(migration.FILL_INCOMING)
        cursor.execute(migration.FILL_OUTGOING)
    assert _entries() == written
    assert search_documents(province.vx_leader, "ke hoach mat").hits[0].document == secret

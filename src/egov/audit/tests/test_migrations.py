"""Data migration 0002: the single chain-head row exists before the first append (so that
concurrent first appends lock it instead of racing to create it), and running it where a head
already exists changes nothing."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from egov.audit.models import GENESIS_HASH

BEFORE = ("audit", "0001_audit_chain")
AFTER = ("audit", "0002_chain_head_row")


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)
    return executor


def _latest():
    return _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def _heads(executor, node):
    head = executor.loader.project_state([node]).apps.get_model("audit", "AuditChainHead")
    return list(head.objects.values_list("pk", "last_sequence", "last_hash"))


@pytest.mark.django_db(transaction=True)
def test_the_chain_head_row_is_created():
    executor = _migrate([BEFORE])
    executor.loader.project_state([BEFORE]).apps.get_model(
        "audit", "AuditChainHead"
    ).objects.all().delete()
    assert _heads(executor, BEFORE) == []
    assert _heads(_latest(), AFTER) == [(1, 0, GENESIS_HASH)]


@pytest.mark.django_db(transaction=True)
def test_an_existing_head_is_kept():
    executor = _migrate([BEFORE])
    head = executor.loader.project_state([BEFORE]).apps.get_model("audit", "AuditChainHead")
    head.objects.all().delete()
    head.objects.create(pk=1, last_sequence=7, last_hash="a" * 64)
    assert _heads(_latest(), AFTER) == [(1, 7, "a" * 64)]

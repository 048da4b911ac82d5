"""core.uploads.discarded_on_failure: files stored for a piece of work go with it when it fails,
and stay when it succeeds."""

from __future__ import annotations

import io

import pytest
from django.db import transaction

from egov.core.models import StoredFile
from egov.core.uploads import discarded_on_failure, store_private

PDF = b"%PDF-1.4\n% egov\n%%EOF\n"

pytestmark = pytest.mark.django_db


def _files_on_disk(folder):
    return sorted(p.name for p in folder.rglob("*") if p.is_file())


def test_failed_work_discards_the_given_and_the_added_files(_private_files):
    first = store_private(io.BytesIO(PDF), original_name="a.pdf", prefix="t")
    with pytest.raises(RuntimeError), discarded_on_failure(first) as kept, transaction.atomic():
        kept.append(store_private(io.BytesIO(PDF), original_name="b.pdf", prefix="t"))
        raise RuntimeError
    assert not StoredFile.objects.filter(name__in=["a.pdf", "b.pdf"]).exists()
    assert _files_on_disk(_private_files) == []


def test_finished_work_keeps_its_files(_private_files):
    with discarded_on_failure() as kept:
        kept.append(store_private(io.BytesIO(PDF), original_name="c.pdf", prefix="t"))
    assert StoredFile.objects.filter(name="c.pdf").count() == 1
    assert len(_files_on_disk(_private_files)) == 1

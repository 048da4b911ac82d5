"""The restore check (issue 9, point 22): ``manage.py verify_files`` compares every stored
file with the SHA-256 its row records and names each missing or altered file (exit 1)."""

from __future__ import annotations

import hashlib
import io
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from egov.core.tests.scan_samples import document_pdf
from egov.core.uploads import store_private
from egov.dossiers.models import DossierFile, FileSource
from egov.dossiers.services.attachments import dossier_attach_scan
from egov.dossiers.services.reception import dossier_receive
from egov.dossiers.tests.helpers import reception, user

pytestmark = pytest.mark.django_db

# A real PDF: a component scan is read and checked for quality before it is stored.
PDF = document_pdf()


def run() -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("verify_files", stdout=out, stderr=err)
    except SystemExit as exit_:
        return int(exit_.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


@pytest.fixture
def stored(quang_ninh):
    clerk = user("tinh.tiepnhan")
    dossier = dossier_receive(actor=clerk, reception=reception("qn-cap-phieu-ly-lich-tu-phap"))
    component = dossier.components.first()
    scanned = dossier_attach_scan(
        actor=clerk,
        dossier=dossier,
        component=component,
        upload=io.BytesIO(PDF),
        original_name="to-khai.pdf",
    )
    result = store_private(io.BytesIO(PDF + b"kq"), original_name="kq.pdf", prefix="results")
    DossierFile.objects.create(
        dossier=dossier,
        source=FileSource.RESULT,
        code=f"{dossier.code}-KQ1",
        added_at=timezone.now(),
        file=result,
    )
    # A result reused by a later dossier is the same stored file: checked once.
    DossierFile.objects.create(
        dossier=dossier,
        source=FileSource.REUSED,
        code=f"{dossier.code}-KQ1",
        added_at=timezone.now(),
        file=result,
    )
    return scanned.scan, result


def test_intact_files_pass(stored):
    assert run() == (0, "OK: 2 tệp đầy đủ, đúng mã SHA-256.\n", "")


def test_an_altered_byte_and_a_missing_file_are_named(stored, _private_files):
    scan, result = stored
    result_path = _private_files / result.key
    data = bytearray(result_path.read_bytes())
    data[100] ^= 0x01
    result_path.write_bytes(bytes(data))
    (_private_files / scan.key).unlink()

    code, out, err = run()
    assert code == 1
    assert out == ""
    lines = err.splitlines()
    assert lines[0] == f"THIẾU: core.StoredFile #{scan.pk}: private:{scan.key}"
    assert lines[1] == (
        f"BỊ THAY ĐỔI: core.StoredFile #{result.pk}: private:{result.key} "
        f"(ghi nhận {result.sha256}, thực tế {hashlib.sha256(bytes(data)).hexdigest()})"
    )
    assert lines[2] == "LỖI: 2 tệp đã kiểm tra, 1 thiếu, 1 bị thay đổi."
    assert len(lines) == 3


def test_every_model_that_records_a_digest_or_a_file_is_checked():
    from django.apps import apps
    from django.db import models

    from egov.core.filecheck import HASHED_FILES

    checked = {label for label, *_rest in HASHED_FILES}
    with_files = {
        model._meta.label
        for model in apps.get_models()
        if model._meta.app_label not in {"auth", "admin", "contenttypes", "sessions"}
        and any(
            field.name.endswith("sha256") or isinstance(field, models.FileField)
            for field in model._meta.get_fields()
        )
    }
    assert with_files == checked

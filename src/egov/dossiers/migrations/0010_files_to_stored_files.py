"""Scans and dossier files point to ``core.StoredFile`` rows instead of repeating the file's
columns: one stored file per storage key (a reused result and the result it reuses, a
draft's upload and the dossier file made from it share one), recording who uploaded it when
that is known (the account of an online upload)."""

from django.db import migrations, models
import django.db.models.deletion


def stored_file(StoredFile, *, key, name, content_type, size, sha256, uploaded_by_id, at):
    found = StoredFile.objects.filter(key=key).first()
    if found is not None:
        if found.uploaded_by_id is None and uploaded_by_id is not None:
            found.uploaded_by_id = uploaded_by_id
            found.save(update_fields=["uploaded_by"])
        return found
    return StoredFile.objects.create(
        key=key,
        name=name,
        content_type=content_type,
        size=size or 0,
        sha256=sha256,
        uploaded_by_id=uploaded_by_id,
        uploaded_at=at,
    )


def forwards(apps, schema_editor):
    StoredFile = apps.get_model("core", "StoredFile")
    DossierComponent = apps.get_model("dossiers", "DossierComponent")
    DossierFile = apps.get_model("dossiers", "DossierFile")
    for item in (
        DossierComponent.objects.exclude(scan="").select_related("dossier").order_by("pk")
    ):
        item.scan_file = stored_file(
            StoredFile,
            key=item.scan,
            name=item.scan_name,
            content_type=item.scan_content_type,
            size=item.scan_size,
            sha256=item.scan_sha256,
            uploaded_by_id=None,
            at=item.dossier.received_at or item.dossier.created_at,
        )
        item.save(update_fields=["scan_file"])
    # Results before the rows that reuse them, so a stored file keeps its first moment.
    rows = sorted(
        DossierFile.objects.select_related("dossier"),
        key=lambda row: (row.source != "result", row.added_at, row.pk),
    )
    for row in rows:
        row.file = stored_file(
            StoredFile,
            key=row.path,
            name=row.name,
            content_type=row.content_type,
            size=row.size,
            sha256=row.sha256,
            uploaded_by_id=row.dossier.owner_id if row.source == "upload" else None,
            at=row.added_at,
        )
        row.save(update_fields=["file"])


def backwards(apps, schema_editor):
    DossierComponent = apps.get_model("dossiers", "DossierComponent")
    DossierFile = apps.get_model("dossiers", "DossierFile")
    for item in DossierComponent.objects.exclude(scan_file=None).select_related("scan_file"):
        item.scan = item.scan_file.key
        item.scan_name = item.scan_file.name
        item.scan_content_type = item.scan_file.content_type
        item.scan_size = item.scan_file.size
        item.scan_sha256 = item.scan_file.sha256
        item.save()
    for row in DossierFile.objects.select_related("file"):
        row.path = row.file.key
        row.name = row.file.name
        row.content_type = row.file.content_type
        row.size = row.file.size
        row.sha256 = row.file.sha256
        row.save()


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0005_stored_files'),
        ('dossiers', '0009_code_and_notice_counters_to_numbering'),
    ]

    operations = [
        migrations.AddField(
            model_name='dossiercomponent',
            name='scan_file',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.storedfile', verbose_name='tệp số hóa'),
        ),
        migrations.AddField(
            model_name='dossierfile',
            name='file',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.storedfile', verbose_name='tệp'),
        ),
        migrations.RunPython(forwards, backwards),
    ]

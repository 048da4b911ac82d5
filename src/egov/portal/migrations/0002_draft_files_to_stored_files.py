"""Draft files point to ``core.StoredFile`` rows (uploaded by the draft's owner); a draft's
file already recorded for its submitted dossier keeps that one row."""

from django.db import migrations, models
import django.db.models.deletion


def forwards(apps, schema_editor):
    StoredFile = apps.get_model("core", "StoredFile")
    DraftFile = apps.get_model("portal", "DraftFile")
    for row in DraftFile.objects.select_related("draft").order_by("pk"):
        found = StoredFile.objects.filter(key=row.path).first()
        if found is None:
            found = StoredFile.objects.create(
                key=row.path,
                name=row.name,
                content_type=row.content_type,
                size=row.size,
                sha256=row.sha256,
                uploaded_by_id=row.draft.owner_id,
                uploaded_at=row.added_at,
            )
        elif found.uploaded_by_id is None:
            found.uploaded_by_id = row.draft.owner_id
            found.save(update_fields=["uploaded_by"])
        row.file = found
        row.save(update_fields=["file"])


def backwards(apps, schema_editor):
    DraftFile = apps.get_model("portal", "DraftFile")
    for row in DraftFile.objects.select_related("file"):
        row.path = row.file.key
        row.name = row.file.name
        row.content_type = row.file.content_type
        row.size = row.file.size
        row.sha256 = row.file.sha256
        row.save()


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0005_stored_files'),
        # Dossier files first, so a submitted draft's file keeps the row its dossier uses.
        ('dossiers', '0010_files_to_stored_files'),
        ('portal', '0001_application_drafts'),
    ]

    operations = [
        migrations.AddField(
            model_name='draftfile',
            name='file',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.storedfile'),
        ),
        migrations.RunPython(forwards, backwards),
    ]

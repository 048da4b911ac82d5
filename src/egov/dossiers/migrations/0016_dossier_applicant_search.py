"""The applicant's name folded for the work queue's search (no case, no diacritics, đ→d), and
the dossiers written before the column existed get it (issue 13, point 5)."""

from django.db import migrations, models

from egov.core.text import fold

BATCH = 1000


def fold_names(apps, schema_editor):
    Dossier = apps.get_model("dossiers", "Dossier")
    changed = []
    rows = Dossier.objects.order_by("id").only("id", "applicant_name")
    for dossier in rows.iterator(chunk_size=BATCH):
        dossier.applicant_search = fold(dossier.applicant_name)
        changed.append(dossier)
        if len(changed) >= BATCH:
            Dossier.objects.bulk_update(changed, ["applicant_search"])
            changed = []
    Dossier.objects.bulk_update(changed, ["applicant_search"])


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0015_late_act_warnings")]

    operations = [
        migrations.AddField(
            model_name="dossier",
            name="applicant_search",
            field=models.CharField(blank=True, default="", editable=False, max_length=255),
        ),
        migrations.RunPython(fold_names, migrations.RunPython.noop),
    ]

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def set_units_of_dossier_messages(apps, schema_editor):
    """Messages written before they recorded their unit: a dossier's messages get its
    receiving unit (the reference is the dossier code); others (accounts) stay empty."""
    Message = apps.get_model("notifications", "Message")
    Dossier = apps.get_model("dossiers", "Dossier")
    receiving = Dossier.objects.filter(code=OuterRef("reference")).values("receiving_unit_id")
    Message.objects.filter(unit__isnull=True).update(unit_id=Subquery(receiving[:1]))


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_outbox"),
        ("org", "0001_org_registry"),
        ("dossiers", "0001_dossier_lifecycle"),
    ]

    operations = [
        migrations.AddField(
            model_name="message",
            name="unit",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="org.unit",
                verbose_name="đơn vị",
            ),
        ),
        migrations.RunPython(set_units_of_dossier_messages, migrations.RunPython.noop),
    ]

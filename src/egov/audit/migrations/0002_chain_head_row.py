"""Creates the single chain-head row up front, so that concurrent first appends lock it
instead of racing to create it."""

from django.db import migrations


def create_head(apps, schema_editor):
    AuditChainHead = apps.get_model("audit", "AuditChainHead")
    AuditChainHead.objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_audit_chain")]
    operations = [migrations.RunPython(create_head, migrations.RunPython.noop)]

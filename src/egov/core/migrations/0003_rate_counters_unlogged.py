"""On PostgreSQL the rate counters skip the write-ahead log (UNLOGGED): each counted request
no longer waits for a WAL flush, which cost the public lookup about half its throughput
(docs/performance.md). A crash empties the table — every limit starts its window again, which
is harmless — and counters are not copied to read replicas, which never count anything."""

from django.db import migrations


def unlogged(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE core_ratecounter SET UNLOGGED")


def logged(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE core_ratecounter SET LOGGED")


class Migration(migrations.Migration):
    dependencies = [("core", "0002_rate_counters")]

    operations = [migrations.RunPython(unlogged, logged)]

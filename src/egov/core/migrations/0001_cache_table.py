"""The shared cache's table (EGOV_CACHE_URL=database, the default): created with the schema so
that `migrate` is the only set-up step, on SQLite and PostgreSQL alike. With a Redis cache
there is nothing to create (a later switch back to the database cache: `createcachetable`)."""

from django.core.management import call_command
from django.db import migrations

from egov.env import CACHE_TABLE


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


def drop_cache_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(CACHE_TABLE)}")


class Migration(migrations.Migration):
    dependencies: list[tuple[str, str]] = []

    operations = [migrations.RunPython(create_cache_table, drop_cache_table)]

"""Full-text search structures, per database: an FTS5 table on SQLite, a GIN expression
index on PostgreSQL (see egov.catalog.search for the matching queries)."""

from django.db import migrations

SQLITE_CREATE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS catalog_search USING fts5("
    "name, tokenize = 'unicode61 remove_diacritics 2')"
)
POSTGRES_CREATE = (
    "CREATE INDEX IF NOT EXISTS catalog_version_fts ON catalog_procedureversion "
    "USING gin ((to_tsvector('simple', search_text)))"
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_CREATE)
    elif schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS catalog_search")
    elif schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS catalog_version_fts")


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_procedure_catalog")]
    operations = [migrations.RunPython(create, drop)]

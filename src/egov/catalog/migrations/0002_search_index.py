"""Full-text search structures, per database: an FTS5 table on SQLite, a GIN expression
index on PostgreSQL (see egov.catalog.search for the matching queries)."""

from django.db import migrations

SQLITE_CREATE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS catalog_search USING fts5("
    "name, tokenize = 'unicode61 remove_diacritics 2')"
)
# A stored generated column, unknown to the Django model (only raw search SQL reads it).
POSTGRES_CREATE = [
    "ALTER TABLE catalog_procedureversion ADD COLUMN search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED",
    "CREATE INDEX catalog_version_fts ON catalog_procedureversion USING gin (search_vector)",
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_CREATE)
    elif schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRES_CREATE:
            schema_editor.execute(statement)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS catalog_search")
    elif schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS catalog_version_fts")
        schema_editor.execute(
            "ALTER TABLE catalog_procedureversion DROP COLUMN IF EXISTS search_vector"
        )


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_procedure_catalog")]
    operations = [migrations.RunPython(create, drop)]

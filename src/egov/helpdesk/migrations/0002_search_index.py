"""Full-text search on PostgreSQL, as the catalog's (catalog/migrations/0002_search_index.py):
a stored generated tsvector over the folded text, with a GIN index. SQLite needs nothing
(helpdesk.search matches whole words of the padded folded text)."""

from django.db import migrations

POSTGRES_CREATE = [
    "ALTER TABLE helpdesk_question ADD COLUMN search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED",
    "CREATE INDEX helpdesk_question_fts ON helpdesk_question USING gin (search_vector)",
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRES_CREATE:
            schema_editor.execute(statement)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS helpdesk_question_fts")
        schema_editor.execute("ALTER TABLE helpdesk_question DROP COLUMN IF EXISTS search_vector")


class Migration(migrations.Migration):
    dependencies = [("helpdesk", "0001_knowledge_base_and_call_log")]
    operations = [migrations.RunPython(create, drop)]

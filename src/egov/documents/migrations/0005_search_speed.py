"""PostgreSQL: one search entry per document (egov.documents.search_postgres) in place of the
generated tsvector columns of migration 0002. SQLite keeps matching the folded words of
``search_text``: nothing to do there.

The SQL below is this migration's own (a later change of the runtime code must not change
what it does): ``documents_search_vector`` must stay in step with
``search_postgres.PREFIX_CHARS`` / ``TIME_LEVELS``, the access words with
``permissions.access_words`` (``test_search_postgres`` compares both with the runtime).
"""

from django.db import migrations

SECRET = "('secret', 'top_secret', 'ultra_secret')"

VECTOR_FUNCTION = """
CREATE FUNCTION documents_search_vector(body text, access text[], at timestamptz)
RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT array_to_tsvector(
        words
        || ARRAY(SELECT left(word, n) || '~' FROM unnest(words) AS word,
                 generate_series(1, least(length(word), 8)) AS n)
        || access
        || ARRAY(SELECT '~t' || level || '.' || (day >> (2 * level))
                 FROM generate_series(0, 5) AS level))
    FROM (SELECT tsvector_to_array(to_tsvector('simple', body)) AS words,
                 floor(extract(epoch FROM at) / 86400)::int AS day) AS parts
$$
"""

CREATE_TABLE = """
CREATE TABLE documents_searchentry (
    kind smallint NOT NULL,
    document_id bigint NOT NULL,
    at timestamptz NOT NULL,
    access text[] NOT NULL,
    vector tsvector NOT NULL,
    PRIMARY KEY (kind, document_id)
) WITH (parallel_workers = 0)
"""

# The documents' access words (who sees them), then their entries, oldest first.
FILL_INCOMING = f"""
INSERT INTO documents_searchentry (kind, document_id, at, access, vector)
SELECT 1, d.id, d.arrival_date, w.access,
       documents_search_vector(d.search_text, w.access, d.arrival_date)
FROM documents_incomingdocument d
CROSS JOIN LATERAL (
    SELECT CASE WHEN d.confidentiality IN {SECRET} THEN '~s' ELSE '~u' END AS mark) m
CROSS JOIN LATERAL (
    SELECT array_agg(DISTINCT word COLLATE "C" ORDER BY word COLLATE "C") AS access
    FROM (SELECT m.mark || d.agency_id
          UNION ALL SELECT m.mark || a.unit_id FROM documents_assignment a
                    WHERE a.document_id = d.id AND a.unit_id IS NOT NULL
          UNION ALL SELECT '~p' || a.person_id FROM documents_assignment a
                    WHERE a.document_id = d.id AND a.person_id IS NOT NULL) AS words(word)
) w
ORDER BY d.arrival_date, d.id
"""
FILL_OUTGOING = f"""
INSERT INTO documents_searchentry (kind, document_id, at, access, vector)
SELECT 0, d.id, d.created_at, w.access,
       documents_search_vector(d.search_text, w.access, d.created_at)
FROM documents_outgoingdocument d
CROSS JOIN LATERAL (
    SELECT CASE WHEN d.confidentiality IN {SECRET} THEN '~s' ELSE '~u' END AS mark) m
CROSS JOIN LATERAL (
    SELECT array_agg(DISTINCT word COLLATE "C" ORDER BY word COLLATE "C") AS access
    FROM (VALUES (m.mark || d.agency_id), (m.mark || d.drafting_unit_id),
                 ('~p' || d.created_by_id), ('~p' || d.signer_id)) AS words(word)
    WHERE word IS NOT NULL
) w
ORDER BY d.created_at, d.id
"""

CREATE_INDEXES = [
    "SET LOCAL maintenance_work_mem = '256MB'",
    "CREATE INDEX documents_searchentry_in ON documents_searchentry USING gin (vector) "
    "WITH (fastupdate = off) WHERE kind = 1",
    "CREATE INDEX documents_searchentry_out ON documents_searchentry USING gin (vector) "
    "WITH (fastupdate = off) WHERE kind = 0",
    "CREATE INDEX documents_searchentry_time ON documents_searchentry (kind, at, document_id)",
    "ANALYZE documents_searchentry",
]

OLD_VECTORS = ("incomingdocument", "outgoingdocument")


def create_search_entries(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in [VECTOR_FUNCTION, CREATE_TABLE, FILL_INCOMING, FILL_OUTGOING]:
        schema_editor.execute(statement)
    for statement in CREATE_INDEXES:
        schema_editor.execute(statement)
    for table in OLD_VECTORS:
        schema_editor.execute(f"ALTER TABLE documents_{table} DROP COLUMN search_vector")


def drop_search_entries(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP TABLE documents_searchentry")
    schema_editor.execute("DROP FUNCTION documents_search_vector(text, text[], timestamptz)")
    for table in OLD_VECTORS:
        schema_editor.execute(
            f"ALTER TABLE documents_{table} ADD COLUMN search_vector tsvector "
            "GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED"
        )
        schema_editor.execute(
            f"CREATE INDEX documents_{table}_fts ON documents_{table} USING gin (search_vector)"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0004_electronic_copies"),
    ]

    operations = [
        migrations.RunPython(create_search_entries, drop_search_entries, elidable=False),
    ]

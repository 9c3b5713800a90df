"""PostgreSQL only: pg_trgm for misspelt names, trigram indexes, and vectors for old posts."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

TRIGRAM_INDEXES = [
    "CREATE INDEX IF NOT EXISTS search_organisation_name_trgm "
    "ON accounts_organisation USING gin (lower(name) gin_trgm_ops)",
]
BACKFILL_VECTORS = """
UPDATE topics_post AS p
SET search_vector =
    CASE WHEN p.position = 1
         THEN setweight(to_tsvector('norwegian', t.title), 'A')
         ELSE ''::tsvector END
    || setweight(to_tsvector('norwegian', p.body), 'B')
FROM topics_topic AS t
WHERE t.id = p.topic_id AND p.search_vector IS NULL
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for sql in TRIGRAM_INDEXES:
        schema_editor.execute(sql)
    schema_editor.execute(BACKFILL_VECTORS)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS search_organisation_name_trgm")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_member_groups_and_invitations"),
        ("topics", "0007_category_visibility_and_search_vector"),
    ]
    operations = [
        TrigramExtension(),
        migrations.RunPython(forwards, backwards),
    ]

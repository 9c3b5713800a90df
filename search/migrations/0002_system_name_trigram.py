"""PostgreSQL only: a trigram index on system names, so «Elemnts» still finds Elements."""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS search_system_name_trgm "
        "ON directory_system USING gin (lower(name) gin_trgm_ops)"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS search_system_name_trgm")


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_trigram_and_search_vectors"),
        ("directory", "0003_systems_usages_history"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]

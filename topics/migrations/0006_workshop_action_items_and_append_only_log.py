from django.db import migrations


# Kept in step with followup.actions.NO_STEPS_TEXT (a migration does not import app code).
NO_STEPS_TEXT = "Følge opp temaet (rapporten nevner ingen konkrete neste steg)."


def create_workshop_action_items(apps, schema_editor):
    """One action item per next step of every workshop topic already imported.

    The first follow-up organisation (in the order the import added them) is responsible;
    with none, the item is "Uavklart". Steps that already have an item are left alone.
    """
    WorkshopTopic = apps.get_model("topics", "WorkshopTopic")
    ActionItem = apps.get_model("topics", "ActionItem")
    Through = WorkshopTopic.follow_up_organisations.through
    for workshop in WorkshopTopic.objects.all():
        first = Through.objects.filter(workshoptopic=workshop).order_by("pk").first()
        existing = set(
            ActionItem.objects.filter(topic_id=workshop.topic_id, workshop_step__isnull=False)
            .values_list("workshop_step", flat=True)
        )
        ActionItem.objects.bulk_create(
            ActionItem(
                topic_id=workshop.topic_id,
                text=step,
                responsible_organisation_id=first.organisation_id if first else None,
                workshop_step=number,
                position=number,
            )
            for number, step in enumerate(workshop.next_steps or [NO_STEPS_TEXT], start=1)
            if number not in existing
        )


APPEND_ONLY_SQL = """
CREATE OR REPLACE FUNCTION topics_moderationlogentry_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'The moderation log is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER topics_moderationlogentry_append_only
    BEFORE UPDATE OR DELETE ON topics_moderationlogentry
    FOR EACH ROW EXECUTE FUNCTION topics_moderationlogentry_append_only();
"""

DROP_APPEND_ONLY_SQL = """
DROP TRIGGER IF EXISTS topics_moderationlogentry_append_only ON topics_moderationlogentry;
DROP FUNCTION IF EXISTS topics_moderationlogentry_append_only();
"""


def make_log_append_only(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(APPEND_ONLY_SQL)


def drop_append_only(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_APPEND_ONLY_SQL)


class Migration(migrations.Migration):
    dependencies = [
        ("topics", "0005_moderation_reports_log_action_items"),
    ]

    operations = [
        migrations.RunPython(create_workshop_action_items, migrations.RunPython.noop),
        migrations.RunPython(make_log_append_only, drop_append_only),
    ]

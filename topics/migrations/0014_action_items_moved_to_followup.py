"""Action items now belong to the followup app (followup/migrations/0001_initial.py)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('topics', '0013_attachment_drafts'),
    ]

    operations = [
        # The tables stay where they are (db_table): only Django's record of the models moves.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveIndex(
                    model_name='actionitem',
                    name='actionitem_org_status',
                ),
                migrations.RemoveIndex(
                    model_name='actionitem',
                    name='actionitem_status_due',
                ),
                migrations.RemoveConstraint(
                    model_name='actionitem',
                    name='one_action_item_per_workshop_step',
                ),
                migrations.RemoveField(
                    model_name='actionitem',
                    name='responsible_organisation',
                ),
                migrations.RemoveField(
                    model_name='actionitem',
                    name='topic',
                ),
                migrations.DeleteModel(
                    name='ActionItemUpdate',
                ),
                migrations.DeleteModel(
                    name='ActionItem',
                ),
            ],
            database_operations=[],
        ),
    ]

"""Action items and their updates, moved here from the topics app with their tables (topics 0014)."""

import django.db.models.deletion
import django.db.models.functions.datetime
from django.conf import settings
from django.db import migrations, models


MODELS = ["actionitem", "actionitemupdate"]


def _relabel(apps, old: str, new: str) -> None:
    """Admin log entries and permissions point at content types: keep them pointing right."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if not ContentType.objects.filter(app_label=new, model=model).exists():
            ContentType.objects.filter(app_label=old, model=model).update(app_label=new)


def relabel_content_types(apps, schema_editor) -> None:
    _relabel(apps, "topics", "followup")


def relabel_content_types_back(apps, schema_editor) -> None:
    _relabel(apps, "followup", "topics")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('accounts', '0007_user_avatar'),
        ('topics', '0014_action_items_moved_to_followup'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The tables stay where they are (db_table): only Django's record of the models moves.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ActionItem',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('text', models.TextField(max_length=2000, verbose_name='neste steg')),
                        ('status', models.CharField(choices=[('ikke_startet', 'Ikke startet'), ('pagar', 'Pågår'), ('ferdig', 'Ferdig'), ('avklart', 'Avklart')], default='ikke_startet', max_length=20, verbose_name='status')),
                        ('due_date', models.DateField(blank=True, null=True, verbose_name='frist')),
                        ('workshop_step', models.PositiveSmallIntegerField(blank=True, editable=False, null=True, verbose_name='neste steg nr. i workshop-rapporten')),
                        ('position', models.PositiveIntegerField(default=0, verbose_name='rekkefølge')),
                        ('created_at', models.DateTimeField(db_default=django.db.models.functions.datetime.Now(), verbose_name='opprettet')),
                        ('updated_at', models.DateTimeField(db_default=django.db.models.functions.datetime.Now(), verbose_name='sist endret')),
                        ('responsible_organisation', models.ForeignKey(blank=True, help_text='Tom betyr «Uavklart».', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='action_items', to='accounts.organisation', verbose_name='oppfølgingsansvarlig')),
                        ('topic', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='action_items', to='topics.topic', verbose_name='tråd')),
                    ],
                    options={
                        'verbose_name': 'oppfølgingspunkt',
                        'verbose_name_plural': 'oppfølgingspunkter',
                        'db_table': 'topics_actionitem',
                        'ordering': ['topic', 'position', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='ActionItemUpdate',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('status_before', models.CharField(choices=[('ikke_startet', 'Ikke startet'), ('pagar', 'Pågår'), ('ferdig', 'Ferdig'), ('avklart', 'Avklart')], max_length=20, verbose_name='status før')),
                        ('status_after', models.CharField(choices=[('ikke_startet', 'Ikke startet'), ('pagar', 'Pågår'), ('ferdig', 'Ferdig'), ('avklart', 'Avklart')], max_length=20, verbose_name='status etter')),
                        ('text', models.TextField(blank=True, max_length=2000, verbose_name='oppdatering')),
                        ('created_at', models.DateTimeField(db_default=django.db.models.functions.datetime.Now(), verbose_name='tidspunkt')),
                        ('author', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='skrevet av')),
                        ('item', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='updates', to='followup.actionitem', verbose_name='oppfølgingspunkt')),
                        ('post', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='action_item_updates', to='topics.post', verbose_name='innlegg')),
                    ],
                    options={
                        'verbose_name': 'oppdatering av oppfølgingspunkt',
                        'verbose_name_plural': 'oppdateringer av oppfølgingspunkter',
                        'db_table': 'topics_actionitemupdate',
                        'ordering': ['item', 'created_at', 'pk'],
                    },
                ),
                migrations.AddIndex(
                    model_name='actionitem',
                    index=models.Index(fields=['responsible_organisation', 'status'], name='actionitem_org_status'),
                ),
                migrations.AddIndex(
                    model_name='actionitem',
                    index=models.Index(fields=['status', 'due_date'], name='actionitem_status_due'),
                ),
                migrations.AddConstraint(
                    model_name='actionitem',
                    constraint=models.UniqueConstraint(condition=models.Q(('workshop_step__isnull', False)), fields=('topic', 'workshop_step'), name='one_action_item_per_workshop_step'),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(relabel_content_types, relabel_content_types_back),
    ]

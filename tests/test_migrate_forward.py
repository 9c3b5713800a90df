"""The layout change of issue 19 moved action items from the topics app to followup without moving
their tables: a database migrated by the old code keeps its rows, and the content types follow."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("topics", "0013_attachment_drafts"), ("followup", None)]

pytestmark = pytest.mark.django_db(transaction=True)


def _migrate(targets):
    """Migrate to `targets` (Django unapplies what depends on the later migrations too) and
    return the models as they were then: the state of every migration still applied."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    executor.loader.build_graph()
    applied = set(executor.loader.applied_migrations)
    graph = executor.loader.graph
    last = [n for n in applied if not (graph.node_map[n].children & applied)]
    return executor.loader.project_state(last).apps


def _migrate_forward():
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_action_items_made_before_the_move_are_followups_after_it():
    try:
        _check_action_items_move()
    finally:
        _migrate_forward()  # the tests after this one on this worker need today's schema


def _check_action_items_move():
    old = _migrate(BEFORE)
    Category = old.get_model("topics", "Category")
    Topic = old.get_model("topics", "Topic")
    OldItem = old.get_model("topics", "ActionItem")
    ContentType = old.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="followup").delete()
    ContentType.objects.get_or_create(app_label="topics", model="actionitem")
    category = Category.objects.create(name="Arkiv", slug="arkiv-migrering")
    User = old.get_model("accounts", "User")
    author = User.objects.create(email="migrering@drammen.kommune.no", display_name="Kari")
    topic = Topic.objects.create(title="Noark 5", slug="noark-5", category=category, author=author)
    OldItem.objects.create(topic=topic, text="Lag en felles mal", status="pagar")

    _migrate_forward()

    from django.contrib.contenttypes.models import ContentType as LiveContentType

    from followup.models import ActionItem

    item = ActionItem.objects.get(text="Lag en felles mal")
    assert (item.topic_id, item.status) == (topic.pk, "pagar")
    assert LiveContentType.objects.get_for_model(ActionItem).app_label == "followup"
    assert not LiveContentType.objects.filter(app_label="topics", model="actionitem").exists()

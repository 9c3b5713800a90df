from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from accounts.models import Organisation
from accounts.reference_data import load_reference_data
from followup.workshop import WORKSHOP_FILE, import_workshop
from topics.models import Post, Topic, WorkshopTopic

pytestmark = pytest.mark.django_db


@pytest.fixture
def reference_data(db):
    load_reference_data()


def test_workshop_data_file_has_the_reports_18_topics():
    data = json.loads(WORKSHOP_FILE.read_text(encoding="utf-8"))
    numbers = [t["number"] for t in data["topics"]]
    assert numbers == list(range(1, 19))
    for topic in data["topics"]:
        assert topic["title"]
        assert isinstance(topic["participants"], list)
        assert isinstance(topic["next_steps"], list)
        assert topic["sectors"]


def test_import_creates_18_threads_once(reference_data):
    call_command("import_workshop")
    assert Topic.objects.filter(kind=Topic.Kind.WORKSHOP).count() == 18
    assert Post.objects.count() == 18
    snapshot = list(Topic.objects.order_by("pk").values("pk", "title", "reply_count"))

    result = import_workshop()
    assert (result.created, result.unchanged) == (0, 18)
    assert list(Topic.objects.order_by("pk").values("pk", "title", "reply_count")) == snapshot
    assert Post.objects.count() == 18


def test_workshop_topic_is_authored_by_kartverket_and_links_the_follow_up(reference_data):
    import_workshop()
    first = WorkshopTopic.objects.select_related("topic__author__organisation").get(number=1)
    assert first.topic.author.organisation.slug == "kartverket"
    assert first.initiator == "Robert Tenoll, Drammen kommune"
    assert first.follow_up == "DIFI"
    assert [o.slug for o in first.follow_up_organisations.all()] == ["difi"]
    assert len(first.next_steps) == 5
    assert set(first.topic.tags.values_list("name", flat=True)) == {"Anskaffelser og avtaler"}


def test_workshop_panel_is_shown_on_the_topic_page(client, reference_data):
    import_workshop()
    workshop = WorkshopTopic.objects.select_related("topic").get(number=9)
    response = client.get(workshop.topic.get_absolute_url())
    assert response.status_code == 200
    assert "Fra workshopen 4. desember 2018" in response.text
    assert "Oppfølgingsansvarlig" in response.text
    assert "Kartverket og KS" in response.text
    for step in workshop.next_steps:
        assert step[:40] in response.text


def test_import_without_reference_data_fails_with_a_clear_message(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="load_reference_data"):
        call_command("import_workshop")
    assert not Topic.objects.exists()


def test_panel_and_its_action_items_name_the_same_follow_up_party(client, reference_data):
    # Issue 20: topic 18's panel said «Oppfølgingsansvarlig: Kommuner selv i samarbeid med
    # leverandører» while each of its items said «Ansvarlig: Uavklart».
    import_workshop()
    difi = Organisation.objects.get(slug="difi").name
    for number, party in [
        (18, "Kommuner selv i samarbeid med leverandører"),
        (5, "Uavklart"),
        (1, difi),
    ]:
        topic = WorkshopTopic.objects.get(number=number).topic
        html = client.get(topic.get_absolute_url()).text
        items = html[html.index('<section class="action-items"') :]
        assert topic.action_items.exists()
        assert items.count(f"Ansvarlig: {party}") == topic.action_items.count(), number
        if number == 18:
            assert "Uavklart" not in items

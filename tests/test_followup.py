from datetime import timedelta

import pytest
from django.utils import timezone

from accounts import actions as account_actions
from followup import actions as followup_actions
from followup.models import ActionItem, ActionItemUpdate
from followup.workshop import import_workshop
from tests import factories
from tests.conftest import login
from topics.models import Category, ModerationLogEntry, WorkshopTopic

pytestmark = pytest.mark.django_db


@pytest.fixture
def mod_user(moderator):
    account_actions.make_moderator(user=moderator)
    moderator.__dict__.pop("is_moderator", None)
    return moderator


@pytest.fixture
def workshop(kartverket):
    from accounts.reference_data import load_reference_data

    load_reference_data()
    Category.objects.get_or_create(slug="workshop-2018", defaults={"name": "Workshop"})
    import_workshop()
    return WorkshopTopic.objects.select_related("topic")


def test_every_workshop_topic_gets_its_next_steps_as_action_items(workshop):
    assert workshop.count() == 18
    for entry in workshop:
        steps = entry.next_steps or [followup_actions.NO_STEPS_TEXT]
        items = list(entry.topic.action_items.order_by("position"))
        assert [i.text for i in items] == steps
    difi_topic = workshop.get(number=1).topic
    assert {i.responsible_organisation.slug for i in difi_topic.action_items.all()} == {"difi"}
    # Topic 5: "Uavklart", no responsible organisation.
    assert workshop.get(number=5).topic.action_items.get().responsible_organisation is None
    total = ActionItem.objects.count()
    assert import_workshop().action_items == 0
    assert ActionItem.objects.count() == total


def test_import_adds_missing_action_items_for_existing_workshop_topics(workshop):
    ActionItem.objects.filter(topic=workshop.get(number=8).topic).delete()
    assert import_workshop().action_items == 5


def test_follow_up_page_lists_all_workshop_next_steps(
    client, workshop, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        response = client.get("/oppfolging/")
    assert response.status_code == 200
    html = response.text
    for entry in workshop:
        assert entry.topic.title in html
    assert "Uavklart" in html
    assert html.index("Arkivverket") < html.index("Uavklart")
    filtered = client.get("/oppfolging/?org=arkivverket").text
    assert "Difi" not in filtered.split("<main", 1)[1].split("</form>", 1)[1]


def test_overdue_items_come_first(client, topic, mod_user, kommune):
    late = followup_actions.create_action_item(
        topic=topic,
        by=mod_user,
        text="Forsinket steg",
        due_date=timezone.localdate() - timedelta(days=1),
    )
    followup_actions.create_action_item(
        topic=topic, by=mod_user, text="Første steg", responsible_organisation=kommune
    )
    html = client.get("/oppfolging/").text
    assert html.index("Forfalt") < html.index("Forsinket steg") < html.index("Første steg")
    assert late.is_overdue


def test_topic_page_shows_its_action_items(client, topic, mod_user, kommune):
    followup_actions.create_action_item(
        topic=topic, by=mod_user, text="Lage felles mal", responsible_organisation=kommune
    )
    html = client.get(topic.get_absolute_url()).text
    assert "Lage felles mal" in html
    assert "Ikke startet" in html


def test_any_topic_gets_action_items_from_moderators_only(
    client, topic, municipal_member, mod_user, kommune
):
    login(client, municipal_member)
    data = {"text": "Skrive veileder", "responsible_organisation": kommune.pk}
    assert client.post(f"/t/{topic.pk}/oppfolging/ny/", data).status_code == 403
    assert not ActionItem.objects.exists()
    login(client, mod_user)
    assert client.post(f"/t/{topic.pk}/oppfolging/ny/", data).status_code == 302
    assert ActionItem.objects.get().responsible_organisation == kommune
    assert list(ModerationLogEntry.objects.values_list("action", flat=True)) == [
        "action_item_created"
    ]
    response = client.post(f"/t/{topic.pk}/oppfolging/ny/", {"text": ""})
    assert response.status_code == 400
    assert "Beskriv hva som skal gjøres." in response.text


def test_responsible_members_update_status_with_a_post_link(
    client, topic, municipal_member, vendor_member, mod_user, kommune
):
    item = followup_actions.create_action_item(
        topic=topic, by=mod_user, text="Skrive veileder", responsible_organisation=kommune
    )
    login(client, vendor_member)
    response = client.post(f"/oppfolging/{item.pk}/", {"status": "ferdig"})
    assert response.status_code == 403
    assert ActionItem.objects.get().status == "ikke_startet"
    login(client, municipal_member)
    response = client.post(
        f"/oppfolging/{item.pk}/", {"status": "pagar", "text": "Utkast klart", "post_number": 9}
    )
    assert response.status_code == 400
    assert "ikke noe synlig innlegg" in response.text
    response = client.post(
        f"/oppfolging/{item.pk}/", {"status": "pagar", "text": "Utkast klart", "post_number": 1}
    )
    assert response.status_code == 302
    update = ActionItemUpdate.objects.get()
    assert (update.status_before, update.status_after) == ("ikke_startet", "pagar")
    assert update.post == factories.first_post(topic)
    # A member's own update is not a moderator action.
    assert ModerationLogEntry.objects.count() == 1
    html = client.get(f"/oppfolging/{item.pk}/").text
    assert "Utkast klart" in html and "Se innlegg nr. 1" in html
    login(client, mod_user)
    client.post(f"/oppfolging/{item.pk}/", {"status": "ferdig"})
    assert ActionItem.objects.get().status == "ferdig"
    assert ModerationLogEntry.objects.first().action == "action_item_updated"


def test_unverified_member_of_the_organisation_cannot_change_status(topic, mod_user, kommune):
    from django.core.exceptions import PermissionDenied

    item = followup_actions.create_action_item(
        topic=topic, by=mod_user, text="Steg", responsible_organisation=kommune
    )
    stranger = factories.member(email="kari@gmail.com", organisation=kommune)
    with pytest.raises(PermissionDenied):
        followup_actions.update_action_item(item=item, by=stranger, status="ferdig")
    assert ActionItem.objects.get().status == "ikke_startet"


def test_a_merged_topics_action_items_follow_it_into_the_target(topic, mod_user):
    from topics import actions
    from topics.moderation import actions as moderation

    target = actions.create_topic(
        author=mod_user, category=topic.category, title="Målet for sammenslåingen", body="Mål"
    )
    item = followup_actions.create_action_item(topic=topic, by=mod_user, text="Følger med")
    moderation.merge_topic(topic=topic, into=target, by=mod_user, reason="Samme spørsmål")
    item.refresh_from_db()
    assert item.topic_id == target.pk

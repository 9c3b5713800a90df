"""Polls in a topic's first post: creating one with the topic, voting, changing a vote,
closing, who sees the results, bad input, the page cache, the API and the query counts."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone

from tests import factories
from tests.conftest import page_queries
from topics import actions, polls
from topics.models import Category, Poll, PollOption, PollVote, Topic

pytestmark = pytest.mark.django_db

TITLE = "Hvilket sak/arkiv-system velger dere?"


def topic_form(category, **poll: object) -> dict[str, object]:
    data = {"title": TITLE, "category": category.pk, "kind": "diskusjon", "body": "Si det!"}
    data.update({f"poll-{name}": value for name, value in poll.items()})
    return data


def poll_topic(author, category, *, options=("Acos", "Elements", "Public 360"), **draft) -> Topic:
    return actions.create_topic(
        author=author,
        category=category,
        title=TITLE,
        body="Si det!",
        poll=polls.PollDraft(question="Hvilket system?", options=list(options), **draft),
    )


def option_ids(topic: Topic, *texts: str) -> list[int]:
    return list(
        PollOption.objects.filter(poll__topic=topic, text__in=texts).values_list("pk", flat=True)
    )


# ---- Creating ---------------------------------------------------------------------------


def test_a_member_creates_a_topic_with_a_poll_from_the_form(client, municipal_member, category):
    client.force_login(municipal_member)
    response = client.post(
        "/ny/",
        topic_form(
            category,
            question="Hvilket system?",
            options="Acos\n\n  Elements \nPublic 360\n",
            kind="multiple",
            max_choices="2",
            results_visibility="after_close",
            voters="public",
        ),
    )
    assert response.status_code == 302
    poll = Poll.objects.get(topic__title=TITLE)
    assert [o.text for o in poll.options.all()] == ["Acos", "Elements", "Public 360"]
    assert (poll.kind, poll.max_choices, poll.results_visibility, poll.voters) == (
        "multiple",
        2,
        "after_close",
        "public",
    )


def test_a_topic_without_a_poll_sends_no_poll_fields_and_gets_none(
    client, municipal_member, category
):
    client.force_login(municipal_member)
    data = {"title": TITLE, "category": category.pk, "kind": "diskusjon", "body": "Si det!"}
    assert client.post("/ny/", data).status_code == 302
    assert Topic.objects.filter(title=TITLE).exists()
    assert not Poll.objects.exists()


@pytest.mark.parametrize(
    ("poll", "field", "message"),
    [
        ({"question": "Hva?", "options": "Bare ett"}, "options", "2 til 20 svaralternativer"),
        (
            {"question": "Hva?", "options": "\n".join(f"Valg {n}" for n in range(200))},
            "options",
            "du skrev 200",
        ),
        ({"question": "", "options": "A\nB"}, "question", "Skriv spørsmålet"),
        ({"question": "Hva?", "options": "A\na"}, "options", "To svaralternativer er like"),
        (
            {"question": "Hva?", "options": "A\nB", "closes_at": "2020-01-01T12:00"},
            "closes_at",
            "fram i tid",
        ),
        ({"question": "Hva?", "options": "A\nB", "closes_at": "i morgen"}, "closes_at", "dato"),
        (
            {"question": "Hva?", "options": "A\nB", "kind": "multiple", "max_choices": "5"},
            "max_choices",
            "mellom 1 og antall",
        ),
        ({"question": "Hva?", "options": "A\nB", "kind": "alle"}, "kind", "Velg ett valg"),
    ],
)
def test_a_bad_poll_gets_an_error_by_its_field_keeps_what_was_typed_and_stores_nothing(
    client, municipal_member, category, poll, field, message
):
    client.force_login(municipal_member)
    response = client.post("/ny/", topic_form(category, **poll))
    assert response.status_code == 400
    error = response.text.split(f'id="id_poll-{field}_error"', 1)[1].split("</p>", 1)[0]
    assert message in error.replace("\xa0", " ")
    assert TITLE in response.text  # the topic's fields are kept
    assert poll["options"].split("\n", 1)[0] in response.text  # and the poll's
    assert '<details class="poll-section" open>' in response.text
    assert not Topic.objects.exists()
    assert not Poll.objects.exists()


def test_the_action_refuses_a_bad_poll_and_stores_no_topic(municipal_member, category):
    with pytest.raises(ValidationError) as caught:
        poll_topic(municipal_member, category, options=["Bare ett"])
    assert "options" in caught.value.message_dict
    past = timezone.now() - datetime.timedelta(minutes=1)
    with pytest.raises(ValidationError) as caught:
        poll_topic(municipal_member, category, closes_at=past)
    assert "closes_at" in caught.value.message_dict
    assert not Topic.objects.exists()
    assert not PollOption.objects.exists()


# ---- Voting -----------------------------------------------------------------------------


def test_a_member_votes_changes_the_vote_and_has_one_vote(
    client, municipal_member, vendor_member, category
):
    topic = poll_topic(municipal_member, category)
    client.force_login(vendor_member)
    [acos] = option_ids(topic, "Acos")
    [elements] = option_ids(topic, "Elements")
    response = client.post(f"/t/{topic.pk}/avstemning/", {"option": acos})
    assert response.status_code == 302 and response["Location"].endswith("#poll")
    client.post(f"/t/{topic.pk}/avstemning/", {"option": elements})
    assert list(PollVote.objects.values_list("member", "option")) == [(vendor_member.pk, elements)]
    page = client.get(topic.get_absolute_url()).text
    assert "Endre stemmen" in page
    assert f'value="{elements}" id="poll-option-{elements}" checked' in page
    assert "Ditt valg" in page
    assert "1 har stemt" in page


def test_the_database_allows_one_vote_per_member_in_a_single_choice_poll(
    municipal_member, vendor_member, category
):
    topic = poll_topic(municipal_member, category)
    poll = topic.poll
    first, second = poll.options.all()[:2]
    PollVote.objects.create(poll=poll, option=first, member=vendor_member, is_single_choice=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        PollVote.objects.create(
            poll=poll, option=second, member=vendor_member, is_single_choice=True
        )


def test_a_multiple_choice_vote_keeps_to_the_limit(municipal_member, vendor_member, category):
    topic = poll_topic(municipal_member, category, kind="multiple", max_choices=2)
    every = option_ids(topic, "Acos", "Elements", "Public 360")
    with pytest.raises(ValidationError, match="høyst 2"):
        polls.vote(poll=topic.poll, member=vendor_member, option_ids=every)
    polls.vote(poll=topic.poll, member=vendor_member, option_ids=every[:2])
    assert PollVote.objects.filter(member=vendor_member).count() == 2


@pytest.mark.parametrize(
    "sent",
    [{}, {"option": "999999"}, {"option": "abc"}, {"option": "9" * 40}],
)
def test_a_vote_with_no_or_foreign_options_gets_a_message_and_stores_nothing(
    client, municipal_member, vendor_member, category, sent
):
    topic = poll_topic(municipal_member, category)
    other = poll_topic(municipal_member, category, options=["Ja", "Nei"])
    client.force_login(vendor_member)
    if sent.get("option") == "999999":
        sent = {"option": option_ids(other, "Ja")[0]}  # an option of another poll
    response = client.post(f"/t/{topic.pk}/avstemning/", sent, follow=True)
    assert response.status_code == 200
    assert "Velg" in response.text and "ds-alert" in response.text
    assert not PollVote.objects.exists()


def test_a_vote_after_closing_gets_a_clear_message_and_the_poll_shows_as_closed(
    client, municipal_member, vendor_member, category
):
    topic = poll_topic(municipal_member, category)
    [acos] = option_ids(topic, "Acos")
    client.force_login(municipal_member)
    client.post(f"/t/{topic.pk}/avstemning/avslutt/")
    client.force_login(vendor_member)
    response = client.post(f"/t/{topic.pk}/avstemning/", {"option": acos}, follow=True)
    assert "Avstemningen er avsluttet, og tar ikke imot flere stemmer." in response.text
    assert "Avsluttet" in response.text
    assert 'name="option"' not in response.text
    assert not PollVote.objects.exists()


def test_a_poll_past_its_closing_time_takes_no_votes(municipal_member, vendor_member, category):
    topic = poll_topic(
        municipal_member, category, closes_at=timezone.now() + datetime.timedelta(hours=1)
    )
    Poll.objects.filter(pk=topic.poll.pk).update(
        closes_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    with pytest.raises(polls.PollClosed):
        polls.vote(poll=topic.poll, member=vendor_member, option_ids=option_ids(topic, "Acos"))


def test_only_the_author_or_a_moderator_closes_a_poll(
    client, municipal_member, vendor_member, moderator, category
):
    topic = poll_topic(municipal_member, category)
    with pytest.raises(PermissionDenied):
        polls.close_poll(poll=topic.poll, by=vendor_member)
    client.force_login(vendor_member)
    assert "Avslutt avstemningen" not in client.get(topic.get_absolute_url()).text
    polls.close_poll(poll=topic.poll, by=moderator)
    assert Poll.objects.get().is_closed()


def test_members_who_may_not_reply_may_not_vote(municipal_member, vendor_member):
    only_municipal = Category.objects.create(
        name="Kommunene svarer", slug="kommunene-svarer", reply_audience="kommuner"
    )
    topic = poll_topic(municipal_member, only_municipal)
    with pytest.raises(PermissionDenied):
        polls.vote(poll=topic.poll, member=vendor_member, option_ids=option_ids(topic, "Acos"))
    assert not PollVote.objects.exists()


def test_a_signed_out_vote_is_sent_to_sign_in(client, municipal_member, category):
    topic = poll_topic(municipal_member, category)
    response = client.post(f"/t/{topic.pk}/avstemning/", {"option": option_ids(topic, "Acos")})
    assert response.status_code == 302 and "/konto/login/" in response["Location"]
    assert not PollVote.objects.exists()


# ---- Who sees the results --------------------------------------------------------------


def test_results_after_voting_show_to_voters_and_to_everyone_after_closing(
    municipal_member, vendor_member, moderator, category
):
    topic = poll_topic(municipal_member, category, voters="public")
    polls.vote(poll=topic.poll, member=moderator, option_ids=option_ids(topic, "Acos"))
    signed_out, member = Client(), Client()
    member.force_login(vendor_member)
    assert "Resultatene vises når du har stemt." in member.get(topic.get_absolute_url()).text
    assert "Ingrid Moderator" not in signed_out.get(topic.get_absolute_url()).text
    member.post(f"/t/{topic.pk}/avstemning/", {"option": option_ids(topic, "Elements")})
    page = member.get(topic.get_absolute_url()).text
    assert "Stemt av: Ingrid Moderator" in page and "2 har stemt" in page
    assert "50 %" in page
    polls.close_poll(poll=topic.poll, by=municipal_member)
    page = signed_out.get(topic.get_absolute_url()).text
    assert "Ingrid Moderator" in page and "Ditt valg" not in page


def test_results_after_closing_are_hidden_from_voters_until_then(
    client, municipal_member, vendor_member, category
):
    topic = poll_topic(municipal_member, category, results_visibility="after_close")
    client.force_login(vendor_member)
    client.post(f"/t/{topic.pk}/avstemning/", {"option": option_ids(topic, "Acos")})
    page = client.get(topic.get_absolute_url()).text
    assert "Resultatene vises når avstemningen er avsluttet." in page
    assert "har stemt" not in page


def test_a_vote_and_a_close_make_the_signed_out_page_fresh(
    page_cache_on, municipal_member, vendor_member, category, django_capture_on_commit_callbacks
):
    from forum import page_cache

    with django_capture_on_commit_callbacks(execute=True):
        topic = poll_topic(municipal_member, category)
    tag = page_cache.topic_tag(topic.pk)
    visitor = Client()
    assert "Logg inn for å stemme" in visitor.get(topic.get_absolute_url()).text
    assert visitor.get(topic.get_absolute_url()).headers.get("X-Page-Cache") == "hit"
    before = page_cache.version(tag)
    with django_capture_on_commit_callbacks(execute=True):
        polls.vote(poll=topic.poll, member=vendor_member, option_ids=option_ids(topic, "Acos"))
    assert page_cache.version(tag) != before
    with django_capture_on_commit_callbacks(execute=True):
        polls.close_poll(poll=topic.poll, by=municipal_member)
    fresh = visitor.get(topic.get_absolute_url())
    assert fresh.headers.get("X-Page-Cache") != "hit"
    assert "1 har stemt" in fresh.text and "Avsluttet" in fresh.text


def test_a_poll_that_closes_soon_keeps_its_page_out_of_the_shared_cache(
    page_cache_on, municipal_member, category
):
    topic = poll_topic(
        municipal_member, category, closes_at=timezone.now() + datetime.timedelta(minutes=2)
    )
    visitor = Client()
    visitor.get(topic.get_absolute_url())
    second = visitor.get(topic.get_absolute_url())
    assert second.headers.get("X-Page-Cache") != "hit"
    assert "private" in second["Cache-Control"]


def test_a_members_own_choice_is_not_in_the_signed_out_page(
    page_cache_on, municipal_member, vendor_member, category
):
    topic = poll_topic(municipal_member, category)
    member = Client()
    member.force_login(vendor_member)
    member.post(f"/t/{topic.pk}/avstemning/", {"option": option_ids(topic, "Acos")})
    member_page = member.get(topic.get_absolute_url())
    assert "Ditt valg" in member_page.text and "private" in member_page["Cache-Control"]
    assert "Ditt valg" not in Client().get(topic.get_absolute_url()).text


# ---- API --------------------------------------------------------------------------------


def test_the_api_shows_results_only_when_they_are_visible(
    municipal_member, vendor_member, category
):
    from api import actions as api_actions

    topic = poll_topic(municipal_member, category, voters="public")
    polls.vote(poll=topic.poll, member=vendor_member, option_ids=option_ids(topic, "Acos"))
    url = f"/api/topics/{topic.pk}/poll/"
    hidden = Client().get(url).json()
    assert hidden["results_visible"] is False and hidden["voter_count"] is None
    assert {o["votes"] for o in hidden["options"]} == {None}
    secret = api_actions.create_token(user=vendor_member, name="test").secret
    mine = Client().get(url, HTTP_AUTHORIZATION=f"Bearer {secret}").json()
    assert mine["results_visible"] is True and mine["voter_count"] == 1
    acos = next(o for o in mine["options"] if o["text"] == "Acos")
    assert acos["votes"] == 1 and acos["chosen"] is True and acos["voters"] == ["Ola Hansen"]


def test_the_api_answers_404_for_a_hidden_topic_or_one_without_a_poll(municipal_member, category):
    closed = Category.objects.create(name="Kommuner", slug="kommuner", visibility="kommuner")
    secret_poll = poll_topic(municipal_member, closed)
    plain = factories.topic(author=municipal_member, category=category)
    assert Client().get(f"/api/topics/{secret_poll.pk}/poll/").status_code == 404
    assert Client().get(f"/api/topics/{plain.pk}/poll/").status_code == 404
    assert Client().get("/api/topics/999999/poll/").status_code == 404


# ---- Query counts ------------------------------------------------------------------------


def _voters(count: int) -> list:
    return [factories.member(email=f"velger{n}@example.org") for n in range(count)]


@pytest.mark.parametrize("signed_in", [False, True])
def test_the_topic_page_with_a_poll_does_not_grow_with_votes(
    client, municipal_member, category, signed_in
):
    small = poll_topic(municipal_member, category, options=["Ja", "Nei"], voters="public")
    big = poll_topic(
        municipal_member,
        category,
        options=[f"Valg {n}" for n in range(20)],
        voters="public",
        kind="multiple",
    )
    voters = _voters(200)
    for number, member in enumerate(voters[:2]):
        polls.vote(poll=small.poll, member=member, option_ids=[small.poll.options.all()[number].pk])
    big_options = list(big.poll.options.values_list("pk", flat=True))
    for number, member in enumerate(voters):
        polls.vote(
            poll=big.poll, member=member, option_ids=big_options[number % 20 : number % 20 + 3]
        )
    for topic in (small, big):
        polls.close_poll(poll=topic.poll, by=municipal_member)  # results for everyone
    if signed_in:
        client.force_login(voters[0])
    few = page_queries(client, small.get_absolute_url())
    many = page_queries(client, big.get_absolute_url())
    assert len(few) == len(many), "\n".join(many)
    assert "Valg 19" in client.get(big.get_absolute_url()).text


def test_a_poll_costs_two_queries_and_a_topic_without_one_none(
    municipal_member, vendor_member, category
):
    plain = factories.topic(author=municipal_member, category=category)
    topic = poll_topic(municipal_member, category, voters="public")
    polls.vote(poll=topic.poll, member=vendor_member, option_ids=option_ids(topic, "Acos"))
    client = Client()
    client.force_login(vendor_member)
    without = len(page_queries(client, plain.get_absolute_url()))
    with_poll = len(page_queries(client, topic.get_absolute_url()))
    # the options with their counts and the reader's choice; the names of a public poll's voters
    assert with_poll - without == 2


# ---- Concurrency (PostgreSQL) ---------------------------------------------------------


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    __import__("django.db").db.connection.vendor != "postgresql",
    reason="needs PostgreSQL (set DATABASE_URL): SQLite has one writer at a time",
)
def test_votes_sent_at_once_end_as_one_vote_per_member(municipal_member, category):
    from tests.test_concurrency import run_at_once

    topic = poll_topic(municipal_member, category)
    choices = list(topic.poll.options.values_list("pk", flat=True))
    voters = _voters(10)
    one = voters[0]
    jobs = [
        (lambda m=m: polls.vote(poll=topic.poll, member=m, option_ids=[choices[0]]))
        for m in voters[1:]
    ] + [(lambda c=c: polls.vote(poll=topic.poll, member=one, option_ids=[c])) for c in choices * 3]
    assert run_at_once(jobs) == []
    assert PollVote.objects.filter(member=one).count() == 1
    assert PollVote.objects.count() == 10


def test_the_apis_poll_is_fresh_after_a_vote_and_not_kept_past_its_closing_time(
    page_cache_on, municipal_member, vendor_member, category, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        topic = poll_topic(municipal_member, category)
        soon = poll_topic(
            municipal_member, category, closes_at=timezone.now() + datetime.timedelta(minutes=1)
        )
    url = f"/api/topics/{topic.pk}/poll/"
    assert Client().get(url).json()["is_closed"] is False
    assert Client().get(url).headers.get("X-Page-Cache") == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        polls.vote(poll=topic.poll, member=vendor_member, option_ids=option_ids(topic, "Acos"))
        polls.close_poll(poll=topic.poll, by=municipal_member)
    fresh = Client().get(url)
    assert fresh.headers.get("X-Page-Cache") != "hit"
    assert fresh.json()["voter_count"] == 1
    soon_url = f"/api/topics/{soon.pk}/poll/"
    Client().get(soon_url)
    again = Client().get(soon_url)
    assert again.headers.get("X-Page-Cache") != "hit" and "private" in again["Cache-Control"]


def test_a_members_poll_votes_are_in_their_data_export(municipal_member, vendor_member, category):
    from topics.privacy import export

    topic = poll_topic(municipal_member, category)
    polls.vote(poll=topic.poll, member=vendor_member, option_ids=option_ids(topic, "Acos"))
    assert [v["valg"] for v in export(vendor_member)["stemmer"]] == ["Acos"]


@pytest.mark.parametrize("step", ["preview", "sjekk_lignende"])
def test_the_preview_and_the_similar_topics_step_keep_the_poll(
    client, municipal_member, category, step
):
    from topics.preview import BUTTON

    client.force_login(municipal_member)
    data = topic_form(
        category, question="Hvilket system?", options="Acos\nElements", voters="public"
    )
    data[BUTTON if step == "preview" else step] = "1"
    response = client.post("/ny/", data)
    assert response.status_code == 200
    assert 'value="Hvilket system?"' in response.text
    assert "Acos\nElements</textarea>" in response.text
    assert 'name="poll-voters" value="public" class="ds-input" id="id_poll-voters_1" checked' in (
        response.text
    )
    assert not Topic.objects.exists()


def test_a_signed_out_topic_page_with_a_public_closed_poll_runs_two_queries_more(
    client, municipal_member, vendor_member, category, django_assert_num_queries
):
    topic = poll_topic(municipal_member, category, voters="public")
    polls.vote(poll=topic.poll, member=vendor_member, option_ids=option_ids(topic, "Acos"))
    polls.close_poll(poll=topic.poll, by=municipal_member)
    # tests/test_query_counts.py's six, the options (with counts), the voters' names
    with django_assert_num_queries(8):
        client.get(topic.get_absolute_url())


def test_a_poll_sent_after_the_session_ended_is_back_after_signing_in(municipal_member, category):
    from tests.test_kept_text import end_session, login_url_and_next, sign_in, textarea

    browser = Client()
    sign_in(browser, municipal_member.email)
    end_session(browser)
    sent = browser.post(
        "/ny/",
        topic_form(category, question="Hvilket system?", options="Acos\nElements", voters="public"),
    )
    _login, back = login_url_and_next(sent)
    assert not Topic.objects.exists()
    sign_in(browser, municipal_member.email, next_url=back)
    page = browser.get(back).text
    assert textarea(page, "poll-options") == "Acos\nElements"
    assert 'value="Hvilket system?"' in page
    assert '<details class="poll-section" open>' in page
    assert (
        'name="poll-voters" value="public" class="ds-input" id="id_poll-voters_1" checked' in page
    )


def test_a_merged_topics_poll_moves_with_its_votes_and_two_polls_are_not_merged(
    municipal_member, vendor_member, moderator, category
):
    from topics.moderation import actions as moderation

    source = poll_topic(municipal_member, category)
    polls.vote(poll=source.poll, member=vendor_member, option_ids=option_ids(source, "Acos"))
    target = factories.topic(author=municipal_member, category=category)
    moderation.merge_topic(topic=source, into=target, by=moderator)
    assert Poll.objects.get().topic_id == target.pk
    assert PollVote.objects.count() == 1

    other = poll_topic(municipal_member, category, options=["Ja", "Nei"])
    with pytest.raises(ValidationError, match="Begge trådene har en avstemning"):
        moderation.merge_topic(topic=other, into=target, by=moderator)
    assert Topic.objects.filter(pk=other.pk).exists()
    assert Poll.objects.count() == 2

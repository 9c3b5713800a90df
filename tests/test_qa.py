"""Questions and answers, experiences, "Nyttig", quotes, mentions, edit history, read tracking."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories
from tests.conftest import login
from topics import actions, answers, reading, usefulness
from topics.diff import word_diff
from topics.mentions import find_mentions, link_mentions
from topics.models import Category, Post, Topic, TopicReadState, UsefulMark

pytestmark = pytest.mark.django_db


@pytest.fixture
def helper(kommune):
    return factories.member(email="per@drammen.kommune.no", display_name="Per Hjelper")


@pytest.fixture
def answered(topic, helper):
    return actions.reply(author=helper, topic=topic, body="Avslutt arkivet 31.12. og ta uttrekk.")


# ---- Answers ---------------------------------------------------------------------------


def test_asker_marks_a_reply_as_answer_and_it_shows_under_the_question(
    client, topic, answered, municipal_member
):
    login(client, municipal_member)
    response = client.post(f"/innlegg/{answered.pk}/losning/", {"action": "marker"})
    assert response.status_code == 302
    topic.refresh_from_db()
    assert topic.solved_post == answered
    assert topic.solved_by == municipal_member
    page = client.get(topic.get_absolute_url()).text
    assert "Løst" in page
    assert "markert som løsningen av Kari Nordmann" in page
    # The answer box comes right after the question, before the replies.
    assert page.index("answer-box") < page.index('id="innlegg-2"')


def test_someone_else_cannot_mark_the_answer_on_a_question(client, topic, answered, helper):
    login(client, helper)
    response = client.post(f"/innlegg/{answered.pk}/losning/", {"action": "marker"})
    assert response.status_code == 403
    topic.refresh_from_db()
    assert topic.solved_post is None
    with pytest.raises(PermissionDenied):
        answers.accept_answer(post=answered, by=helper)


def test_moderator_can_mark_the_answer(topic, answered, moderator):
    assert moderator.is_moderator
    answers.accept_answer(post=answered, by=moderator)
    assert Topic.objects.get(pk=topic.pk).solved_post == answered


def test_the_question_itself_and_discussions_cannot_be_marked(municipal_member, category, topic):
    with pytest.raises(ValidationError):
        answers.accept_answer(post=factories.first_post(topic), by=municipal_member)
    discussion = factories.topic(
        author=municipal_member, category=category, kind=Topic.Kind.DISKUSJON, replies=1
    )
    with pytest.raises(PermissionDenied):
        answers.accept_answer(post=discussion.posts.get(position=2), by=municipal_member)


def test_unmarking_the_answer_reopens_the_question(topic, answered, municipal_member):
    answers.accept_answer(post=answered, by=municipal_member)
    answers.unaccept_answer(topic=topic, by=municipal_member)
    assert Topic.objects.unanswered().filter(pk=topic.pk).exists()


def test_lists_filter_solved_and_unanswered(client, topic, answered, municipal_member, category):
    open_question = factories.topic(
        author=municipal_member, category=category, title="Åpent spørsmål om HR"
    )
    answers.accept_answer(post=answered, by=municipal_member)
    solved = client.get("/?vis=lost").text
    assert "Noark 5-migrering" in solved and "Åpent spørsmål om HR" not in solved
    unanswered = client.get("/?vis=ubesvart").text
    assert "Åpent spørsmål om HR" in unanswered and "Noark 5-migrering" not in unanswered
    assert client.get("/?vis=tull").status_code == 200
    assert open_question.pk


def test_unanswered_page_lists_open_questions_oldest_first(client, municipal_member, category):
    first = factories.topic(author=municipal_member, category=category, title="Eldste spørsmål")
    factories.topic(author=municipal_member, category=category, title="Nyeste spørsmål")
    factories.topic(
        author=municipal_member, category=category, title="En diskusjon", kind=Topic.Kind.DISKUSJON
    )
    actions.reply(author=municipal_member, topic=first, body="Fortsatt ingen løsning")
    page = client.get("/ubesvarte/").text
    assert page.index("Eldste spørsmål") < page.index("Nyeste spørsmål")
    assert "En diskusjon" not in page


# ---- Experiences ------------------------------------------------------------------------


def test_experience_topic_needs_a_verdict_and_shows_it(client, municipal_member, category):
    login(client, municipal_member)
    data = {
        "title": "Erfaring med Elements",
        "category": category.pk,
        "kind": "erfaring",
        "body": "Det gikk greit.",
    }
    response = client.post("/ny/", data)
    assert response.status_code == 400
    assert "positiv, negativ eller blandet" in response.text
    assert 'value="Erfaring med Elements"' in response.text
    assert not Topic.objects.filter(title="Erfaring med Elements").exists()
    response = client.post("/ny/", {**data, "verdict": "blandet"})
    topic = Topic.objects.get(title="Erfaring med Elements")
    assert topic.verdict == "blandet"
    assert "Vurdering: Blandet" in client.get(topic.get_absolute_url()).text
    assert list(Topic.objects.experiences()) == [topic]


def test_a_question_gets_no_verdict(municipal_member, category):
    with pytest.raises(ValidationError):
        actions.create_topic(
            author=municipal_member,
            category=category,
            title="Spørsmål",
            body="x",
            verdict="positiv",
        )


def test_author_changes_the_verdict(client, municipal_member, category):
    topic = actions.create_topic(
        author=municipal_member,
        category=category,
        title="Erfaring med Acos",
        body="Bra",
        kind=Topic.Kind.ERFARING,
        verdict="positiv",
    )
    login(client, municipal_member)
    client.post(f"/t/{topic.pk}/vurdering/", {"verdict": "negativ"})
    assert Topic.objects.get(pk=topic.pk).verdict == "negativ"
    client.post(f"/t/{topic.pk}/vurdering/", {"verdict": "kanskje"})
    assert Topic.objects.get(pk=topic.pk).verdict == "negativ"


# ---- "Nyttig" ---------------------------------------------------------------------------


def test_member_marks_a_post_useful_once_and_can_undo(client, topic, answered, vendor_member):
    login(client, vendor_member)
    client.post(f"/innlegg/{answered.pk}/nyttig/", {"action": "nyttig"})
    client.post(f"/innlegg/{answered.pk}/nyttig/", {"action": "nyttig"})
    assert Post.objects.get(pk=answered.pk).useful_count == 1
    assert UsefulMark.objects.count() == 1
    assert 'aria-pressed="true"' in client.get(topic.get_absolute_url()).text
    client.post(f"/innlegg/{answered.pk}/nyttig/", {"action": "angre"})
    client.post(f"/innlegg/{answered.pk}/nyttig/", {"action": "angre"})
    assert Post.objects.get(pk=answered.pk).useful_count == 0


def test_marking_your_own_post_useful_is_refused(client, answered, helper):
    login(client, helper)
    assert client.post(f"/innlegg/{answered.pk}/nyttig/").status_code == 403
    assert Post.objects.get(pk=answered.pk).useful_count == 0


def test_replies_can_be_sorted_by_usefulness(
    client, topic, helper, vendor_member, municipal_member
):
    actions.reply(author=helper, topic=topic, body="Første svar, lite nyttig")
    best = actions.reply(author=helper, topic=topic, body="Andre svar, svært nyttig")
    usefulness.set_useful(post=best, user=vendor_member, useful=True)
    usefulness.set_useful(post=best, user=municipal_member, useful=True)
    page = client.get(topic.get_absolute_url() + "?sorter=nyttig").text
    assert page.index("svært nyttig") < page.index("lite nyttig")
    normal = client.get(topic.get_absolute_url()).text
    assert normal.index("lite nyttig") < normal.index("svært nyttig")


def test_sorting_by_usefulness_shows_no_reply_still_waiting_for_approval(
    client, topic, helper, municipal_member, settings
):
    settings.FORUM_APPROVE_FIRST_POSTS_OF_UNVERIFIED = True
    newcomer = factories.member(email="ny@gmail.com", display_name="Ny Person")
    actions.reply(author=helper, topic=topic, body="Et godkjent svar")
    held = actions.reply(author=newcomer, topic=topic, body="Venter på godkjenning")
    assert not held.is_approved
    login(client, municipal_member)
    for url in [topic.get_absolute_url(), topic.get_absolute_url() + "?sorter=nyttig"]:
        page = client.get(url).text
        assert "Et godkjent svar" in page and "Venter på godkjenning" not in page, url
    login(client, newcomer)  # the author sees their own, in both orders
    assert "Venter på godkjenning" in client.get(topic.get_absolute_url() + "?sorter=nyttig").text


# ---- Writing: quotes, mentions, history -------------------------------------------------


def test_quote_prefills_the_reply_with_the_quoted_post(client, topic, answered, municipal_member):
    login(client, municipal_member)
    response = client.get(f"/t/{topic.pk}/svar/?sitat={answered.pk}")
    assert "&gt; Avslutt arkivet 31.12." in response.text
    assert "Per Hjelper skrev" in response.text
    assert client.get(f"/t/{topic.pk}/svar/?sitat=abc").status_code == 200


def test_quote_of_a_hidden_post_is_not_offered(
    client, topic, answered, municipal_member, moderator
):
    actions.hide_post(post=answered, by=moderator, reason="spam")
    login(client, municipal_member)
    assert "Avslutt arkivet" not in client.get(f"/t/{topic.pk}/svar/?sitat={answered.pk}").text


def test_mentions_link_to_the_profile(topic, helper, municipal_member):
    post = actions.reply(
        author=helper, topic=topic, body="Takk @Kari Nordmann, se `@Kari Nordmann`."
    )
    post.refresh_from_db()
    assert (
        f'<a class="mention" href="/medlem/{municipal_member.pk}/">@Kari Nordmann</a>'
        in post.body_html
    )
    assert "<code>@Kari Nordmann</code>" in post.body_html


def test_mentions_never_point_to_a_member_who_never_confirmed_the_email(municipal_member):
    factories.member(display_name="Kari Nordmann", email_verified=False)
    factories.member(display_name="Ola Ubekreftet", email_verified=False)
    mentions = find_mentions("Hei @Kari Nordmann og @Ola Ubekreftet.")
    assert [m.user for m in mentions] == [municipal_member]


def test_mentions_pick_the_longest_unique_name(municipal_member, helper):
    factories.member(display_name="Kari")
    mentions = find_mentions("Hei @kari nordmann og @Per Hjelper. Og @Ukjent Person.")
    assert [m.user for m in mentions] == [municipal_member, helper]
    assert find_mentions("e-post: kari@drammen.kommune.no") == []
    html = link_mentions("<p>@Per Hjelper!</p>", mentions)
    assert html.startswith('<p><a class="mention"')


def test_edit_history_shows_the_changes_between_revisions(client, topic, answered, helper):
    actions.edit_post(
        post=answered, editor=helper, body="Avslutt arkivet 31.12. og ta Noark-uttrekk."
    )
    actions.edit_post(
        post=answered, editor=helper, body="Avslutt arkivet 1.1. og ta Noark-uttrekk."
    )
    response = client.get(f"/innlegg/{answered.pk}/historikk/")
    assert response.status_code == 200
    assert "<del>31</del>" in response.text and "<ins>1</ins>" in response.text
    assert "Versjon 3" in response.text and "Versjon 1 (opprinnelig)" in response.text


def test_history_of_a_hidden_post_is_hidden_from_others(
    client, topic, answered, vendor_member, moderator
):
    actions.hide_post(post=answered, by=moderator)
    login(client, vendor_member)
    assert client.get(f"/innlegg/{answered.pk}/historikk/").status_code == 404
    assert client.get("/innlegg/999999/historikk/").status_code == 404


def test_word_diff():
    changes = word_diff("en to tre", "en fire tre")
    assert [(c.op, c.text) for c in changes] == [
        ("same", "en "),
        ("removed", "to"),
        ("added", "fire"),
        ("same", " tre"),
    ]


# ---- Read tracking ----------------------------------------------------------------------


def test_list_shows_new_posts_since_last_visit_and_jumps_to_the_first(
    client, topic, helper, vendor_member
):
    login(client, vendor_member)
    page = client.get(topic.get_absolute_url()).text
    assert not TopicReadState.objects.filter(user=vendor_member).exists()  # a GET writes nothing
    assert 'name="position" value="1"' in page
    client.post(f"/t/{topic.pk}/lest/", {"position": "1"}, HTTP_X_REQUESTED_WITH="fetch")
    assert TopicReadState.objects.get(user=vendor_member, topic=topic).position == 1
    assert 'name="position"' not in client.get(topic.get_absolute_url()).text
    assert "unread-link" not in client.get("/").text
    actions.reply(author=helper, topic=topic, body="Nytt svar 1")
    actions.reply(author=helper, topic=topic, body="Nytt svar 2")
    front = client.get("/").text
    assert "2 nye" in front
    response = client.get(f"/t/{topic.pk}/ulest/")
    assert response.url.endswith("#innlegg-2")
    page = client.get(topic.get_absolute_url()).text
    assert page.index("Nytt siden sist") < page.index("Nytt svar 1")
    response = client.post(f"/t/{topic.pk}/lest/", {"position": "3"})  # the button, no script
    assert response.url.endswith("#innlegg-3")
    assert TopicReadState.objects.get(user=vendor_member, topic=topic).position == 3


@pytest.mark.parametrize("position", ["", "abc", "0", "4", "99999999999999999999"])
def test_a_read_mark_past_the_topic_is_refused(client, topic, vendor_member, position):
    login(client, vendor_member)
    assert client.post(f"/t/{topic.pk}/lest/", {"position": position}).status_code == 400
    assert not TopicReadState.objects.filter(user=vendor_member).exists()


def test_no_read_mark_in_a_topic_the_member_cannot_read(client, vendor_member, municipal_member):
    closed = Category.objects.create(
        name="Kommuner", slug="kommuner-lest", visibility=Category.Visibility.KOMMUNER
    )
    hidden = factories.topic(author=municipal_member, category=closed)
    login(client, vendor_member)
    assert client.post(f"/t/{hidden.pk}/lest/", {"position": "1"}).status_code == 404
    assert not TopicReadState.objects.filter(user=vendor_member).exists()


def test_replying_marks_the_topic_read_up_to_the_reply(topic, vendor_member, helper):
    actions.reply(author=helper, topic=topic, body="Først")
    post = actions.reply(author=vendor_member, topic=topic, body="Mitt svar")
    assert TopicReadState.objects.get(user=vendor_member, topic=topic).position == post.position


def test_read_position_never_moves_backwards(topic, vendor_member):
    reading.mark_read(user=vendor_member, topic=topic, position=5)
    reading.mark_read(user=vendor_member, topic=topic, position=2)
    assert TopicReadState.objects.get(user=vendor_member, topic=topic).position == 5


# ---- Query counts -----------------------------------------------------------------------


def _topic_page_queries(client, topic) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(topic.get_absolute_url())
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("sort", ["", "?sorter=nyttig"])
def test_topic_page_query_count_does_not_grow_with_replies(
    client, municipal_member, vendor_member, helper, category, sort
):
    small = factories.topic(author=municipal_member, category=category, replies=3)
    big = factories.topic(author=municipal_member, category=category, replies=100)
    for t in (small, big):
        replies = list(t.posts.filter(position__gt=1)[:3])
        for post in replies:
            usefulness.set_useful(post=post, user=helper, useful=True)
        actions.edit_post(post=replies[0], editor=municipal_member, body="Endret")
        answers.accept_answer(post=replies[1], by=municipal_member)
    login(client, helper)
    counts = []
    for t in (small, big):
        _topic_page_queries(client, t)  # first visit creates the read state
        with CaptureQueriesContext(connection) as ctx:
            client.get(t.get_absolute_url() + sort)
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
    assert counts[1] <= 20, counts
    print(f"topic page queries{sort}: {counts}")


def test_topic_list_query_count_with_read_state(client, municipal_member, vendor_member, category):
    login(client, vendor_member)
    for _i in range(3):
        t = factories.topic(author=municipal_member, category=category, replies=2)
        client.get(t.get_absolute_url())
    with CaptureQueriesContext(connection) as ctx:
        client.get("/")
    few = len(ctx.captured_queries)
    for _i in range(10):
        t = factories.topic(author=municipal_member, category=category, replies=2)
        client.get(t.get_absolute_url())
    with CaptureQueriesContext(connection) as ctx:
        client.get("/")
    assert len(ctx.captured_queries) == few

"""Topic lists shared by members who see the same page (forum/member_cache.py).

The one property that matters: whoever's page was stored first, every member gets byte for
byte the page they get with the cache off (but for the CSRF token and the CSP nonce, which
are new on every request). It is checked for every kind of reader the forum has, on every
topic list that opts in.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import timezone

from accounts import actions as account_actions
from accounts.models import Organisation
from directory.models import Sector, System
from directory.queries import REFORM_DATE
from forum import member_cache, page_cache
from notifications import actions as notification_actions
from tests import directory_factories as df
from tests import factories
from topics import actions, actions_qa
from topics.models import Category, Post, Topic

pytestmark = pytest.mark.django_db

_VOLATILE = re.compile(
    rb'(name="csrfmiddlewaretoken" value="|name="client_token" value="|nonce=")[^"]+"'
)


def _normalised(content: bytes) -> bytes:
    return _VOLATILE.sub(rb'\1-"', content)


@pytest.fixture
def world(kommune, vendor_org, moderator, django_capture_on_commit_callbacks):
    """Categories of every visibility, topics in each, and readers of every kind, with their
    own read marks, watches and notifications."""
    spaces = {
        "public": factories.category(name="Spørsmål og svar", slug="sporsmal"),
        "signed_in": Category.objects.create(
            name="For medlemmer", slug="medlemmer", visibility=Category.Visibility.INNLOGGET
        ),
        "municipal": Category.objects.create(
            name="Bare kommuner", slug="kommuner", visibility=Category.Visibility.KOMMUNER
        ),
        "group": Category.objects.create(
            name="Nye Drammen", slug="nye-drammen", visibility=Category.Visibility.GRUPPE
        ),
    }
    group = account_actions.create_group(name="Nye Drammen", by=moderator)
    spaces["group"].groups.add(group)
    sector = Sector.objects.create(name="Helse", slug="helse")
    readers = {
        "kari": factories.member(email="kari@drammen.kommune.no", display_name="Kari Kommune"),
        "per": factories.member(email="per@drammen.kommune.no", display_name="Per Kommune"),
        "ola": factories.member(email="ola@acos.no", display_name="Ola Leverandør"),
        "grete": factories.member(email="grete@acos.no", display_name="Grete Gruppe"),
        "nina": factories.member(email="nina@example.org", email_verified=False),
        "siri": factories.member(email="siri@drammen.kommune.no", display_name="Siri Stille"),
        "vera": factories.member(email="vera@drammen.kommune.no", display_name="Vera Venter"),
        "moderator": moderator,
    }
    account_actions.add_group_member(group=group, user=readers["grete"], by=moderator)
    account_actions.silence_member(
        member=readers["siri"],
        by=moderator,
        until=timezone.now() + timedelta(days=2),
        reason="Pause",
    )
    with django_capture_on_commit_callbacks(execute=True):
        topics = [
            actions.create_topic(
                author=moderator
                if space.visibility != "offentlig"
                else readers[("kari", "ola")[n % 2]],
                category=space,
                title=f"{space.name}: tråd {n}",
                body="Hva gjør dere med dette?",
                kind=Topic.Kind.SPORSMAL,
                sectors=[sector] if n % 3 == 0 else [],
            )
            for n, space in enumerate(
                [spaces["public"]] * 4 + [spaces["signed_in"], spaces["municipal"], spaces["group"]]
            )
        ]
        waiting = actions.create_topic(
            author=readers["vera"],
            category=spaces["public"],
            title="Venter på godkjenning",
            body="Min egen tråd",
            kind=Topic.Kind.DISKUSJON,
        )
        Topic.objects.filter(pk=waiting.pk).update(is_approved=False)
        # Own read marks («N nye»), watches and notifications, different for every reader.
        for n, name in enumerate(["kari", "per", "ola", "grete", "siri"]):
            for topic in topics[: n + 2]:
                if Topic.objects.visible_to(readers[name]).filter(pk=topic.pk).exists():
                    actions_qa.mark_read(user=readers[name], topic=topic, position=1)
        notification_actions.watch(user=readers["per"], category=spaces["public"])
        notification_actions.watch(user=readers["kari"], topic=topics[0])
        for topic in topics[:3]:
            actions.reply(author=readers["ola"], topic=topic, body="Et nytt svar")
    return {"spaces": spaces, "readers": readers, "sector": sector, "topics": topics}


def _pages(world) -> list[str]:
    spaces = world["spaces"]
    return [
        "/",
        "/?vis=ubesvart",
        reverse("topics:category", args=[spaces["public"].slug]),
        reverse("topics:category", args=[spaces["municipal"].slug]),
        reverse("topics:category", args=[spaces["group"].slug]),
        reverse("topics:sector", args=[world["sector"].slug]),
        reverse("topics:unanswered"),
    ]


def _client(reader) -> Client:
    client = Client()
    client.force_login(reader)
    return client


def _clients(readers) -> dict[str, Client]:
    return {name: _client(reader) for name, reader in readers.items()}


def test_every_reader_gets_their_own_page_whoever_stored_it(world):
    _assert_every_reader_gets_their_own_page(world["readers"], _pages(world))


@pytest.fixture
def directory_pages(world, kommune, vendor_org) -> list[str]:
    """A system page (and a proposal only its vendor's staff may see), a county matrix and
    the merger page of the municipality Kari and Per speak for."""
    county = df.county()
    Organisation.objects.filter(pk=kommune.pk).update(county=county, valid_from=REFORM_DATE)
    old = df.municipality(
        county=county, number="0602", slug="gamle-drammen", valid_to=REFORM_DATE - timedelta(1)
    )
    kommune.predecessors.add(old)
    system = df.system(vendor=vendor_org, name="WebSak")
    proposal = df.system(vendor=vendor_org, name="WebSak Neste")
    System.objects.filter(pk=proposal.pk).update(is_approved=False)
    df.usage(organisation=kommune, system=system)
    df.usage(organisation=old, system=system, status="avviklet")
    for topic in world["topics"]:
        topic.systems.add(system)
    notification_actions.watch(user=world["readers"]["kari"], system=system)
    return [
        system.get_absolute_url(),
        proposal.get_absolute_url(),
        reverse("directory:matrix", args=[county.number]),
        reverse("directory:merger", args=[kommune.slug]),
    ]


def test_every_reader_gets_their_own_directory_page_whoever_stored_it(world, directory_pages):
    # Tor reads what Ola reads, but works for another vendor: Ola's proposal is not for him.
    factories.organisation(
        name="Tieto", slug="tieto", kind=Organisation.Kind.LEVERANDOR, domain="tieto.no"
    )
    readers = {**world["readers"], "tor": factories.member(email="tor@tieto.no")}
    _assert_every_reader_gets_their_own_page(readers, directory_pages)
    proposal, merger = directory_pages[1], directory_pages[3]
    statuses = {name: _client(readers[name]).get(proposal).status_code for name in readers}
    assert statuses == {**dict.fromkeys(readers, 404), "ola": 200, "grete": 200, "moderator": 200}
    texts = {name: _client(readers[name]).get(merger).text for name in ("kari", "ola")}
    assert "Registrer et valg" in texts["kari"] and "Registrer et valg" not in texts["ola"]


def test_every_reader_gets_their_own_search_and_new_topic_page(world):
    """Search shows a member their own posts awaiting approval; the new-topic form offers
    the categories they may start topics in, and each form gets its own one-time key."""
    readers = world["readers"]
    waiting = actions.reply(
        author=readers["per"], topic=world["topics"][0], body="Et ventende svar om arkivet"
    )
    Post.objects.filter(pk=waiting.pk).update(is_approved=False)
    pages = ["/search/?q=arkivet", "/search/?q=tr%C3%A5d", "/ny/", "/ny/?kategori=kommuner"]
    _assert_every_reader_gets_their_own_page(readers, pages)
    kari, per = _client(readers["kari"]), _client(readers["per"])
    with override_settings(FORUM_PAGE_CACHE_SECONDS=300):
        assert "ventende svar" not in kari.get(pages[0]).text
        assert "ventende svar" in per.get(pages[0]).text
        kari.get("/ny/")
        forms = [kari.get("/ny/"), kari.get("/ny/")]
    assert [form.headers["X-Page-Cache"] for form in forms] == ["member-hit"] * 2
    keys = [re.search(r'name="client_token" value="([0-9a-f-]{36})"', f.text)[1] for f in forms]
    assert keys[0] != keys[1]


def test_a_members_notifications_page_is_their_own_until_their_notifications_change(world):
    """Stored for the member alone, under the version of their notifications: reading one
    (which is no write others see, so the page-cache generation stays) makes a new page."""
    readers = world["readers"]
    _assert_every_reader_gets_their_own_page(readers, ["/varsler/"])
    kari = _client(readers["kari"])
    notification = readers["kari"].notifications.order_by("pk").first()
    cache.clear()
    with override_settings(FORUM_PAGE_CACHE_SECONDS=300):
        assert kari.get("/varsler/").headers["X-Page-Cache"] == "member-miss"
        assert kari.get("/varsler/").headers["X-Page-Cache"] == "member-hit"
        assert _client(readers["per"]).get("/varsler/").headers["X-Page-Cache"] == "member-miss"
        generation = page_cache.generation()
        kari.get(reverse("notifications:open", args=[notification.pk]))
        assert page_cache.generation() == generation
        after = kari.get("/varsler/")
    assert after.headers["X-Page-Cache"] == "member-miss"
    assert _normalised(after.content) == _normalised(kari.get("/varsler/").content)


def _assert_every_reader_gets_their_own_page(readers, urls: list[str]) -> None:
    clients = _clients(readers)
    for url in urls:
        expected = {}
        for name, client in clients.items():
            response = client.get(url)
            expected[name] = (response.status_code, _normalised(response.content))
        with override_settings(FORUM_PAGE_CACHE_SECONDS=300):
            for first in clients:
                cache.clear()
                clients[first].get(url)
                for name, client in clients.items():
                    response = client.get(url)
                    got = (response.status_code, _normalised(response.content))
                    assert got == expected[name], f"{url}: {name} after {first}"


def test_members_who_see_the_same_share_one_stored_page(world):
    readers = world["readers"]
    kari, per = _client(readers["kari"]), _client(readers["per"])
    public = reverse("topics:category", args=[world["spaces"]["public"].slug])
    with override_settings(FORUM_PAGE_CACHE_SECONDS=300):
        assert kari.get(public).headers["X-Page-Cache"] == "member-miss"
        with CaptureQueriesContext(connection) as ctx:
            response = per.get(public)
    assert response.headers["X-Page-Cache"] == "member-hit"
    # Per's own parts, not Kari's: name, «N nye», the category he follows.
    profile = reverse("accounts:profile")
    assert f'<a href="{profile}">Per Kommune</a>' in response.text
    assert f'<a href="{profile}">Kari Kommune</a>' not in response.text
    assert response.text.count("unread-link") == 3  # Per read three topics, each answered since
    assert 'value="slutt"' in response.text
    # The session and the member, the reader key (pending topics, readable categories),
    # read marks, the watch button, the unread notification count: no topic list query.
    assert len(ctx.captured_queries) <= 7, [q["sql"] for q in ctx.captured_queries]
    assert not any('"topics_topic"."title"' in q["sql"] for q in ctx.captured_queries)


def test_members_who_see_different_categories_never_share(world):
    readers = world["readers"]
    clients = _clients({name: readers[name] for name in ("kari", "ola", "grete", "nina")})
    with override_settings(FORUM_PAGE_CACHE_SECONDS=300):
        for client in clients.values():
            assert client.get("/").headers["X-Page-Cache"] == "member-miss"
        texts = {name: client.get("/").text for name, client in clients.items()}
    assert "Bare kommuner" in texts["kari"] and "Bare kommuner" not in texts["ola"]
    assert "Nye Drammen" in texts["grete"] and "Nye Drammen" not in texts["ola"]
    assert "Start en ny tråd" in texts["ola"] and "Start en ny tråd" not in texts["nina"]


@pytest.mark.parametrize("reader", ["moderator", "vera"])
def test_moderators_and_members_with_topics_awaiting_approval_get_fresh_pages(world, reader):
    client = _client(world["readers"][reader])
    with override_settings(FORUM_PAGE_CACHE_SECONDS=300):
        client.get("/")
        response = client.get("/")
    assert "X-Page-Cache" not in response.headers
    assert "Venter på godkjenning" in response.text


def test_a_new_reply_shows_at_once_to_members(world, django_capture_on_commit_callbacks):
    readers = world["readers"]
    per = _client(readers["per"])
    with override_settings(FORUM_PAGE_CACHE_SECONDS=300):
        per.get("/")
        assert per.get("/").headers["X-Page-Cache"] == "member-hit"
        with django_capture_on_commit_callbacks(execute=True):
            topic = actions.create_topic(
                author=readers["ola"],
                category=world["spaces"]["signed_in"],
                title="Helt ny tråd for medlemmer",
                body="Noen som har erfaring?",
                kind=Topic.Kind.SPORSMAL,
            )
        response = per.get("/")
        assert response.headers["X-Page-Cache"] == "member-miss"
        assert topic.title in response.text
        # Reading a topic changes only Per's own part: the stored page still serves.
        actions_qa.mark_read(user=readers["per"], topic=topic, position=1)
        response = per.get("/")
    assert response.headers["X-Page-Cache"] == "member-hit"


def test_messages_are_shown_once_and_never_stored(world, django_capture_on_commit_callbacks):
    readers = world["readers"]
    ola = _client(readers["ola"])
    public = world["spaces"]["public"]
    with override_settings(FORUM_PAGE_CACHE_SECONDS=300):
        ola.get("/")
        with django_capture_on_commit_callbacks(execute=True):
            response = ola.post(
                reverse("notifications:watch"),
                {"type": "kategori", "id": public.pk, "action": "folg", "next": "/"},
            )
        assert response.status_code == 302
        shown = ola.get("/")
        again = ola.get("/")
    assert "X-Page-Cache" not in shown.headers
    assert 'class="messages"' in shown.text
    assert 'class="messages"' not in again.text
    assert again.headers["X-Page-Cache"] == "member-miss"


def test_a_hole_needs_a_renderer_and_an_argument_without_nul():
    with pytest.raises(ValueError):
        member_cache.marked("no_such_hole", 1, "")
    with pytest.raises(ValueError):
        member_cache.marked("unread", "1\x00", "")
    with pytest.raises(ValueError):
        member_cache.hole_renderer("unread")(lambda request, args: {})


def test_a_member_added_to_a_group_sees_its_category_at_once(
    world, moderator, django_capture_on_commit_callbacks
):
    readers = world["readers"]
    ola = _client(readers["ola"])
    group = world["spaces"]["group"].groups.get()
    with override_settings(FORUM_PAGE_CACHE_SECONDS=300):
        ola.get("/")
        assert "Nye Drammen" not in ola.get("/").text
        with django_capture_on_commit_callbacks(execute=True):
            account_actions.add_group_member(group=group, user=readers["ola"], by=moderator)
        response = ola.get("/")
    assert response.headers["X-Page-Cache"] == "member-miss"
    assert "Nye Drammen" in response.text


def test_a_page_rendered_after_a_write_is_not_stored_under_the_key_from_before(
    rf, municipal_member
):
    """What a member may see can change between deciding their reader key and rendering
    their page (a write commits in between): that page must not be stored under the key."""
    keys, rendered = [], []

    def reader_key(user):
        key = page_cache.remembered("reader:test", lambda: "everyone", 300)
        keys.append(user.pk)
        if len(keys) == 1:
            page_cache._bump()  # a write commits right after the key was decided
        return key

    @member_cache.shared_member_page(reader_key)
    def view(request):
        rendered.append(request.path)
        return HttpResponse("<p>side</p>")

    with override_settings(FORUM_PAGE_CACHE_SECONDS=300):
        for _ in range(3):
            request = rf.get("/side/")
            request.user = municipal_member
            request.session = {}
            request.LANGUAGE_CODE = "nb"
            view(request)
    assert len(rendered) == 2  # the first page was not stored; the second was


def test_pages_stored_by_other_code_are_not_this_codes(settings, tmp_path):
    """A deploy that changes a template (say, makes a part of a page a member's own) must
    not serve pages the code before it stored."""
    (tmp_path / "templates").mkdir()
    template = tmp_path / "templates" / "side.html"
    template.write_text("<p>{{ topic.title }}</p>")
    settings.BASE_DIR = tmp_path
    page_cache.release.cache_clear()
    try:
        before = page_cache.page_key("/", "nb", "everyone")
        template.write_text('<p>{% hole "unread" topic.pk %}{% endhole %}</p>')
        page_cache.release.cache_clear()
        assert page_cache.page_key("/", "nb", "everyone") != before
        assert page_cache.page_key("/", "nb") != page_cache.page_key("/", "nb", "everyone")
    finally:
        page_cache.release.cache_clear()


# ---- Topic pages ------------------------------------------------------------------------


@pytest.fixture
def topic_world(world, moderator, django_capture_on_commit_callbacks):
    """Topic pages with what differs between readers: hidden and waiting posts, an accepted
    answer, «Nyttig» marks, read marks, a locked topic, a second page, a members' category."""
    readers, spaces = world["readers"], world["spaces"]
    readers["mona"] = factories.member(email="mona@drammen.kommune.no", display_name="Mona")
    readers["lars"] = factories.member(email="lars@acos.no", display_name="Lars Leser")
    with django_capture_on_commit_callbacks(execute=True):
        question = factories.topic(
            author=readers["kari"], category=spaces["public"], title="Arkivuttrekk", replies=0
        )
        replies = [
            actions.reply(author=readers[name], topic=question, body=f"Svar fra {name}")
            for name in ["ola", "grete", "ola", "moderator", "grete"]
        ]
        actions.hide_post(post=replies[2], by=moderator, reason="Personopplysninger")
        actions.reply(author=readers["mona"], topic=question, body="Svar fra Mona")
        waiting = actions.reply(author=readers["grete"], topic=question, body="Venter")
        from topics.models import Post

        Post.objects.filter(pk=waiting.pk).update(is_approved=False)
        actions_qa.accept_answer(post=replies[1], by=readers["kari"])
        actions_qa.set_useful(post=replies[0], user=readers["per"], useful=True)
        actions_qa.set_useful(post=replies[1], user=readers["lars"], useful=True)
        long = factories.topic(author=readers["ola"], category=spaces["public"])
        for n in range(25):
            actions.reply(author=readers["per"] if n == 3 else moderator, topic=long, body=f"{n}")
        locked = factories.topic(author=moderator, category=spaces["public"], title="Låst tråd")
        actions.set_locked(topic=locked, by=moderator, locked=True)
        members_only = factories.topic(
            author=moderator, category=spaces["municipal"], title="Bare for kommunene"
        )
        experience = factories.topic(
            author=readers["ola"],
            category=spaces["public"],
            title="Erfaring med Acos",
            kind=Topic.Kind.ERFARING,
        )
        for name, topic, position in [
            ("per", question, 2),
            ("lars", question, 7),
            ("mona", long, 3),
            ("per", long, 21),
        ]:
            actions_qa.mark_read(user=readers[name], topic=topic, position=position)
        notification_actions.watch(user=readers["mona"], topic=question)
    pages = [
        question.get_absolute_url(),
        f"{question.get_absolute_url()}?sorter=nyttig",
        long.get_absolute_url(),
        f"{long.get_absolute_url()}?side=2",
        locked.get_absolute_url(),
        members_only.get_absolute_url(),
        experience.get_absolute_url(),
    ]
    return {**world, "pages": pages, "question": question}


def _read_marks():
    from topics.models import TopicReadState

    return list(TopicReadState.objects.values_list("user_id", "topic_id", "position"))


def _restore_read_marks(marks) -> None:
    """Reading a topic page moves the reader's mark: put every mark back, so each request
    starts from the same state."""
    from topics.models import TopicReadState

    TopicReadState.objects.all().delete()
    TopicReadState.objects.bulk_create(
        [TopicReadState(user_id=u, topic_id=t, position=p) for u, t, p in marks]
    )


def test_every_reader_gets_their_own_topic_page_whoever_stored_it(topic_world):
    clients = _clients(topic_world["readers"])
    marks = _read_marks()
    for url in topic_world["pages"]:
        expected = {}
        for name, client in clients.items():
            response = client.get(url)
            expected[name] = (response.status_code, _normalised(response.content), _read_marks())
            _restore_read_marks(marks)
        with override_settings(FORUM_PAGE_CACHE_SECONDS=300):
            for first in clients:
                cache.clear()
                clients[first].get(url)
                _restore_read_marks(marks)
                for name, client in clients.items():
                    response = client.get(url)
                    got = (response.status_code, _normalised(response.content), _read_marks())
                    _restore_read_marks(marks)
                    assert got == expected[name], f"{url}: {name} after {first}"


def test_readers_of_a_topic_share_its_page_with_their_own_buttons(topic_world):
    readers = topic_world["readers"]
    per, lars = _client(readers["per"]), _client(readers["lars"])
    mona = _client(readers["mona"])
    url = topic_world["question"].get_absolute_url()
    with override_settings(FORUM_PAGE_CACHE_SECONDS=300):
        assert per.get(url).headers["X-Page-Cache"] == "member-miss"
        response = mona.get(url)
        assert response.headers["X-Page-Cache"] == "member-hit"
        assert 'id="ulest"' not in response.text  # Mona never opened it
        assert 'value="slutt"' in response.text  # but follows it
        assert response.text.count(">Rediger</a>") == 1  # her own reply
        assert ">Rediger</a>" not in per.get(url).text
        assert lars.get(url).headers["X-Page-Cache"] == "member-miss"  # a vendor
        # The asker, members with hidden (Ola) or waiting (Grete) posts here, a silenced
        # member and a moderator get pages of their own.
        for name in ["kari", "ola", "grete", "siri", "moderator"]:
            client = _client(readers[name])
            client.get(url)
            assert "X-Page-Cache" not in client.get(url).headers, name
        again = mona.get(url)
    assert again.headers["X-Page-Cache"] == "member-hit"
    # The reply form's one-time key is new on every page, stored or not.
    keys = [
        re.findall(rb'name="client_token" value="([^"]+)"', page.content)
        for page in (response, again)
    ]
    assert len(keys[0]) == len(keys[1]) == 1 and keys[0] != keys[1]


def test_reading_a_shared_topic_page_moves_the_read_mark(topic_world):
    from topics.models import TopicReadState

    readers = topic_world["readers"]
    per, mona = _client(readers["per"]), _client(readers["mona"])
    question = topic_world["question"]
    with override_settings(FORUM_PAGE_CACHE_SECONDS=300):
        mona.get(question.get_absolute_url())
        first = per.get(question.get_absolute_url())
        second = per.get(question.get_absolute_url())
    assert first.headers["X-Page-Cache"] == "member-hit"
    assert 'id="ulest"' in first.text and 'id="ulest"' not in second.text
    mark = TopicReadState.objects.get(user=readers["per"], topic=question)
    assert mark.position == question.posts.filter(is_approved=True).count()


def test_a_topic_page_stored_for_members_stays_within_the_query_budget(topic_world):
    """The first reader after a write renders the page, decides their reader key again and
    stores the page; a first visit also writes the read mark. Still at most 12 queries (the
    session comes from the cache, as it does but for a member's first request)."""
    from tests.test_performance import MAX_QUERIES

    readers = topic_world["readers"]
    newcomer = factories.member(email="nils@drammen.kommune.no", display_name="Nils")
    nils = _client(newcomer)
    url = topic_world["question"].get_absolute_url()
    with override_settings(FORUM_PAGE_CACHE_SECONDS=300):
        _client(readers["per"]).get(url)
        page_cache._bump()  # a write has come in: every stored page and reader key is stale
        with CaptureQueriesContext(connection) as ctx:
            response = nils.get(url)
        assert response.headers["X-Page-Cache"] == "member-miss"
        assert len(ctx.captured_queries) <= MAX_QUERIES, "\n".join(
            q["sql"][:150] for q in ctx.captured_queries
        )
        mona = _client(readers["mona"])
        with CaptureQueriesContext(connection) as ctx:
            response = mona.get(url)
        with CaptureQueriesContext(connection) as again:
            mona.get(url)
    assert response.headers["X-Page-Cache"] == "member-hit"
    # Only Mona's own: the member, her reader key (stale since the write), her read mark,
    # «Nyttig» marks and watch (one query), the read mark's first write, her notification
    # count, and whether she may still edit in the category (she wrote a reply). No post
    # is read.
    sql = [q["sql"] for q in ctx.captured_queries]
    assert len(sql) <= 8, sql
    assert not any('"topics_post"."body_html"' in q for q in sql)
    # Once her reader key and count are remembered: the member, her own parts in one query,
    # and the category check for «Rediger» on her reply.
    assert len(again.captured_queries) <= 3, [q["sql"] for q in again.captured_queries]


def test_municipal_verification_alone_keeps_pages_apart(
    kommune, vendor_org, moderator, django_capture_on_commit_callbacks
):
    """In a forum with no category only municipalities may read, a municipal and a vendor
    member read the same categories; where only municipalities may start topics or reply,
    their pages still differ, so the reader key must tell them apart."""
    asks = Category.objects.create(
        name="Kommunene spør",
        slug="kommunene-spor",
        start_audience=Category.Audience.KOMMUNER,
        reply_audience=Category.Audience.KOMMUNER,
    )
    with django_capture_on_commit_callbacks(execute=True):
        topic = factories.topic(author=moderator, category=asks, title="Hvem bruker Acos?")
    kari = _client(factories.member(email="kari@drammen.kommune.no"))
    ola = _client(factories.member(email="ola@acos.no"))
    pages = [topic.get_absolute_url(), reverse("topics:category", args=[asks.slug])]
    expected = {url: _normalised(ola.get(url).content) for url in pages}
    with override_settings(FORUM_PAGE_CACHE_SECONDS=300):
        for url in pages:
            kari.get(url)
            assert _normalised(ola.get(url).content) == expected[url], url
    assert "Send svar" not in ola.get(pages[0]).text

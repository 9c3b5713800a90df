"""Every visibility level × every kind of user × every surface: no leak anywhere.

A surface is one place where a topic can show up. To cover a new surface (notifications,
e-mails, feeds, the system directory's thread links …) add one ``Surface`` to SURFACES:
a function that asks the page as the given client and says whether the topic was shown.
The test then checks it for every level and every kind of user.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from accounts import actions as account_actions
from accounts.models import MemberGroup, Organisation, User
from api.actions import hash_token
from api.models import ApiToken, Scope
from directory.models import Sector
from notifications.models import Notification
from tests import directory_factories, factories
from tests.attachment_files import PDF, upload
from topics import actions
from topics.models import Category, Post, Topic

pytestmark = pytest.mark.django_db

LEVELS = [value for value, _label in Category.Visibility.choices]
VIEWERS = [
    "signed_out",
    "unverified",
    "municipal",
    "vendor",
    "group_member",
    "moderator",
    "sso_municipal",  # verified through a sign-in with the organisation (Entra ID tenant)
    "sso_withdrawn",  # the same, withdrawn by a later sign-in that no longer named it
]
# Who may read each level: the specification the whole matrix is checked against.
MAY_READ = {
    Category.Visibility.OFFENTLIG: set(VIEWERS),
    Category.Visibility.INNLOGGET: set(VIEWERS) - {"signed_out"},
    Category.Visibility.KOMMUNER: {"municipal", "group_member", "moderator", "sso_municipal"},
    Category.Visibility.GRUPPE: {"group_member", "moderator"},
}
MISSING_PK = 987_654
# A token has the reads of its owner, whatever its scopes: the write scopes add writes only.
EVERY_SCOPE = tuple(Scope.values)


@dataclass
class World:
    viewers: dict[str, User | None]
    topics: dict[str, Topic]
    replies: dict[str, Post]
    sector: Sector
    authors: dict[str, User] = field(default_factory=dict)
    api_tokens: dict[tuple[str, tuple[str, ...]], str] = field(default_factory=dict)

    def client_for(self, viewer: str) -> Client:
        client = Client()
        client.viewer = viewer
        if (user := self.viewers[viewer]) is not None:
            client.force_login(user)
        return client

    def api_headers(self, client: Client) -> dict[str, str]:
        """The API is asked with the viewer's personal token (none when signed out), with
        the scopes in `client.api_scopes` (read only unless a test says otherwise)."""
        if (user := self.viewers[client.viewer]) is None:
            return {}
        scopes = tuple(getattr(client, "api_scopes", (Scope.READ,)))
        if (client.viewer, scopes) not in self.api_tokens:
            # Made directly: an unconfirmed member may not create one (nor anyone but a
            # moderator one that moderates), but whatever token a member holds must give
            # exactly what visible_to gives them.
            secret = f"rf_{client.viewer}_{len(scopes):_<43}"[:46]
            ApiToken.objects.create(
                user=user,
                name="matrise",
                prefix=secret[:10],
                token_hash=hash_token(secret),
                scopes=list(scopes),
            )
            self.api_tokens[client.viewer, scopes] = secret
        return {"HTTP_AUTHORIZATION": f"Bearer {self.api_tokens[client.viewer, scopes]}"}


@pytest.fixture
def world(municipal_member, vendor_member, moderator, unverified_member) -> World:
    svelvik = factories.organisation(name="Svelvik", slug="svelvik", domain="svelvik.kommune.no")
    group_member = factories.member(email="per@svelvik.kommune.no", display_name="Per Svelvik")
    assert group_member.organisation == svelvik
    # Kari (Drammen) is municipal but not in the group; Per (Svelvik) is in it.
    nye_drammen = MemberGroup.objects.create(name="Nye Drammen", slug="nye-drammen")
    nye_drammen.members.add(group_member)
    sector = Sector.objects.get(slug="sak-arkiv")
    authors_org = factories.organisation(name="Forfatterkommune", slug="forfatterkommune")
    system = directory_factories.system(vendor=vendor_member.organisation, name="Matrisesystem")
    topics, replies, authors = {}, {}, {}
    for level in LEVELS:
        category = Category.objects.create(
            name=f"Rom {level}", slug=f"rom-{level}", visibility=level
        )
        if level == Category.Visibility.GRUPPE:
            category.groups.add(nye_drammen)
        author = factories.member(
            email=f"forfatter-{level}@example.org",
            display_name=f"Forfatter {level}",
            organisation=authors_org,
        )
        topic = actions.create_topic(
            author=author,
            category=category,
            title=f"Tråd med markør {level}",
            body=f"Innhold med søkeordet hemmeligsak{level}.",
            sectors=[sector],
            check_permission=False,
        )
        topic.systems.add(system)
        replies[level] = actions.reply(
            author=moderator, topic=topic, body="Et svar.", attachments=[upload("fil.pdf", PDF)]
        )
        topics[level], authors[level] = Topic.objects.get(pk=topic.pk), author
    sso_municipal = factories.member(email="lise@example.org", display_name="Lise Entra")
    sso_withdrawn = factories.member(email="tor@example.org", display_name="Tor Entra")
    for member in (sso_municipal, sso_withdrawn):
        verified = account_actions.refresh_sso_verification(
            user=member, through="entra", organisation=municipal_member.organisation
        )
        assert verified == account_actions.SsoOutcome.VERIFIED
    withdrawn = account_actions.refresh_sso_verification(
        user=sso_withdrawn, through="entra", organisation=None
    )
    assert withdrawn == account_actions.SsoOutcome.WITHDRAWN
    viewers = {
        "sso_municipal": User.objects.get(pk=sso_municipal.pk),
        "sso_withdrawn": User.objects.get(pk=sso_withdrawn.pk),
        "signed_out": None,
        "unverified": unverified_member,
        "municipal": municipal_member,
        "vendor": vendor_member,
        "group_member": group_member,
        "moderator": moderator,
    }
    # A notification about every topic for every member, as if each category had been
    # closed after the notification was written: the list must still hide what is closed.
    for user in viewers.values():
        for level in LEVELS:
            if user is not None:
                Notification.objects.create(
                    recipient=user,
                    kind=Notification.Kind.REPLY,
                    topic=topics[level],
                    post=replies[level],
                    actor=moderator,
                )
    return World(viewers, topics, replies, sector, authors)


Check = Callable[[Client, World, str], bool]


@dataclass(frozen=True)
class Surface:
    name: str
    shows: Check
    # False for surfaces that never list such a topic (e.g. the sitemap for a member):
    # there the test checks only that nothing leaks.
    lists_what_is_visible: bool = True
    needs_sign_in: bool = False


def _marker(world: World, level: str) -> str:
    return world.topics[level].title


def _found_or_404(client: Client, url: str, missing_url: str) -> bool:
    """Detail pages: a forbidden object must answer exactly what a missing one answers."""
    response = client.get(url)
    if response.status_code == 404:
        assert client.get(missing_url).status_code == 404
        return False
    assert response.status_code in (200, 301, 302, 403), (url, response.status_code)
    return True


def _text(client: Client, url: str, **params: str) -> str:
    response = client.get(url, params)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def front_page(client: Client, world: World, level: str) -> bool:
    return _marker(world, level) in _text(client, "/")


def category_list(client: Client, world: World, level: str) -> bool:
    return f"Rom {level}<" in _text(client, "/")


def category_page(client: Client, world: World, level: str) -> bool:
    return _found_or_404(client, f"/k/rom-{level}/", "/k/finnes-ikke/")


def sector_page(client: Client, world: World, level: str) -> bool:
    return _marker(world, level) in _text(client, world.sector.get_absolute_url())


def topic_page(client: Client, world: World, level: str) -> bool:
    topic = world.topics[level]
    shown = _found_or_404(client, topic.get_absolute_url(), f"/t/{MISSING_PK}/x/")
    assert _found_or_404(client, f"/t/{topic.pk}/", f"/t/{MISSING_PK}/") == shown
    return shown


def post_permalink(client: Client, world: World, level: str) -> bool:
    return _found_or_404(client, world.replies[level].get_absolute_url(), f"/innlegg/{MISSING_PK}/")


def reply_form(client: Client, world: World, level: str) -> bool:
    topic = world.topics[level]
    return _found_or_404(client, f"/t/{topic.pk}/svar/", f"/t/{MISSING_PK}/svar/")


def reply_post(client: Client, world: World, level: str) -> bool:
    topic = world.topics[level]
    before = topic.posts.count()
    shown = _found_or_404(client, f"/t/{topic.pk}/svar/", f"/t/{MISSING_PK}/svar/")
    response = client.post(f"/t/{topic.pk}/svar/", {"body": "Lekker det?"})
    if not shown:
        assert response.status_code == 404
        assert topic.posts.count() == before
    return shown


def edit_form(client: Client, world: World, level: str) -> bool:
    post = world.replies[level]
    return _found_or_404(client, f"/innlegg/{post.pk}/rediger/", f"/innlegg/{MISSING_PK}/rediger/")


def member_topic_list(client: Client, world: World, level: str) -> bool:
    return _marker(world, level) in _text(client, world.authors[level].get_absolute_url())


def member_topic_count(client: Client, world: World, level: str) -> bool:
    text = _text(client, world.authors[level].get_absolute_url())
    started = re.search(r"Tråder startet</dt><dd>(\d+)</dd>", text)
    assert started, "the member page shows how many topics the member started"
    return started.group(1) == "1"


def organisation_page(client: Client, world: World, level: str) -> bool:
    return _marker(world, level) in _text(client, "/org/forfatterkommune/")


def search_results(client: Client, world: World, level: str) -> bool:
    text = _text(client, "/search/", q=f"hemmeligsak{level}")
    return "1 treff" in text or _marker(world, level) in text.replace("<mark>", "").replace(
        "</mark>", ""
    )


def search_category_filter(client: Client, world: World, level: str) -> bool:
    response = client.get("/search/", {"q": f"hemmeligsak{level}", "kategori": f"rom-{level}"})
    missing = client.get("/search/", {"q": f"hemmeligsak{level}", "kategori": "finnes-ikke"})
    if response.status_code == 400:
        assert missing.status_code == 400
        assert f"Rom {level}" not in response.content.decode()
        return False
    return "1 treff" in response.content.decode()


def search_filter_choices(client: Client, world: World, level: str) -> bool:
    return f'value="rom-{level}"' in _text(client, "/search/")


def new_topic_choices(client: Client, world: World, level: str) -> bool:
    response = client.get("/ny/")
    if response.status_code in (302, 403):  # signed out / may not post: no list at all
        return False
    return f"Rom {level}<" in response.content.decode()


def sitemap(client: Client, world: World, level: str) -> bool:
    return world.topics[level].get_absolute_url() in _text(client, "/sitemap.xml")


def attachment_file(client: Client, world: World, level: str) -> bool:
    attachment = world.replies[level].attachments.get()
    return _found_or_404(client, attachment.get_absolute_url(), f"/vedlegg/{MISSING_PK}/")


def _feed_exists(client: Client, url: str, missing_url: str) -> bool:
    response = client.get(url)
    if response.status_code == 404:
        assert client.get(missing_url).status_code == 404
        return False
    assert response.status_code == 200, (url, response.status_code)
    return True


def feed_latest(client: Client, world: World, level: str) -> bool:
    return _marker(world, level) in _text(client, "/feed/")


def feed_sector(client: Client, world: World, level: str) -> bool:
    return _marker(world, level) in _text(client, f"/sektor/{world.sector.slug}/feed/")


def feed_category(client: Client, world: World, level: str) -> bool:
    return _feed_exists(client, f"/k/rom-{level}/feed/", "/k/finnes-ikke/feed/")


def feed_topic_replies(client: Client, world: World, level: str) -> bool:
    topic = world.topics[level]
    return _feed_exists(client, f"/t/{topic.pk}/feed/", f"/t/{MISSING_PK}/feed/")


def _api(client: Client, world: World, url: str, **params: str):
    return client.get(url, params, **world.api_headers(client))


def _api_found_or_404(client: Client, world: World, url: str, missing_url: str) -> bool:
    response = _api(client, world, url)
    if response.status_code == 404:
        assert _api(client, world, missing_url).json() == response.json()
        return False
    assert response.status_code == 200, (url, response.status_code)
    return True


def api_topic_list(client: Client, world: World, level: str) -> bool:
    titles = [
        t["title"] for t in _api(client, world, "/api/topics/", page_size="100").json()["results"]
    ]
    return _marker(world, level) in titles


def api_topic_list_by_category(client: Client, world: World, level: str) -> bool:
    response = _api(client, world, "/api/topics/", category=f"rom-{level}")
    return bool(response.json()["results"])


def api_topic_detail(client: Client, world: World, level: str) -> bool:
    pk = world.topics[level].pk
    return _api_found_or_404(client, world, f"/api/topics/{pk}/", f"/api/topics/{MISSING_PK}/")


def api_topic_posts(client: Client, world: World, level: str) -> bool:
    pk = world.topics[level].pk
    return _api_found_or_404(
        client, world, f"/api/topics/{pk}/posts/", f"/api/topics/{MISSING_PK}/posts/"
    )


def api_post_detail(client: Client, world: World, level: str) -> bool:
    pk = world.replies[level].pk
    return _api_found_or_404(client, world, f"/api/posts/{pk}/", f"/api/posts/{MISSING_PK}/")


def api_category_list(client: Client, world: World, level: str) -> bool:
    categories = _api(client, world, "/api/categories/", page_size="100").json()["results"]
    return f"rom-{level}" in [c["slug"] for c in categories]


def api_category_detail(client: Client, world: World, level: str) -> bool:
    return _api_found_or_404(
        client, world, f"/api/categories/rom-{level}/", "/api/categories/finnes-ikke/"
    )


def _api_write(client: Client, world: World, method: str, url: str, missing_url: str, body=None):
    """A write with a token that has every scope: where the topic may not be read it answers
    exactly what a missing one answers (404), and writes nothing."""
    client.api_scopes = EVERY_SCOPE
    headers = world.api_headers(client)
    data = {"data": json.dumps(body), "content_type": "application/json"} if body else {}
    response = getattr(client, method)(url, **data, **headers)
    if response.status_code == 404:
        missing = getattr(client, method)(missing_url, **data, **headers)
        assert missing.status_code == 404 and missing.json() == response.json()
        return False
    assert response.status_code in (200, 201, 403), (url, response.status_code)
    return True


def api_reply_post(client: Client, world: World, level: str) -> bool:
    topic = world.topics[level]
    before = topic.posts.count()
    body = {"body": "Lekker det?"}
    shown = _api_write(
        client,
        world,
        "post",
        f"/api/topics/{topic.pk}/posts/",
        f"/api/topics/{MISSING_PK}/posts/",
        body,
    )
    if not shown:
        assert topic.posts.count() == before
    return shown


def api_watch_put(client: Client, world: World, level: str) -> bool:
    pk = world.topics[level].pk
    return _api_write(
        client, world, "put", f"/api/topics/{pk}/watch/", f"/api/topics/{MISSING_PK}/watch/"
    )


def api_useful_put(client: Client, world: World, level: str) -> bool:
    pk = world.replies[level].pk
    return _api_write(
        client, world, "put", f"/api/posts/{pk}/useful/", f"/api/posts/{MISSING_PK}/useful/"
    )


def api_report_post(client: Client, world: World, level: str) -> bool:
    pk = world.replies[level].pk
    return _api_write(
        client,
        world,
        "post",
        f"/api/posts/{pk}/reports/",
        f"/api/posts/{MISSING_PK}/reports/",
        {"reason": "spam"},
    )


def system_page_threads(client: Client, world: World, level: str) -> bool:
    return _marker(world, level) in _text(client, "/katalog/system/matrisesystem/")


def directory_municipality_threads(client: Client, world: World, level: str) -> bool:
    return _marker(world, level) in _text(client, "/katalog/kommune/forfatterkommune/")


def notification_list(client: Client, world: World, level: str) -> bool:
    return _marker(world, level) in _text(client, "/varsler/")


def notification_count(client: Client, world: World, level: str) -> bool:
    # Every viewer has one notification per level; the header counts the visible ones.
    visible = sum(1 for lvl in LEVELS if _marker(world, lvl) in _text(client, "/varsler/"))
    return f'data-count="{visible}"' in _text(client, "/") and _marker(world, level) in _text(
        client, "/varsler/"
    )


def unanswered_page(client: Client, world: World, level: str) -> bool:
    return _marker(world, level) in _text(client, "/ubesvarte/")


def similar_topics(client: Client, world: World, level: str) -> bool:
    return _marker(world, level) in _text(client, "/ny/lignende/", tittel=_marker(world, level))


def status_municipality_page(client: Client, world: World, level: str) -> bool:
    return _marker(world, level) in _text(client, "/status/kommune/forfatterkommune/")


def status_overview(client: Client, world: World, level: str) -> bool:
    from insight.actions import refresh_figures

    refresh_figures()
    return _marker(world, level) in _text(client, "/status/", maal="trader")


def status_activity(client: Client, world: World, level: str) -> bool:
    return _marker(world, level) in _text(client, "/status/aktivitet/")


SURFACES = [
    Surface("front page", front_page),
    Surface("category list", category_list),
    Surface("category page", category_page),
    Surface("sector page", sector_page),
    Surface("topic page", topic_page),
    Surface("post permalink", post_permalink),
    Surface("reply form", reply_form, needs_sign_in=True),
    Surface("reply POST", reply_post, needs_sign_in=True),
    Surface("edit form", edit_form, needs_sign_in=True),
    Surface("member page topic list", member_topic_list),
    Surface("member page count", member_topic_count),
    Surface("organisation page", organisation_page, lists_what_is_visible=False),
    Surface("search results", search_results),
    Surface("search category filter", search_category_filter),
    Surface("search filter choices", search_filter_choices),
    Surface("new topic form choices", new_topic_choices, lists_what_is_visible=False),
    Surface("sitemap", sitemap, lists_what_is_visible=False),
    Surface("attachment file", attachment_file),
    # Feeds are public by design: a member who may read a closed space gets no feed of it.
    Surface("feed: latest topics", feed_latest, lists_what_is_visible=False),
    Surface("feed: sector", feed_sector, lists_what_is_visible=False),
    Surface("feed: category", feed_category, lists_what_is_visible=False),
    Surface("feed: topic replies", feed_topic_replies, lists_what_is_visible=False),
    Surface("API topic list", api_topic_list),
    Surface("API topic list by category", api_topic_list_by_category),
    Surface("API topic", api_topic_detail),
    Surface("API posts of a topic", api_topic_posts),
    Surface("API post", api_post_detail),
    Surface("API category list", api_category_list),
    Surface("API category", api_category_detail),
    Surface("API reply POST (write token)", api_reply_post, needs_sign_in=True),
    Surface("API watch PUT (write token)", api_watch_put, needs_sign_in=True),
    Surface("API useful PUT (write token)", api_useful_put, needs_sign_in=True),
    Surface("API report POST (write token)", api_report_post, needs_sign_in=True),
    Surface("system page threads", system_page_threads),
    Surface("directory municipality threads", directory_municipality_threads),
    Surface("notification list", notification_list, needs_sign_in=True),
    Surface("notification count", notification_count, needs_sign_in=True),
    Surface("unanswered questions", unanswered_page),
    Surface("similar topics while typing", similar_topics, lists_what_is_visible=False),
    Surface("status: a municipality's page", status_municipality_page),
    # Counts only, of public data: no title on them for anyone.
    Surface("status: national overview", status_overview, lists_what_is_visible=False),
    Surface("status: activity over time", status_activity, lists_what_is_visible=False),
]


@pytest.mark.parametrize("surface", SURFACES, ids=lambda s: s.name)
def test_no_surface_shows_a_topic_to_someone_who_may_not_read_it(world, surface):
    problems = []
    for viewer in VIEWERS:
        client = world.client_for(viewer)
        for level in LEVELS:
            may_read = viewer in MAY_READ[level]
            if surface.needs_sign_in and viewer == "signed_out":
                response = client.get(f"/t/{world.topics[level].pk}/svar/")
                assert response.status_code == 302  # to sign-in, whether it exists or not
                continue
            shown = surface.shows(client, world, level)
            if shown and not may_read:
                problems.append(f"LEAK: {viewer} sees «{level}» on {surface.name}")
            if may_read and not shown and surface.lists_what_is_visible:
                problems.append(f"MISSING: {viewer} does not see «{level}» on {surface.name}")
    assert not problems, "\n".join(problems)


def test_moderator_reports_are_refused_to_everyone_but_moderators(world):
    """They count every space, the closed ones too: only moderators get them (302 to sign
    in when signed out, 403 for members, as the other moderation pages answer)."""
    for viewer in VIEWERS:
        client = world.client_for(viewer)
        for url in ("/moderering/rapporter/", "/moderering/rapporter/ubesvarte.csv"):
            status = client.get(url).status_code
            expected = 200 if viewer == "moderator" else 302 if viewer == "signed_out" else 403
            assert status == expected, (viewer, url, status)


API_READS = [s for s in SURFACES if s.name.startswith("API ") and "write token" not in s.name]


@pytest.mark.parametrize("surface", API_READS, ids=lambda s: s.name)
def test_a_token_with_every_scope_reads_exactly_what_a_read_token_reads(world, surface):
    problems = []
    for viewer in VIEWERS:
        if viewer == "signed_out":
            continue
        for level in LEVELS:
            read, every = world.client_for(viewer), world.client_for(viewer)
            every.api_scopes = EVERY_SCOPE
            shown, shown_with_every = (
                surface.shows(read, world, level),
                surface.shows(every, world, level),
            )
            if shown_with_every != shown:
                problems.append(
                    f"{viewer}, «{level}», {surface.name}: {shown} → {shown_with_every}"
                )
    assert not problems, "\n".join(problems)
    assert ApiToken.objects.filter(scopes=list(EVERY_SCOPE)).count() == len(VIEWERS) - 1


def test_a_write_without_a_token_is_a_401_for_every_level(world):
    for level in LEVELS:
        response = Client().post(
            f"/api/topics/{world.topics[level].pk}/posts/",
            data=json.dumps({"body": "x"}),
            content_type="application/json",
        )
        assert response.status_code == 401


def test_the_matrix_covers_every_level_and_kind_of_user():
    assert set(MAY_READ) == set(Category.Visibility.values)
    assert len(VIEWERS) == 8


def test_sitemap_lists_only_what_a_signed_out_visitor_may_read(world):
    text = _text(Client(), "/sitemap.xml")
    assert world.topics["offentlig"].get_absolute_url() in text
    for level in LEVELS[1:]:
        assert world.topics[level].get_absolute_url() not in text
        assert f"/k/rom-{level}/" not in text


def test_queryset_and_permission_agree_for_every_viewer(world):
    from topics.permissions import can_view_category

    for viewer, user in world.viewers.items():
        user = user or AnonymousUser()
        visible = set(Category.objects.visible_to(user).filter(slug__startswith="rom-"))
        for level in LEVELS:
            category = world.topics[level].category
            assert can_view_category(user, category) == (category in visible)
            assert (category in visible) == (viewer in MAY_READ[level]), (viewer, level)


def test_vendor_of_a_merged_municipality_kind_is_not_municipal(world):
    vendor = world.viewers["vendor"]
    assert vendor.organisation.kind == Organisation.Kind.LEVERANDOR
    assert not Topic.objects.visible_to(vendor).filter(category__visibility="kommuner").exists()


# ---- Private conversations: shown to their participants, on their own pages, nowhere else.

CONVERSATION_MARKER = "samtalehemmelighet"
# Kari (municipal) writes to Acos, the vendor's organisation: she and every verified member of
# Acos take part. Lise (sso_municipal) works for Drammen like Kari, and does not.
MAY_READ_CONVERSATION = {"municipal", "vendor"}


@dataclass
class ConversationWorld:
    world: World
    conversation: object
    message: object
    attachment: object


@pytest.fixture
def conversation_world(world, django_capture_on_commit_callbacks) -> ConversationWorld:
    from conversations import actions as conversation_actions

    kari, ola = world.viewers["municipal"], world.viewers["vendor"]
    with django_capture_on_commit_callbacks(execute=True):
        conversation = conversation_actions.start_conversation(
            by=kari,
            recipients=conversation_actions.Recipients(
                members=[], organisations=[ola.organisation]
            ),
            subject=f"Emne {CONVERSATION_MARKER}",
            body=f"Første melding {CONVERSATION_MARKER}",
        )
        from topics.attachments.files import inspect_upload

        message = conversation_actions.reply(
            author=ola,
            conversation=conversation,
            body=f"Svar {CONVERSATION_MARKER}",
            files=[inspect_upload(upload("samtale.pdf", PDF))],
        )
    return ConversationWorld(world, conversation, message, message.attachments.get())


ConversationCheck = Callable[[Client, ConversationWorld], bool]


def _marker_in(client: Client, url: str, **params: str) -> bool:
    response = client.get(url, params)
    assert response.status_code in (200, 302), (url, response.status_code)
    return CONVERSATION_MARKER in response.content.decode()


def _signed_out_is_sent_to_sign_in(client: Client, url: str, missing_url: str) -> bool:
    """Signed out, an existing and a missing conversation answer the same: sign in first."""
    response, missing = client.get(url), client.get(missing_url)
    assert response.status_code == missing.status_code == 302
    assert response["Location"].split("?")[0] == missing["Location"].split("?")[0]
    return False


def conversation_page(client: Client, cw: ConversationWorld) -> bool:
    url = cw.conversation.get_absolute_url()
    missing = f"/samtaler/{MISSING_PK}/"
    if client.viewer == "signed_out":
        return _signed_out_is_sent_to_sign_in(client, url, missing)
    shown = _found_or_404(client, url, missing)
    assert shown == (CONVERSATION_MARKER in client.get(url).content.decode())
    return shown


def conversation_list(client: Client, cw: ConversationWorld) -> bool:
    if client.viewer == "signed_out":
        return _signed_out_is_sent_to_sign_in(client, "/samtaler/", "/samtaler/")
    return _marker_in(client, "/samtaler/")


def conversation_reply_post(client: Client, cw: ConversationWorld) -> bool:
    from conversations.models import Message

    before = Message.objects.count()
    response = client.post(f"/samtaler/{cw.conversation.pk}/svar/", {"body": "Lekker det?"})
    if response.status_code in (302, 404) and Message.objects.count() == before:
        if response.status_code == 302:
            assert "/konto/login/" in response["Location"] or client.viewer != "signed_out"
        return client.viewer != "signed_out" and response.status_code == 302
    return True


def conversation_report_form(client: Client, cw: ConversationWorld) -> bool:
    url = f"/samtaler/melding/{cw.message.pk}/rapporter/"
    missing = f"/samtaler/melding/{MISSING_PK}/rapporter/"
    if client.viewer == "signed_out":
        return _signed_out_is_sent_to_sign_in(client, url, missing)
    if client.viewer == "vendor":  # Ola wrote it: nobody reports their own message
        return True
    return _found_or_404(client, url, missing)


def conversation_attachment(client: Client, cw: ConversationWorld) -> bool:
    return _found_or_404(
        client, cw.attachment.get_absolute_url(), f"/samtaler/vedlegg/{MISSING_PK}/"
    )


def conversation_in_search(client: Client, cw: ConversationWorld) -> bool:
    """The search page repeats what was asked: a hit is a result, not the echo."""
    text = _text(client, "/search/", q=CONVERSATION_MARKER)
    nothing = "Ingen tråder eller innlegg passer med søket." in text
    return not nothing or "samtale.pdf" in text or "Første melding" in text


def conversation_in_feeds(client: Client, cw: ConversationWorld) -> bool:
    return _marker_in(client, "/feed/") or _marker_in(
        client, f"/sektor/{cw.world.sector.slug}/feed/"
    )


def conversation_in_api(client: Client, cw: ConversationWorld) -> bool:
    world = cw.world
    urls = ["/api/topics/", "/api/organisations/acos/", f"/api/posts/{cw.message.pk}/"]
    return any(CONVERSATION_MARKER in _api(client, world, url).content.decode() for url in urls)


def conversation_in_notifications(client: Client, cw: ConversationWorld) -> bool:
    if client.viewer == "signed_out":
        return False
    return _marker_in(client, "/varsler/") or _marker_in(client, "/")


def conversation_on_member_and_organisation_pages(client: Client, cw: ConversationWorld) -> bool:
    kari = cw.world.viewers["municipal"]
    return any(
        _marker_in(client, url) for url in (kari.get_absolute_url(), "/org/acos/", "/org/drammen/")
    )


CONVERSATION_SURFACES = [
    Surface("conversation page", conversation_page),
    Surface("conversation list", conversation_list),
    Surface("conversation reply POST", conversation_reply_post),
    Surface("conversation report form", conversation_report_form),
    Surface("conversation attachment", conversation_attachment),
    # Nowhere else, not even for those who take part.
    Surface("search", conversation_in_search, lists_what_is_visible=False),
    Surface("feeds", conversation_in_feeds, lists_what_is_visible=False),
    Surface("API", conversation_in_api, lists_what_is_visible=False),
    Surface("notifications", conversation_in_notifications, lists_what_is_visible=False),
    Surface("member and organisation pages", conversation_on_member_and_organisation_pages, False),
]


@pytest.mark.parametrize("surface", CONVERSATION_SURFACES, ids=lambda s: s.name)
def test_a_conversation_shows_only_to_its_participants_and_only_on_its_pages(
    conversation_world, surface
):
    problems = []
    for viewer in VIEWERS:
        client = conversation_world.world.client_for(viewer)
        may_read = viewer in MAY_READ_CONVERSATION and surface.lists_what_is_visible
        shown = surface.shows(client, conversation_world)
        if shown and not may_read:
            problems.append(f"LEAK: {viewer} sees the conversation on {surface.name}")
        if may_read and not shown:
            problems.append(f"MISSING: {viewer} does not see the conversation on {surface.name}")
    assert not problems, "\n".join(problems)

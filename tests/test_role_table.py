"""Who may do what: every moderator-only and superuser-only action, tried over HTTP.

ROWS is the one list. docs/OPERATIONS.md («Hvem kan gjøre hva») holds the table made from
it (test_the_operations_table_is_made_from_rows); every moderation address and every
permission function that asks for a moderator or a superuser must have a row (the coverage
tests); and each row is tried at its real address by a plain member, a verified member, a
moderator and a superuser, who are let through or refused exactly as the row says.
"""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.utils import timezone

from accounts import actions as account_actions
from accounts.models import Organisation, User
from directory import actions as directory_actions
from followup import actions as followup_actions
from tests import directory_factories, factories
from topics import actions
from topics.models import Category, Topic
from topics.moderation import actions as mod
from topics.polls import PollDraft

MODERATOR = "moderator"
SUPERUSER = "superbruker"
PERSONAS = ("medlem", "verifisert medlem", MODERATOR, SUPERUSER)
ALLOWED = {MODERATOR: {MODERATOR, SUPERUSER}, SUPERUSER: {SUPERUSER}}
WHO = {MODERATOR: "Moderator", SUPERUSER: "Superbruker / superuser"}


@dataclass(frozen=True)
class Row:
    action: str  # Norwegian / English, as the table shows it
    who: str  # MODERATOR or SUPERUSER
    method: str
    address: str  # with {names} from the world below
    checks: tuple[str, ...]  # the permission functions (or querysets) that decide
    data: dict[str, object] = field(default_factory=dict)
    also: str = ""  # others who may, whom none of the four test members is
    refused_with: int | None = None  # when refusing is not 403/404 (see `refused`)

    @property
    def allowed_status(self) -> int:
        return 200 if self.method == "GET" else 302

    def markdown(self) -> str:
        data = " ".join(f"{k}={v}" for k, v in self.data.items() if k.endswith("action"))
        address = f"`{self.method} {self.address}`" + (f" ({data})" if data else "")
        also = f"; også / also {self.also}" if self.also else ""
        checks = ", ".join(f"`{c}`" for c in self.checks)
        return f"| {self.action} | {address} | {WHO[self.who]}{also} | {checks} |"


T = "topics.permissions."
A = "accounts.permissions."
D = "directory.permissions."
C = "conversations.permissions."
MEMBER = "/moderering/medlemmer/"
TOOLS = "/t/{topic}/moderering/"

ROWS = [
    # ---- Moderation pages ----------------------------------------------------------------
    Row("Se moderasjonskøen / See the moderation queue", MODERATOR, "GET", "/moderering/",
        (T + "can_view_moderation",)),
    Row("Se moderasjonsloggen / See the moderation log", MODERATOR, "GET", "/moderering/logg/",
        (T + "can_view_moderation",)),
    Row("Se medlemslisten / See the member list", MODERATOR, "GET", MEMBER,
        (T + "can_view_moderation",)),
    Row("Se et medlems side for moderering / See a member's moderation page", MODERATOR,
        "GET", MEMBER + "{target}/", (T + "can_view_moderation",)),
    Row("Se moderatorrapportene / See the moderators' reports", MODERATOR, "GET",
        "/moderering/rapporter/", ("insight.permissions.can_view_moderator_reports",)),
    Row("Laste ned en moderatorrapport som CSV / Download a moderators' report as CSV",
        MODERATOR, "GET", "/moderering/rapporter/ubesvarte.csv",
        ("insight.permissions.can_view_moderator_reports",)),
    # ---- Members -------------------------------------------------------------------------
    Row("Gi et medlem skrivepause / Silence a member", MODERATOR, "POST",
        MEMBER + "{target}/skrivepause/", (A + "can_sanction_member",),
        {"skrivepause-until": "{tomorrow}", "skrivepause-reason": "Spam"}),
    Row("Oppheve en skrivepause / Lift a silence", MODERATOR, "POST",
        MEMBER + "{silenced}/opphev-skrivepause/", (A + "can_sanction_member",)),
    Row("Utestenge et medlem / Suspend a member", MODERATOR, "POST",
        MEMBER + "{target}/utesteng/", (A + "can_sanction_member",),
        {"utesteng-reason": "Spam"}),
    Row("Oppheve en utestenging / Lift a suspension", MODERATOR, "POST",
        MEMBER + "{suspended}/opphev-utestenging/", (A + "can_sanction_member",)),
    Row("Verifisere et medlem for en organisasjon (gir ingen rolle) / Verify a member for an "
        "organisation (gives no role)", MODERATOR, "POST", MEMBER + "{target}/verifiser/",
        (A + "can_verify_member",), {"verifiser-organisation": "{lier}"}),
    Row("Gi en moderator skrivepause / Silence a moderator", SUPERUSER, "POST",
        MEMBER + "{other_moderator}/skrivepause/", (A + "can_sanction_member",),
        {"skrivepause-until": "{tomorrow}", "skrivepause-reason": "Pause"}),
    Row("Utestenge en moderator / Suspend a moderator", SUPERUSER, "POST",
        MEMBER + "{other_moderator}/utesteng/", (A + "can_sanction_member",),
        {"utesteng-reason": "Sluttet"}),
    Row("Gjøre et medlem til moderator / Make a member a moderator", SUPERUSER, "POST",
        MEMBER + "{target}/gi-moderator/", (A + "can_change_moderator_role",)),
    Row("Fjerne moderatorrollen / Take the moderator role away", SUPERUSER, "POST",
        MEMBER + "{other_moderator}/fjern-moderator/", (A + "can_change_moderator_role",)),
    # ---- Posts and reports ---------------------------------------------------------------
    Row("Behandle rapporter om et innlegg / Resolve the reports on a post", MODERATOR, "POST",
        "/moderering/innlegg/{reply}/rapporter/",
        (T + "can_view_moderation", T + "can_resolve_report"), {"decision": "dismiss"}),
    Row("Godkjenne eller avvise et ventende innlegg / Approve or reject a waiting post",
        MODERATOR, "POST", "/moderering/innlegg/{waiting}/godkjenning/",
        (T + "can_view_moderation", T + "can_approve_post"), {"decision": "approve"}),
    Row("Skjule eller vise et innlegg / Hide or show a post", MODERATOR, "POST",
        "/innlegg/{reply}/skjul/", (T + "can_hide_post",), {"reason": "Personopplysninger"}),
    Row("Redigere andres innlegg / Edit someone else's post", MODERATOR, "GET",
        "/innlegg/{reply}/rediger/", (T + "can_edit_post",), also="forfatteren / the author"),
    Row("Se historikken til et skjult innlegg / See a hidden post's history", MODERATOR, "GET",
        "/innlegg/{hidden}/historikk/", (T + "can_see_hidden_post", T + "can_see_post_history"),
        also="forfatteren / the author"),
    Row("Se rapporterte meldinger fra private samtaler (bare meldingen) / See reported "
        "messages of private conversations (the message alone)", MODERATOR, "GET",
        "/samtaler/rapporter/", (C + "can_view_reports",)),
    Row("Behandle en rapport om en melding / Resolve a report of a message", MODERATOR, "POST",
        "/samtaler/rapporter/{conversation_report}/behandlet/",
        (C + "can_view_reports", C + "can_resolve_report")),
    # ---- Topics --------------------------------------------------------------------------
    Row("Åpne moderatorverktøyene for en tråd / Open a topic's moderator tools", MODERATOR,
        "GET", TOOLS, (T + "can_moderate_topic",)),
    Row("Lukke en tråd / Close a topic", MODERATOR, "POST", TOOLS + "lukk/",
        (T + "can_moderate_topic",), {"lukk-reason": "Besvart"}),
    Row("Flytte en tråd / Move a topic", MODERATOR, "POST", TOOLS + "flytt/",
        (T + "can_moderate_topic",), {"flytt-category": "{other_category}"}),
    Row("Slå sammen tråder / Merge topics", MODERATOR, "POST", TOOLS + "slaa-sammen/",
        (T + "can_moderate_topic",), {"slaa_sammen-into": "{other_topic}"}),
    Row("Skille ut innlegg i en ny tråd / Split posts into a new topic", MODERATOR, "POST",
        TOOLS + "del/", (T + "can_moderate_topic",),
        {"del-posts": "{reply}", "del-title": "Utskilt fra tråden"}),
    Row("Endre tittel og sektorer / Change title and sectors", MODERATOR, "POST",
        TOOLS + "rediger/", (T + "can_moderate_topic",),
        {"rediger-title": "Ny og bedre tittel", "rediger-version": "1"}),
    Row("Slette en tråd / Delete a topic", MODERATOR, "POST", TOOLS + "slett/",
        (T + "can_moderate_topic",), {"slett-reason": "Dobbeltpost"}),
    Row("Anbefale en tråd / Recommend a topic", MODERATOR, "POST", TOOLS + "bryter/",
        (T + "can_moderate_topic",), {"action": "anbefal"}),
    Row("Fjerne anbefalingen / Stop recommending a topic", MODERATOR, "POST", TOOLS + "bryter/",
        (T + "can_moderate_topic",), {"action": "fjern-anbefaling"}),
    Row("Feste en tråd i kategorien / Pin a topic in its category", MODERATOR, "POST",
        TOOLS + "bryter/", (T + "can_moderate_topic",), {"action": "fest-i-kategori"}),
    Row("Løsne en tråd i kategorien / Unpin a topic in its category", MODERATOR, "POST",
        TOOLS + "bryter/", (T + "can_moderate_topic",), {"action": "losne-i-kategori"}),
    Row("Åpne en lukket tråd igjen / Reopen a closed topic", MODERATOR, "POST",
        "/t/{closed}/moderering/bryter/", (T + "can_moderate_topic",), {"action": "gjenapne"}),
    Row("Gjenopprette en slettet tråd / Restore a deleted topic", MODERATOR, "POST",
        "/t/{deleted}/moderering/bryter/", (T + "can_moderate_topic",),
        {"action": "gjenopprett"}),
    Row("Feste en tråd på forsiden / Pin a topic on the front page", MODERATOR, "POST",
        "/t/{topic}/moderer/", (T + "can_moderate_topic",), {"action": "pin"}),
    Row("Løsne en tråd fra forsiden / Unpin a topic from the front page", MODERATOR, "POST",
        "/t/{topic}/moderer/", (T + "can_moderate_topic",), {"action": "unpin"}),
    Row("Låse en tråd / Lock a topic", MODERATOR, "POST", "/t/{topic}/moderer/",
        (T + "can_moderate_topic",), {"action": "lock"}),
    Row("Låse opp en tråd / Unlock a topic", MODERATOR, "POST", "/t/{topic}/moderer/",
        (T + "can_moderate_topic",), {"action": "unlock"}),
    Row("Svare i en låst tråd / Reply in a locked topic", MODERATOR, "POST", "/t/{locked}/svar/",
        (T + "can_reply",), {"body": "Et svar fra moderator"}),
    Row("Svare der bare moderatorer svarer / Reply where only moderators reply", MODERATOR,
        "POST", "/t/{moderators_reply}/svar/", (T + "can_reply",), {"body": "Kunngjort"}),
    Row("Starte en tråd der bare moderatorer starter tråder / Start a topic where only "
        "moderators start topics", MODERATOR, "POST", "/ny/", (T + "can_start_topic",),
        {"category": "{moderators_start}", "title": "Kunngjøring om noe", "kind": "diskusjon",
         "body": "Tekst"},
        refused_with=400),  # the category is not offered: «Velg en kategori fra listen»
    Row("Velge svaret i andres spørsmål / Choose the answer to someone else's question",
        MODERATOR, "POST", "/innlegg/{reply}/losning/", (T + "can_mark_answer",),
        also="den som spurte / the asker"),
    Row("Avslutte andres avstemning / Close someone else's poll", MODERATOR, "POST",
        "/t/{poll}/avstemning/avslutt/", (T + "can_close_poll",),
        also="forfatteren av tråden / the topic's author"),
    Row("Sette vurderingen av andres erfaring / Set the verdict of someone else's experience",
        MODERATOR, "POST", "/t/{experience}/vurdering/", (T + "can_edit_post",),
        {"verdict": "negativ"}, also="forfatteren / the author"),
    Row("Se en slettet tråd / See a deleted topic", MODERATOR, "GET", "/t/{deleted}/{deleted_slug}/",
        ("topics.models.TopicQuerySet.visible_to",)),
    # ---- Follow-up -----------------------------------------------------------------------
    Row("Legge til et oppfølgingspunkt / Add an action item", MODERATOR, "GET",
        "/t/{topic}/oppfolging/ny/", (T + "can_manage_action_items",)),
    Row("Oppdatere et oppfølgingspunkt / Update an action item", MODERATOR, "POST",
        "/oppfolging/{item}/", (T + "can_update_action_item",), {"status": "pagar"},
        also="verifiserte medlemmer av den ansvarlige organisasjonen / verified members of "
        "the responsible organisation"),
    # ---- Groups --------------------------------------------------------------------------
    Row("Se og opprette grupper / See and create groups", MODERATOR, "GET", "/grupper/",
        (A + "can_manage_groups",)),
    Row("Legge til, invitere og fjerne gruppemedlemmer / Add, invite and remove group "
        "members", MODERATOR, "GET", "/grupper/{group}/", (A + "can_manage_groups",)),
    # ---- Sign-in with the organisation ---------------------------------------------------
    Row("Legge til en Entra ID-tenant for en organisasjon / Add an Entra ID tenant to an "
        "organisation", MODERATOR, "POST", "/org/{lier_slug}/tenanter/",
        (A + "can_manage_tenants",), {"tenant_id": "3f1c2a4e-9b7d-4c51-8e2f-0a6b5d4c3e21"}),
    # ---- Directory -----------------------------------------------------------------------
    Row("Legge til et system / Add a system", MODERATOR, "GET", "/katalog/system/ny/",
        (D + "can_propose_system",),
        also="verifiserte ansatte hos leverandøren foreslår / the vendor's verified staff "
        "propose"),
    Row("Endre et system / Change a system", MODERATOR, "GET", "/katalog/system/{system}/endre/",
        (D + "can_edit_system",)),
    Row("Godkjenne et foreslått system / Approve a proposed system", MODERATOR, "POST",
        "/katalog/system/{proposed}/vurder/", (D + "can_approve_system",), {"action": "approve"}),
    Row("Laste inn systembruk fra fil / Import usages from a file", MODERATOR, "GET",
        "/katalog/import/", (D + "can_import_usages",)),
    Row("Endre en annen organisasjons systembruk / Change another organisation's usages",
        MODERATOR, "GET", "/katalog/kommune/{lier_slug}/ny/", (D + "can_edit_usages",),
        also="verifiserte medlemmer av organisasjonen / the organisation's verified members"),
    # ---- Django's admin ------------------------------------------------------------------
    Row("Lage en API-nøkkel som modererer / Make an API key that moderates", MODERATOR, "POST",
        "/profil/api-nokler/", ("api.permissions.can_grant_scope",),
        {"name": "Moderering", "scopes": "moderate", "expires_in": "30"},
        refused_with=400),  # the scope is not offered: «Du kan ikke gi nøkkelen denne …»
    Row("Registrere en webhook for moderatorene / Register a webhook for the moderators",
        MODERATOR, "POST", "/profil/webhooks/",
        ("api.permissions.can_register_webhook", "api.permissions.can_register_webhook_for"),
        {"url": "https://93.184.215.14/hook", "owner": "moderators", "events": "post.created"},
        also="verifiserte medlemmer, for organisasjonen sin / verified members, for their "
        "organisation",
        refused_with=400),  # the owner is not offered: «Velg en av eierne.»
    Row("Django-admin / Django's admin", SUPERUSER, "GET", "/admin/",
        ("django.contrib.admin (is_staff)",)),
]  # fmt: skip

# Permission functions that ask for a moderator or superuser but decide no action.
NOT_ACTIONS = {
    A + "is_moderator": "the role itself",
    T + "can_publish_directly": "whether a post waits for approval, not whether it may be sent",
}
# Moderation addresses that are not moderator-only.
NOT_MODERATOR_ONLY = {"moderation:report_post": "any member with a confirmed e-mail reports"}


# ---- The world every row is tried in ---------------------------------------------------


def _conversation_report():
    from conversations import actions as conversation_actions

    writer = factories.member(email="skriver@example.org", display_name="Skriver")
    reader = factories.member(email="leser@example.org", display_name="Leser")
    conversation = conversation_actions.start_conversation(
        by=writer,
        recipients=conversation_actions.Recipients(members=[reader], organisations=[]),
        subject="Privat",
        body="Kjøp nå",
    )
    return conversation_actions.report(
        message=conversation.messages.get(), reporter=reader, reason="Reklame"
    )


def _world() -> dict[str, object]:
    factories.organisation(
        name="Drammen", slug="drammen", municipality_number="3005", domain="drammen.kommune.no"
    )
    lier = factories.organisation(name="Lier", slug="lier", municipality_number="3049")
    factories.organisation(
        name="Kartverket", slug="kartverket", kind=Organisation.Kind.STATLIG, domain="kartverket.no"
    )
    vendor = directory_factories.vendor("Acos")
    boss = factories.member(email="sjef@example.org", display_name="Sjef")
    User.objects.filter(pk=boss.pk).update(is_superuser=True, is_staff=True)
    boss = factories.two_factor(User.objects.get(pk=boss.pk))
    personas = {
        "medlem": factories.member(email="medlem@example.org"),
        "verifisert medlem": factories.member(email="per@drammen.kommune.no"),
        MODERATOR: factories.member(email="ingrid@kartverket.no", moderator=True),
        SUPERUSER: boss,
    }
    author = factories.member(email="kari@drammen.kommune.no", display_name="Kari")
    answerer = factories.member(email="ola@drammen.kommune.no", display_name="Ola")
    category = factories.category(name="Spørsmål", slug="sporsmal")
    topic = factories.topic(author=author, category=category, title="Noark 5-migrering")
    reply = actions.reply(author=answerer, topic=topic, body="Et svar")
    hidden = actions.reply(author=answerer, topic=topic, body="Personopplysninger")
    actions.hide_post(post=hidden, by=boss, reason="Personvern")
    newcomer = factories.member(email="ny@example.org")
    waiting = actions.reply(author=newcomer, topic=topic, body="Mitt første innlegg")
    assert not waiting.is_approved
    mod.report_post(post=reply, reporter=author, reason="spam")

    def own_topic(title: str, **extra: object) -> Topic:
        return actions.create_topic(
            author=author, category=category, title=title, body="Hei", **extra
        )

    closed = own_topic("En lukket tråd")
    mod.close_topic(topic=closed, by=boss, reason="Ferdig")
    deleted = own_topic("En slettet tråd")
    mod.delete_topic(topic=deleted, by=boss, reason="Borte")
    locked = own_topic("En låst tråd")
    actions.set_locked(topic=locked, by=boss, locked=True)
    experience = own_topic("En erfaring", kind=Topic.Kind.ERFARING, verdict="positiv")
    poll = own_topic(
        "En avstemning", poll=PollDraft(question="Hva velger dere?", options=["A", "B"])
    )
    announcements = Category.objects.create(
        name="Kunngjøringer",
        slug="kunngjoringer",
        start_audience=Category.Audience.MODERATORER,
        reply_audience=Category.Audience.MODERATORER,
    )
    moderators_reply = actions.create_topic(
        author=boss, category=announcements, title="En kunngjøring", body="Hei"
    )
    target = factories.member(email="maal@example.org")
    silenced = factories.member(email="pause@example.org")
    account_actions.silence_member(
        member=silenced, by=boss, until=timezone.now() + timedelta(days=1), reason="Pause"
    )
    suspended = factories.member(email="ute@example.org")
    account_actions.suspend_member(member=suspended, by=boss, reason="Spam")
    group = account_actions.create_group(name="Nye Drammen", by=boss)
    item = followup_actions.create_action_item(
        topic=topic, by=boss, text="Avklare arkivet", responsible_organisation=lier
    )
    system = directory_factories.system(vendor=vendor, name="Elements")
    proposer = factories.member(email="selger@acos.example")
    User.objects.filter(pk=proposer.pk).update(
        organisation=vendor, organisation_verification=User.Verification.MODERATOR
    )
    proposed = directory_actions.create_system(
        by=User.objects.get(pk=proposer.pk), vendor=vendor, name="Nytt system"
    )
    assert not proposed.is_approved
    return {
        "personas": personas,
        "topic": topic.pk,
        "reply": reply.pk,
        "hidden": hidden.pk,
        "waiting": waiting.pk,
        "closed": closed.pk,
        "deleted": deleted.pk,
        "deleted_slug": deleted.slug,
        "locked": locked.pk,
        "experience": experience.pk,
        "poll": poll.pk,
        "moderators_reply": moderators_reply.pk,
        "moderators_start": announcements.pk,
        "other_topic": own_topic("En annen tråd").pk,
        "other_category": factories.category(name="Annet", slug="annet").pk,
        "target": target.pk,
        "silenced": silenced.pk,
        "suspended": suspended.pk,
        "other_moderator": factories.member(email="per@kartverket.no", moderator=True).pk,
        "lier": lier.pk,
        "lier_slug": lier.slug,
        "group": group.slug,
        "item": item.pk,
        "system": system.slug,
        "proposed": proposed.slug,
        "conversation_report": _conversation_report().pk,
        "tomorrow": (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
    }


def _fill(text: str, world: dict[str, object]) -> str:
    return text.format(**{k: v for k, v in world.items() if k != "personas"})


def refused(row: Row, response) -> bool:
    if row.refused_with is not None:
        return response.status_code == row.refused_with
    if response.status_code == 302:  # Django's admin sends members to its sign-in
        return "login" in response["Location"]
    return response.status_code in (403, 404)


def allowed(row: Row, response) -> bool:
    if response.status_code != row.allowed_status:
        return False
    return row.allowed_status != 302 or "login" not in response["Location"]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the module; each test runs in a savepoint inside it (the `db`
    fixture), so what one row does is undone before the next."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield _world()
        transaction.set_rollback(True)


# ---- The rows, tried ---------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("row", ROWS, ids=[r.action.split(" / ")[1] for r in ROWS])
def test_each_role_is_let_through_or_refused_as_the_table_says(world, row, persona):
    address = _fill(row.address, world)
    data = {k: _fill(str(v), world) for k, v in row.data.items()}
    client = Client()
    client.force_login(world["personas"][persona])
    response = client.get(address) if row.method == "GET" else client.post(address, data)
    should_be_allowed = persona in ALLOWED[row.who]
    verdict = allowed(row, response) if should_be_allowed else refused(row, response)
    assert verdict, (
        f"{persona} {'should' if should_be_allowed else 'should not'} be let through: "
        f"{row.method} {address} answered {response.status_code} "
        f"{response.get('Location', '')}"
    )


# ---- The table and the code agree ------------------------------------------------------


def markdown_table() -> str:
    head = [
        "| Handling / Action | Adresse / Address | Hvem / Who | Avgjøres av / Decided by |",
        "|---|---|---|---|",
    ]
    return "\n".join(head + [row.markdown() for row in ROWS])


def test_the_operations_table_is_made_from_rows():
    doc = (Path(__file__).resolve().parent.parent / "docs" / "OPERATIONS.md").read_text()
    found = re.search(r"<!-- role-table -->\n(.*?)\n<!-- /role-table -->", doc, re.S)
    assert found, "docs/OPERATIONS.md has no <!-- role-table --> section"
    assert found.group(1) == markdown_table(), (
        "docs/OPERATIONS.md, «Hvem kan gjøre hva», is not the table ROWS make. Put this "
        "between its markers:\n\n" + markdown_table()
    )


def _view_name(address: str) -> str:
    return resolve(re.sub(r"\{[a-z_]+\}", "1", address)).view_name


def _all_patterns(resolver=None, prefix: str = "", namespace: str = ""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            yield from _all_patterns(pattern, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield prefix + str(pattern.pattern), namespace + pattern.name


def test_every_moderation_address_has_a_row():
    covered = {_view_name(row.address) for row in ROWS}
    moderation = {
        name
        for route, name in _all_patterns()
        if name.startswith("moderation:") or "moderer" in route
    }
    missing = moderation - covered - set(NOT_MODERATOR_ONLY)
    assert not missing, f"moderation addresses without a row in ROWS: {sorted(missing)}"


def test_every_switch_and_tool_has_a_row():
    from topics.moderation import views as moderation_views
    from topics.views import topics as views

    actions_in_rows = {str(row.data.get("action")) for row in ROWS}
    assert set(moderation_views._SWITCHES) <= actions_in_rows
    assert set(views._TOPIC_MODERATION) <= actions_in_rows
    tools = {row.address.rsplit("/", 2)[-2] for row in ROWS if row.address.startswith(TOOLS)}
    assert {"lukk", "flytt", "slaa-sammen", "del", "rediger", "slett"} <= tools


def test_every_permission_that_asks_for_a_moderator_has_a_row():
    import accounts.permissions
    import api.permissions
    import conversations.permissions
    import directory.permissions
    import notifications.permissions
    import topics.permissions

    asks = re.compile(r"is_moderator\(|is_superuser|_in_audience\(")
    checks = {check for row in ROWS for check in row.checks}
    for module in (
        accounts.permissions,
        topics.permissions,
        directory.permissions,
        notifications.permissions,
        api.permissions,
        conversations.permissions,
    ):
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ != module.__name__ or name.startswith("_"):
                continue
            qualified = f"{module.__name__}.{name}"
            if asks.search(inspect.getsource(function)) and qualified not in NOT_ACTIONS:
                assert qualified in checks, f"{qualified} asks for a moderator: add a row"


def test_the_rows_are_distinct():
    keys = [(row.method, row.address, tuple(sorted(row.data.items()))) for row in ROWS]
    assert len(keys) == len(set(keys))
    assert set(PERSONAS) >= {MODERATOR, SUPERUSER}
    assert all(check for row in ROWS for check in row.checks)
    assert not {c for row in ROWS for c in row.checks} & set(NOT_ACTIONS)

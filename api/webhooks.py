"""Webhooks: registering an endpoint (with the SSRF checks), the events that reach it, and
their delivery by the task worker, signed by the Standard Webhooks scheme
(https://www.standardwebhooks.com/): headers `webhook-id`, `webhook-timestamp` and
`webhook-signature: v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`.

What an endpoint receives is decided when it is sent, not when the event happened: a topic
that has become private, a post hidden or deleted since, or an endpoint switched off is
skipped (logged as such). An organisation's endpoint receives what a verified member of the
organisation may read through its organisation alone (public, signed-in and, for
municipalities, the «kommuner» categories; never group categories); a moderator's endpoint
receives what its moderator may read now."""

from __future__ import annotations

import base64
import datetime
import hashlib
import hmac
import http.client
import ipaddress
import json
import logging
import secrets
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import MUNICIPAL_KINDS, Organisation, User
from api.models import WebhookDelivery, WebhookEndpoint, WebhookEvent
from directory.models import UsageChange
from topics.models import Category, Post, Topic

log = logging.getLogger("forum.webhooks")

SECRET_PREFIX = "whsec_"  # noqa: S105 (the Standard Webhooks prefix, not a secret)
TOLERANCE_SECONDS = 5 * 60

# The event names the receivers send.
TOPIC_CREATED = WebhookEvent.TOPIC_CREATED.value
POST_CREATED = WebhookEvent.POST_CREATED.value
ANSWER_ACCEPTED = WebhookEvent.ANSWER_ACCEPTED.value
USAGE_CHANGED = WebhookEvent.USAGE_CHANGED.value


# --- The address: HTTPS, and never to the forum's own network ---------------------------


def _refused(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return (
        address.is_loopback
        or address.is_private
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or not address.is_global
    )


def resolve(url: str) -> tuple[str, int, list[str]]:
    """The host, port and the addresses it resolves to, or a ValidationError saying why the
    forum will not send there. Called when an endpoint is registered and before every send."""
    allow_private = settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise ValidationError(_("Adressen er ikke gyldig."), code="invalid") from exc
    if parts.scheme != "https" and not (allow_private and parts.scheme == "http"):
        raise ValidationError(_("Adressen må begynne med https://."), code="https")
    host = parts.hostname
    if not host:
        raise ValidationError(_("Adressen mangler et vertsnavn."), code="invalid")
    if parts.username or parts.password:
        raise ValidationError(_("Adressen kan ikke inneholde brukernavn eller passord."))
    port = port or (443 if parts.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise ValidationError(
            _("Fant ikke vertsnavnet %(host)s.") % {"host": host}, code="dns"
        ) from exc
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    if not addresses:
        raise ValidationError(_("Fant ikke vertsnavnet %(host)s.") % {"host": host}, code="dns")
    if not allow_private:
        for address in addresses:
            if _refused(ipaddress.ip_address(address.split("%")[0])):
                raise ValidationError(
                    _(
                        "%(host)s peker til en intern eller reservert adresse (%(address)s). "
                        "Webhooks sendes bare til offentlige adresser på internett."
                    )
                    % {"host": host, "address": address},
                    code="private",
                )
    return host, port, addresses


# --- Secrets and signatures ----------------------------------------------------------------


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def _key(secret: str) -> bytes:
    return base64.b64decode(secret.removeprefix(SECRET_PREFIX))


def sign(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    signed = f"{msg_id}.{timestamp}.".encode() + body
    digest = hmac.new(_key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def verify(secret: str, headers: dict[str, str], body: bytes, *, now: float | None = None) -> bool:
    """What a receiver does: the signature matches one of `webhook-signature`'s (space
    separated) and the timestamp is within five minutes."""
    lower = {k.lower(): v for k, v in headers.items()}
    try:
        msg_id = lower["webhook-id"]
        timestamp = int(lower["webhook-timestamp"])
        given = lower["webhook-signature"].split()
    except (KeyError, ValueError):
        return False
    if abs((now or time.time()) - timestamp) > TOLERANCE_SECONDS:
        return False
    expected = sign(secret, msg_id, timestamp, body)
    return any(hmac.compare_digest(expected, signature) for signature in given)


# --- Registering -----------------------------------------------------------------------------


@dataclass
class NewEndpoint:
    endpoint: WebhookEndpoint
    secret: str


def create_endpoint(
    *,
    by: User,
    url: str,
    organisation: Organisation | None,
    events: list[str],
    description: str = "",
    categories=(),
    sectors=(),
    systems=(),
) -> NewEndpoint:
    resolve(url)
    secret = new_secret()
    with transaction.atomic():
        endpoint = WebhookEndpoint.objects.create(
            created_by=by,
            organisation=organisation,
            url=url,
            description=description,
            events=list(events),
            secret=secret,
        )
        endpoint.categories.set(categories)
        endpoint.sectors.set(sectors)
        endpoint.systems.set(systems)
    return NewEndpoint(endpoint=endpoint, secret=secret)


def set_active(*, endpoint: WebhookEndpoint, active: bool) -> None:
    endpoint.is_active = active
    endpoint.failure_count = 0 if active else endpoint.failure_count
    endpoint.disabled_at = None if active else endpoint.disabled_at
    endpoint.save(update_fields=["is_active", "failure_count", "disabled_at"])


def delete_endpoint(*, endpoint: WebhookEndpoint) -> None:
    endpoint.delete()


# --- Events ----------------------------------------------------------------------------------


def event_happened(event: str, post_id: int) -> None:
    """Called inside the action's transaction: fan out once it has committed."""
    transaction.on_commit(lambda: fan_out.enqueue(event, post_id))


def _matches(endpoint: WebhookEndpoint, topic: Topic, sector_ids: set, system_ids: set) -> bool:
    categories = {c.pk for c in endpoint.categories.all()}
    sectors = {s.pk for s in endpoint.sectors.all()}
    systems = {s.pk for s in endpoint.systems.all()}
    return (
        (not categories or topic.category_id in categories)
        and (not sectors or bool(sectors & sector_ids))
        and (not systems or bool(systems & system_ids))
    )


@task()
def fan_out(event: str, post_id: int) -> int:
    """One delivery per active endpoint that wants the event and whose filters match."""
    post = Post.objects.select_related("topic").filter(pk=post_id).first()
    if post is None:
        return 0
    topic = post.topic
    sector_ids = set(topic.tags.values_list("pk", flat=True))
    system_ids = set(topic.systems.values_list("pk", flat=True))
    endpoints = WebhookEndpoint.objects.filter(is_active=True).prefetch_related(
        "categories", "sectors", "systems"
    )
    wanted = [
        e for e in endpoints if event in e.events and _matches(e, topic, sector_ids, system_ids)
    ]
    deliveries = WebhookDelivery.objects.bulk_create(
        [WebhookDelivery(endpoint=e, event=event, post=post) for e in wanted]
    )
    for delivery in deliveries:
        deliver.enqueue(delivery.pk)
    return len(deliveries)


@task()
def fan_out_usage(change_id: int) -> int:
    """A usage was added, changed or confirmed: one delivery per endpoint that wants it and
    whose sector and system filters match (category filters are about topics only)."""
    change = UsageChange.objects.select_related("usage").filter(pk=change_id).first()
    if change is None or change.usage is None:
        return 0
    usage = change.usage
    endpoints = WebhookEndpoint.objects.filter(is_active=True).prefetch_related(
        "sectors", "systems"
    )
    wanted = []
    for e in endpoints:
        sectors = {s.pk for s in e.sectors.all()}
        systems = {s.pk for s in e.systems.all()}
        if (
            USAGE_CHANGED in e.events
            and (not sectors or usage.sector_id in sectors)
            and (not systems or usage.system_id in systems)
        ):
            wanted.append(e)
    deliveries = WebhookDelivery.objects.bulk_create(
        [WebhookDelivery(endpoint=e, event=USAGE_CHANGED, usage_change=change) for e in wanted]
    )
    for delivery in deliveries:
        deliver.enqueue(delivery.pk)
    return len(deliveries)


def visible_usage_change(change_id: int | None) -> UsageChange | None:
    """The directory is public, but only for approved systems (a proposed system is for
    moderators and its vendor): an endpoint hears of usages of approved systems only."""
    if change_id is None:
        return None
    return (
        UsageChange.objects.filter(pk=change_id, usage__system__is_approved=True)
        .select_related("usage__system", "usage__sector", "organisation")
        .first()
    )


def usage_payload(delivery: WebhookDelivery, change: UsageChange) -> dict:
    usage = change.usage
    return {
        "type": delivery.event,
        "timestamp": timezone.now().isoformat(),
        "data": {
            "usage": {
                "id": usage.pk,
                "organisation": change.organisation.slug,
                "system": {"id": usage.system_id, "name": usage.system.name},
                "sector": usage.sector.slug,
                "status": usage.status,
            },
            "change": {
                "id": change.pk,
                "action": change.action,
                "changes": change.changes,
                "changed_at": change.changed_at.isoformat(),
            },
        },
    }


def _visible_categories(endpoint: WebhookEndpoint):
    if endpoint.organisation_id is None:
        return Category.objects.visible_to(endpoint.created_by)
    allowed = [Category.Visibility.OFFENTLIG, Category.Visibility.INNLOGGET]
    if endpoint.organisation.kind in MUNICIPAL_KINDS:
        allowed.append(Category.Visibility.KOMMUNER)
    return Category.objects.filter(visibility__in=allowed)


def visible_post(endpoint: WebhookEndpoint, post_id: int | None) -> Post | None:
    """The post, if the endpoint's owner may read it now; published, not hidden or deleted."""
    if post_id is None:
        return None
    if endpoint.organisation_id is None and not (
        endpoint.created_by is not None
        and endpoint.created_by.is_active
        and endpoint.created_by.is_moderator
    ):
        return None
    return (
        Post.objects.filter(
            pk=post_id,
            is_approved=True,
            is_hidden=False,
            topic__deleted_at__isnull=True,
            topic__category__in=_visible_categories(endpoint),
        )
        .select_related("topic__category", "author")
        .first()
    )


def payload(delivery: WebhookDelivery, post: Post) -> dict:
    topic = post.topic
    site = settings.SITE_URL.rstrip("/")
    return {
        "type": delivery.event,
        "timestamp": timezone.now().isoformat(),
        "data": {
            "topic": {
                "id": topic.pk,
                "title": topic.title,
                "url": site + topic.get_absolute_url(),
                "category": topic.category.slug,
                "sectors": sorted(topic.tags.values_list("slug", flat=True)),
                "systems": sorted(topic.systems.values_list("pk", flat=True)),
            },
            "post": {
                "id": post.pk,
                "position": post.position,
                "url": site + post.get_absolute_url(),
                # What the API shows of an author: never the e-mail address.
                "author": {"id": post.author_id, "display_name": post.author.display_name},
                "body": post.body,
                "created_at": post.created_at.isoformat(),
            },
        },
    }


# --- Sending ---------------------------------------------------------------------------------


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the address that was checked, not to whatever the name resolves to next."""

    def __init__(self, host: str, port: int, address: str, **kwargs) -> None:
        super().__init__(host, port, **kwargs)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, address: str, **kwargs) -> None:
        super().__init__(host, port, context=ssl.create_default_context(), **kwargs)
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def _post(url: str, body: bytes, headers: dict[str, str]) -> int:
    """Send; the status code, or an exception (refused address, timeout, network error)."""
    host, port, addresses = resolve(url)
    parts = urlsplit(url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    cls = _PinnedHTTPSConnection if parts.scheme == "https" else _PinnedHTTPConnection
    connection = cls(host, port, addresses[0], timeout=settings.WEBHOOK_TIMEOUT_SECONDS)
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        response.read(64 * 1024)
        return response.status
    finally:
        connection.close()


def backoff(attempts: int) -> datetime.timedelta:
    """After the n-th failed attempt: base, 2×base, 4×base, … (30 s, 1 min, 2 min, …)."""
    return datetime.timedelta(seconds=settings.WEBHOOK_RETRY_BASE_SECONDS * 2 ** (attempts - 1))


def _skip(delivery: WebhookDelivery, reason: str) -> str:
    delivery.status = WebhookDelivery.Status.SKIPPED
    delivery.last_error = reason
    delivery.next_attempt_at = None
    delivery.save(update_fields=["status", "last_error", "next_attempt_at"])
    log.info("webhook delivery %s skipped: %s", delivery.pk, reason)
    return delivery.status


@task()
def deliver(delivery_id: int) -> str:
    """One attempt. On failure the attempt is counted, the next one scheduled with
    exponential backoff (on a backend that can wait), and after WEBHOOK_MAX_FAILURES
    failures in a row the endpoint is switched off and its registrant told by e-mail."""
    delivery = (
        WebhookDelivery.objects.select_related("endpoint__organisation", "endpoint__created_by")
        .filter(pk=delivery_id)
        .first()
    )
    if delivery is None or delivery.status != WebhookDelivery.Status.PENDING:
        return "gone"
    endpoint = delivery.endpoint
    if not endpoint.is_active:
        return _skip(delivery, "endpoint disabled")
    if delivery.event == USAGE_CHANGED:
        change = visible_usage_change(delivery.usage_change_id)
        if change is None:
            return _skip(delivery, "not visible to the endpoint's owner")
        delivery.payload = usage_payload(delivery, change)
    else:
        post = visible_post(endpoint, delivery.post_id)
        if post is None:
            return _skip(delivery, "not visible to the endpoint's owner")
        delivery.payload = payload(delivery, post)
    body = json.dumps(delivery.payload, separators=(",", ":")).encode()
    msg_id, timestamp = f"msg_{delivery.pk}", int(time.time())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Reformforum-Webhooks/1",
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign(endpoint.secret, msg_id, timestamp, body),
    }
    delivery.attempts += 1
    status_code, error = None, ""
    try:
        status_code = _post(endpoint.url, body, headers)
        if not 200 <= status_code < 300:
            error = f"HTTP {status_code}"
    except ValidationError as exc:
        error = "; ".join(exc.messages)
    except (OSError, http.client.HTTPException) as exc:  # TimeoutError is an OSError
        error = f"{type(exc).__name__}: {exc}"[:500]
    delivery.last_status_code = status_code
    delivery.last_error = error
    now = timezone.now()
    if not error:
        delivery.status = WebhookDelivery.Status.DELIVERED
        delivery.delivered_at, delivery.next_attempt_at = now, None
        delivery.save()
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(failure_count=0)
        return delivery.status
    endpoint.failure_count += 1
    give_up = delivery.attempts >= settings.WEBHOOK_MAX_FAILURES
    disable = endpoint.failure_count >= settings.WEBHOOK_MAX_FAILURES
    if give_up or disable:
        delivery.status, delivery.next_attempt_at = WebhookDelivery.Status.FAILED, None
    else:
        delivery.next_attempt_at = now + backoff(delivery.attempts)
    with transaction.atomic():
        delivery.save()
        if disable:
            endpoint.is_active, endpoint.disabled_at = False, now
            endpoint.save(update_fields=["failure_count", "is_active", "disabled_at"])
            endpoint_id = endpoint.pk
            transaction.on_commit(lambda: send_disabled_notice.enqueue(endpoint_id))
        else:
            endpoint.save(update_fields=["failure_count"])
    if delivery.next_attempt_at is not None:
        _schedule_retry(delivery)
    return delivery.status


def _schedule_retry(delivery: WebhookDelivery) -> None:
    """Re-enqueue for `next_attempt_at`. A backend that cannot wait (the tests' immediate
    one) would run it at once, again and again: there the retry is left for `retry_due`."""
    if deliver.get_backend().supports_defer:
        deliver.using(run_after=delivery.next_attempt_at).enqueue(delivery.pk)


def retry_due() -> int:
    """Send the pending deliveries whose next attempt is due (for backends that cannot wait,
    and after an outage of the worker)."""
    due = WebhookDelivery.objects.filter(
        status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=timezone.now()
    ).values_list("pk", flat=True)
    count = 0
    for delivery_id in list(due):
        deliver.call(delivery_id)
        count += 1
    return count


@task()
def send_disabled_notice(endpoint_id: int) -> bool:
    endpoint = WebhookEndpoint.objects.select_related("created_by").filter(pk=endpoint_id).first()
    if endpoint is None or endpoint.created_by is None or not endpoint.created_by.email:
        return False
    subject = _("Webhooken din er slått av")
    message = _(
        "Reformforum har slått av webhooken til %(url)s etter %(count)d mislykkede forsøk "
        "på rad. Rett feilen hos mottakeren og slå den på igjen på %(page)s."
    ) % {
        "url": endpoint.url,
        "count": endpoint.failure_count,
        "page": settings.SITE_URL.rstrip("/") + "/profil/webhooks/",
    }
    send_mail(subject, message, None, [endpoint.created_by.email])
    return True

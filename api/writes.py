"""Writes through the API: each endpoint calls the same action as the web form, so every
rule, rate limit, notification, search index and page-cache invalidation applies.

Every write needs a token with the operation's scope (api.api.ApiTokenAuth) and is logged
with the token's id (ApiWriteLog). A POST may carry `Idempotency-Key`: the same key with
the same body gives the first answer again, and writes nothing more.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Path

from accounts.models import Organisation
from api import schemas
from api.actions import log_write
from api.api import (
    MAX_ID,
    ApiTokenAuth,
    _post,
    _topic,
    _usage,
    _visible_posts,
    _visible_topics,
    api,
)
from api.models import ApiToken, IdempotencyKey, Scope
from directory import actions as directory_actions
from directory.models import Sector, System, Usage
from forum.ratelimit import Rate, hit
from notifications import actions as notification_actions
from topics import actions, answers, usefulness
from topics.models import Category
from topics.moderation import actions as moderation_actions

Id = Annotated[int, Path(ge=1, le=MAX_ID)]
WRITE_ERRORS = dict.fromkeys((400, 401, 403, 404, 409, 413, 422, 429), schemas.Error)
POSTS = ApiTokenAuth(Scope.WRITE_POSTS)
DIRECTORY = ApiTokenAuth(Scope.WRITE_DIRECTORY)
IDEMPOTENCY_HEADER = "Idempotency-Key"
IDEMPOTENCY_DOC = (
    "Send gjerne `Idempotency-Key` (1–255 tegn): prøver du igjen med samme nøkkel og samme "
    "innhold, får du det første svaret, og ingenting lages to ganger."
)


@dataclass
class Done:
    status: int
    body: dict[str, Any]
    object_id: int | None = None


class Refused(Exception):
    def __init__(self, status: int, detail: str, retry_after: int | None = None) -> None:
        super().__init__(detail)
        self.status, self.detail, self.retry_after = status, detail, retry_after


def _messages(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return "; ".join(
            f"{field}: {' '.join(str(m) for m in errors[0].messages)}"
            if field != "__all__"
            else " ".join(str(m) for m in errors[0].messages)
            for field, errors in exc.error_dict.items()
        )
    return " ".join(str(m) for m in exc.messages)


def _rate_limit(request: HttpRequest, scope: str) -> None:
    """The same counter as the web form's (forum.ratelimit, per member)."""
    rate_text = settings.FORUM_RATE_LIMITS.get(scope)
    if rate_text and (retry := hit(scope, f"user:{request.auth.pk}", Rate.parse(rate_text))):
        raise Refused(
            429,
            _("For mange forespørsler. Prøv igjen om %(seconds)d sekunder.") % {"seconds": retry},
            retry_after=retry,
        )


def _request_hash(request: HttpRequest) -> str:
    digest = hashlib.sha256(f"{request.method} {request.path}\n".encode())
    digest.update(request.body)
    return digest.hexdigest()


def _respond(request: HttpRequest, status: int, body: dict[str, Any], retry_after=None):
    if status == 204:
        return HttpResponse(status=204)
    response = api.create_response(request, body, status=status)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


def _write(request: HttpRequest, operation: str, run: Callable[[], Done]) -> HttpResponse:
    """Run one write for the token's owner: replay or refuse by idempotency key, turn the
    action's refusals into JSON errors, log it, and keep the first answer to a keyed POST."""
    token: ApiToken = request.api_token
    key = request.headers.get(IDEMPOTENCY_HEADER) if request.method == "POST" else None
    if key is not None and not (1 <= len(key) <= 255 and key.isprintable()):
        return _respond(request, 400, {"detail": _("Idempotency-Key må være 1–255 synlige tegn.")})

    def log(status: int, object_id: int | None = None, replayed: bool = False) -> None:
        log_write(
            token=token,
            operation=operation,
            method=request.method,
            path=request.path,
            status=status,
            object_id=object_id,
            idempotency_key=key or "",
            replayed=replayed,
        )

    with transaction.atomic():
        if key is not None:
            # One keyed POST per token at a time: a retry that arrives while the first is
            # still running waits for it, and then gets its answer.
            list(ApiToken.objects.select_for_update().filter(pk=token.pk).values_list("pk"))
            cutoff = timezone.now() - timedelta(seconds=settings.API_IDEMPOTENCY_SECONDS)
            IdempotencyKey.objects.filter(token=token, created_at__lte=cutoff).delete()
            earlier = IdempotencyKey.objects.filter(token=token, key=key).first()
            if earlier is not None:
                if earlier.request_hash != _request_hash(request):
                    log(422)
                    return _respond(
                        request,
                        422,
                        {
                            "detail": _(
                                "Denne Idempotency-Key er brukt før, med en annen forespørsel. "
                                "Bruk en ny nøkkel for en ny forespørsel."
                            )
                        },
                    )
                log(earlier.status, replayed=True)
                response = _respond(request, earlier.status, earlier.response)
                response["Idempotent-Replayed"] = "true"
                return response
        try:
            with transaction.atomic():
                done = run()
        except Refused as exc:
            log(exc.status)
            return _respond(request, exc.status, {"detail": exc.detail}, exc.retry_after)
        except Http404:
            log(404)
            return _respond(request, 404, {"detail": _("Finnes ikke.")})
        except actions.EditConflict:
            log(409)
            return _respond(
                request,
                409,
                {"detail": _("Innlegget er endret siden versjonen du sendte. Hent det på nytt.")},
            )
        except PermissionDenied as exc:
            log(403)
            detail = str(exc) or _("Du har ikke lov til dette.")
            return _respond(request, 403, {"detail": detail})
        except ValidationError as exc:
            log(400)
            return _respond(request, 400, {"detail": _messages(exc)})
        body = json.loads(json.dumps(done.body, cls=DjangoJSONEncoder))
        log(done.status, done.object_id)
        if key is not None:
            IdempotencyKey.objects.create(
                token=token,
                key=key,
                request_hash=_request_hash(request),
                status=done.status,
                response=body,
            )
    return _respond(request, done.status, body)


def _as_moderator(request: HttpRequest, what: str) -> None:
    """A moderator's powers over others' posts go through a token only with `moderate`: a
    token made to post in their name does not also edit, lock past or choose for others."""
    if not request.api_token.has_scope(Scope.MODERATE):
        raise Refused(
            403,
            _("%(what)s krever tilgangen «moderate» på API-nøkkelen.") % {"what": what},
        )


def _topic_for(request: HttpRequest, topic_id: int):
    topic = _visible_topics(request).filter(pk=topic_id).first()
    if topic is None:
        raise Http404
    return topic


def _post_for(request: HttpRequest, post_id: int):
    post = _visible_posts(request).select_related("topic").filter(pk=post_id).first()
    if post is None:
        raise Http404
    return post


def _fresh_topic(request: HttpRequest, pk: int) -> dict[str, Any]:
    return _topic(request, _visible_topics(request).get(pk=pk))


def _fresh_post(request: HttpRequest, pk: int) -> dict[str, Any]:
    return _post(request, _visible_posts(request).get(pk=pk))


# ---- Topics and posts ----------------------------------------------------------------------


@api.post(
    "/topics/",
    auth=POSTS,
    response={201: schemas.Topic, **WRITE_ERRORS},
    tags=["Skriving"],
    summary="Start en tråd (write:posts)",
    description=IDEMPOTENCY_DOC,
)
def create_topic(request: HttpRequest, payload: schemas.NewTopic):
    def run() -> Done:
        user = request.auth
        _rate_limit(request, "post")
        category = Category.objects.visible_to(user).filter(slug=payload.category).first()
        if category is None:
            raise Refused(400, _("category: Finner ingen kategori med den adressen."))
        sectors = list(Sector.objects.filter(slug__in=payload.sectors))
        if len(sectors) != len(set(payload.sectors)):
            raise Refused(400, _("sectors: Finner ikke alle sektorene."))
        systems = list(System.objects.approved().visible_to(user).filter(slug__in=payload.systems))
        if len(systems) != len(set(payload.systems)):
            raise Refused(400, _("systems: Finner ikke alle systemene."))
        if payload.kind == "erfaring" and not payload.verdict:
            raise Refused(400, _("verdict: Si om erfaringen var positiv, negativ eller blandet."))
        topic = actions.create_topic(
            author=user,
            category=category,
            title=payload.title,
            body=payload.body,
            kind=payload.kind,
            verdict=payload.verdict if payload.kind == "erfaring" else "",
            sectors=sectors,
            systems=systems,
        )
        return Done(201, _fresh_topic(request, topic.pk), topic.pk)

    return _write(request, "create_topic", run)


@api.post(
    "/topics/{topic_id}/posts/",
    auth=POSTS,
    response={201: schemas.Post, **WRITE_ERRORS},
    tags=["Skriving"],
    summary="Svar i en tråd (write:posts)",
    description=IDEMPOTENCY_DOC,
)
def create_reply(request: HttpRequest, topic_id: Id, payload: schemas.NewReply):
    def run() -> Done:
        topic = _topic_for(request, topic_id)
        if topic.is_locked:
            _as_moderator(request, _("Å svare i en låst tråd"))
        _rate_limit(request, "post")
        post = actions.reply(author=request.auth, topic=topic, body=payload.body)
        return Done(201, _fresh_post(request, post.pk), post.pk)

    return _write(request, "reply", run)


@api.patch(
    "/posts/{post_id}/",
    auth=POSTS,
    response={200: schemas.Post, **WRITE_ERRORS},
    tags=["Skriving"],
    summary="Endre ditt innlegg (write:posts)",
)
def edit_post(request: HttpRequest, post_id: Id, payload: schemas.PostEdit):
    def run() -> Done:
        post = _post_for(request, post_id)
        if post.author_id != request.auth.pk:
            _as_moderator(request, _("Å endre andres innlegg"))
        actions.edit_post(
            post=post,
            editor=request.auth,
            body=payload.body,
            title=payload.title,
            version=payload.version,
        )
        return Done(200, _fresh_post(request, post.pk), post.pk)

    return _write(request, "edit_post", run)


def _useful(request: HttpRequest, post_id: int, useful: bool) -> HttpResponse:
    def run() -> Done:
        post = _post_for(request, post_id)
        usefulness.set_useful(post=post, user=request.auth, useful=useful)
        post.refresh_from_db(fields=["useful_count"])
        body = {"post_id": post.pk, "useful": useful, "useful_count": post.useful_count}
        return Done(200, body, post.pk)

    return _write(request, "mark_useful" if useful else "unmark_useful", run)


@api.put(
    "/posts/{post_id}/useful/",
    auth=POSTS,
    response={200: schemas.Useful, **WRITE_ERRORS},
    tags=["Skriving"],
    summary="Marker et innlegg som «Nyttig» (write:posts)",
)
def mark_useful(request: HttpRequest, post_id: Id):
    return _useful(request, post_id, True)


@api.delete(
    "/posts/{post_id}/useful/",
    auth=POSTS,
    response={200: schemas.Useful, **WRITE_ERRORS},
    tags=["Skriving"],
    summary="Fjern «Nyttig» fra et innlegg (write:posts)",
)
def unmark_useful(request: HttpRequest, post_id: Id):
    return _useful(request, post_id, False)


@api.post(
    "/topics/{topic_id}/answer/",
    auth=POSTS,
    response={200: schemas.Topic, **WRITE_ERRORS},
    tags=["Skriving"],
    summary="Godkjenn et svar på spørsmålet ditt (write:posts)",
    description=IDEMPOTENCY_DOC,
)
def accept_answer(request: HttpRequest, topic_id: Id, payload: schemas.AcceptAnswer):
    def run() -> Done:
        topic = _topic_for(request, topic_id)
        post = _visible_posts(request).filter(pk=payload.post_id, topic=topic).first()
        if post is None:
            raise Refused(400, _("post_id: Finner ikke innlegget i denne tråden."))
        if topic.author_id != request.auth.pk:
            _as_moderator(request, _("Å velge svaret i andres spørsmål"))
        answers.accept_answer(post=post, by=request.auth)
        return Done(200, _fresh_topic(request, topic.pk), topic.pk)

    return _write(request, "accept_answer", run)


@api.delete(
    "/topics/{topic_id}/answer/",
    auth=POSTS,
    response={200: schemas.Topic, **WRITE_ERRORS},
    tags=["Skriving"],
    summary="Angre det godkjente svaret (write:posts)",
)
def unaccept_answer(request: HttpRequest, topic_id: Id):
    def run() -> Done:
        topic = _topic_for(request, topic_id)
        if topic.author_id != request.auth.pk:
            _as_moderator(request, _("Å velge svaret i andres spørsmål"))
        answers.unaccept_answer(topic=topic, by=request.auth)
        return Done(200, _fresh_topic(request, topic.pk), topic.pk)

    return _write(request, "unaccept_answer", run)


def _watch(request: HttpRequest, topic_id: int, watching: bool) -> HttpResponse:
    def run() -> Done:
        topic = _topic_for(request, topic_id)
        if watching:
            notification_actions.watch(user=request.auth, topic=topic)
        else:
            notification_actions.unwatch(user=request.auth, topic=topic)
        return Done(200, {"topic_id": topic.pk, "watching": watching}, topic.pk)

    return _write(request, "watch" if watching else "unwatch", run)


@api.put(
    "/topics/{topic_id}/watch/",
    auth=POSTS,
    response={200: schemas.Watching, **WRITE_ERRORS},
    tags=["Skriving"],
    summary="Følg en tråd: varsler om nye svar (write:posts)",
)
def watch_topic(request: HttpRequest, topic_id: Id):
    return _watch(request, topic_id, True)


@api.delete(
    "/topics/{topic_id}/watch/",
    auth=POSTS,
    response={200: schemas.Watching, **WRITE_ERRORS},
    tags=["Skriving"],
    summary="Slutt å følge en tråd (write:posts)",
)
def unwatch_topic(request: HttpRequest, topic_id: Id):
    return _watch(request, topic_id, False)


@api.post(
    "/posts/{post_id}/reports/",
    auth=POSTS,
    response={201: schemas.Report, **WRITE_ERRORS},
    tags=["Skriving"],
    summary="Rapporter et innlegg til moderatorene (write:posts)",
    description=IDEMPOTENCY_DOC,
)
def report_post(request: HttpRequest, post_id: Id, payload: schemas.NewReport):
    def run() -> Done:
        post = _post_for(request, post_id)
        _rate_limit(request, "report")
        report = moderation_actions.report_post(
            post=post, reporter=request.auth, reason=payload.reason, text=payload.text
        )
        body = {
            "id": report.pk,
            "post_id": post.pk,
            "reason": report.reason,
            "status": report.status,
        }
        return Done(201, body, report.pk)

    return _write(request, "report_post", run)


# ---- The directory: an organisation's usages (write:directory) -----------------------------


def _for_organisation(request: HttpRequest, organisation: Organisation) -> None:
    """Changing another organisation's usages is a moderator's power: it needs `moderate`."""
    if request.auth.organisation_id != organisation.pk:
        _as_moderator(request, _("Å endre en annen organisasjons systembruk"))


def _system_and_sector(request: HttpRequest, system: str, sector: str) -> tuple[System, Sector]:
    found_system = System.objects.visible_to(request.auth).filter(slug=system).first()
    if found_system is None:
        raise Refused(400, _("system: Finner ikke systemet."))
    found_sector = Sector.objects.filter(slug=sector).first()
    if found_sector is None:
        raise Refused(400, _("sector: Finner ikke sektoren."))
    return found_system, found_sector


def _usage_for(request: HttpRequest, usage_id: int) -> Usage:
    usage = (
        Usage.objects.filter(system__in=System.objects.visible_to(request.auth))
        .select_related("organisation", "system", "sector")
        .filter(pk=usage_id)
        .first()
    )
    if usage is None:
        raise Http404
    _for_organisation(request, usage.organisation)
    return usage


def _fresh_usage(pk: int) -> dict[str, Any]:
    return _usage(Usage.objects.select_related("organisation", "system", "sector").get(pk=pk))


@api.post(
    "/usages/",
    auth=DIRECTORY,
    response={201: schemas.Usage, **WRITE_ERRORS},
    tags=["Skriving"],
    summary="Legg til at organisasjonen bruker et system (write:directory)",
    description=IDEMPOTENCY_DOC,
)
def create_usage(request: HttpRequest, payload: schemas.NewUsage):
    def run() -> Done:
        organisation = Organisation.objects.filter(slug=payload.organisation).first()
        if organisation is None:
            raise Refused(400, _("organisation: Finner ikke organisasjonen."))
        _for_organisation(request, organisation)
        system, sector = _system_and_sector(request, payload.system, payload.sector)
        usage = directory_actions.create_usage(
            by=request.auth,
            organisation=organisation,
            system=system,
            sector=sector,
            status=payload.status,
            since=payload.since,
            until=payload.until,
            note=payload.note,
        )
        return Done(201, _fresh_usage(usage.pk), usage.pk)

    return _write(request, "create_usage", run)


@api.patch(
    "/usages/{usage_id}/",
    auth=DIRECTORY,
    response={200: schemas.Usage, **WRITE_ERRORS},
    tags=["Skriving"],
    summary="Endre en systembruk; sendt uendret bekrefter den (write:directory)",
)
def update_usage(request: HttpRequest, usage_id: Id, payload: schemas.UsageEdit):
    def run() -> Done:
        usage = _usage_for(request, usage_id)
        sent = payload.model_dump(exclude_unset=True)
        system, sector = _system_and_sector(
            request,
            sent.get("system") or usage.system.slug,
            sent.get("sector") or usage.sector.slug,
        )
        directory_actions.update_usage(
            usage=usage,
            by=request.auth,
            system=system,
            sector=sector,
            status=sent.get("status") or usage.status,
            since=sent.get("since", usage.since),
            until=sent.get("until", usage.until),
            note=sent["note"] if sent.get("note") is not None else usage.note,
        )
        return Done(200, _fresh_usage(usage.pk), usage.pk)

    return _write(request, "update_usage", run)


@api.post(
    "/usages/{usage_id}/end/",
    auth=DIRECTORY,
    response={200: schemas.Usage, **WRITE_ERRORS},
    tags=["Skriving"],
    summary="Avslutt en systembruk: status «avviklet» med sluttdato (write:directory)",
    description=IDEMPOTENCY_DOC,
)
def end_usage(request: HttpRequest, usage_id: Id, payload: schemas.UsageEnd):
    def run() -> Done:
        usage = _usage_for(request, usage_id)
        directory_actions.update_usage(
            usage=usage,
            by=request.auth,
            system=usage.system,
            sector=usage.sector,
            status=Usage.Status.AVVIKLET,
            since=usage.since,
            until=payload.until or timezone.localdate(),
            note=usage.note,
        )
        return Done(200, _fresh_usage(usage.pk), usage.pk)

    return _write(request, "end_usage", run)


@api.delete(
    "/usages/{usage_id}/",
    auth=DIRECTORY,
    response={204: None, **WRITE_ERRORS},
    tags=["Skriving"],
    summary="Slett en systembruk som var feil (write:directory)",
)
def delete_usage(request: HttpRequest, usage_id: Id):
    def run() -> Done:
        usage = _usage_for(request, usage_id)
        directory_actions.delete_usage(usage=usage, by=request.auth)
        return Done(204, {}, usage_id)

    return _write(request, "delete_usage", run)

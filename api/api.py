"""The open JSON API (django-ninja): /api/, its OpenAPI schema and docs.

What a caller sees is what `visible_to` gives the token's owner, or a signed-out visitor
when no token is sent. Every list is keyset-paginated with signed cursors. The writes
(api/writes.py) need a token with the right scope; a session cookie never authenticates
here, so no page of another site can make a signed-in browser write (no CSRF).
"""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import RequestDataTooBig
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Path, Query
from ninja.errors import HttpError, Throttled, ValidationError
from ninja.security import HttpBearer

from accounts.models import Organisation
from api import schemas
from api.actions import TokenRefused, token_for
from api.models import Scope
from api.pagination import paginate
from api.ratelimit import ApiRateLimit
from directory.models import Sector, System, Usage
from topics import permissions as topic_permissions
from topics.models import Category, PollOption, Post, Topic

SLUG = r"^[-a-zA-Z0-9_]{1,100}$"
NO_NUL = r"^[^\x00]*$"
MAX_ID = 2**63 - 1

Slug = Annotated[str, Query(pattern=SLUG, description="Adressen (slug), som i nettsidene.")]
Cursor = Annotated[
    str | None,
    Query(max_length=2000, description="Fra «next» i forrige svar. Utelat for første side."),
]
PageSize = Annotated[int, Query(ge=1, le=100, description="Antall per side (1–100).")]
ERRORS = {400: schemas.Error, 401: schemas.Error, 429: schemas.Error}
DETAIL_ERRORS = {**ERRORS, 404: schemas.Error}


class TokenRejected(HttpError):
    def __init__(self, message: str) -> None:
        super().__init__(401, message)


class ScopeMissing(HttpError):
    def __init__(self, message: str) -> None:
        super().__init__(403, message)


class BodyTooLarge(HttpError):
    def __init__(self) -> None:
        super().__init__(
            413,
            _("Forespørselen er for stor (høyst %(limit)d kB).")
            % {"limit": settings.API_MAX_BODY_BYTES // 1024},
        )


class ApiTokenAuth(HttpBearer):
    """A personal API token as `Authorization: Bearer rf_…`; without the header, signed out.

    With `scope`, the operation needs a token that has it: no token is a 401, a token
    without the scope a 403. Only the header counts: the session cookie is never read.
    """

    def __init__(self, scope: str = Scope.READ) -> None:
        super().__init__()
        self.scope = scope

    def __call__(self, request: HttpRequest) -> Any:
        request.api_token = None
        length = request.META.get("CONTENT_LENGTH") or "0"
        if length.isdigit() and int(length) > settings.API_MAX_BODY_BYTES:
            raise BodyTooLarge
        header = request.headers.get("Authorization")
        if header is None:
            if self.scope != Scope.READ:
                raise TokenRejected(
                    _("Dette krever en API-nøkkel: «Authorization: Bearer <nøkkel>».")
                )
            return AnonymousUser()
        scheme, _space, secret = header.partition(" ")
        if scheme.lower() != "bearer" or not secret.strip():
            raise TokenRejected(_("Send nøkkelen som «Authorization: Bearer <nøkkel>»."))
        return self.authenticate(request, secret.strip())

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        try:
            found = token_for(token)
        except TokenRefused as exc:
            raise TokenRejected(str(exc)) from exc
        if not found.has_scope(self.scope):
            raise ScopeMissing(
                _("API-nøkkelen mangler tilgangen «%(scope)s». Lag en nøkkel som har den.")
                % {"scope": self.scope}
            )
        request.api_token = found
        return found.user


class ForumApi(NinjaAPI):
    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        schema = super().get_openapi_schema(*args, **kwargs)
        # A token is optional for reading: without one the API answers what a signed-out
        # visitor sees. Writes need one.
        for operations in schema["paths"].values():
            for method, operation in operations.items():
                if "security" in operation and method in ("get", "head"):
                    operation["security"] = [{}, *operation["security"]]
        return schema


api = ForumApi(
    title="Reformforum API",
    version="1",
    description=(
        "Åpent, lesbart API for Reformforum: offentlige tråder og innlegg, kategorier, "
        "sektorer, organisasjoner, systemkatalogen og hvem som bruker hvilke systemer. "
        "Uten nøkkel ser du det en utlogget besøkende ser. Med en personlig API-nøkkel "
        "(lages under «API-nøkler» på profilen din) ser du det du selv kan lese i forumet. "
        "Listene er sidedelt: følg lenken i «next»."
    ),
    urls_namespace="api",
    docs_url="/docs/",
    openapi_url="/schema/",
    auth=ApiTokenAuth(),
    throttle=ApiRateLimit(),
)


# ---- Errors: a JSON body with «detail», in Norwegian, never a 500 for bad input -------


@api.exception_handler(ValidationError)
def invalid_request(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    # A body that does not fit its schema (a missing or unknown field) is a 422; a bad
    # address or query parameter a 400, as it always was.
    in_body = any(error.get("loc", ("",))[0] == "body" for error in exc.errors)
    problems = "; ".join(
        f"{'.'.join(str(part) for part in error.get('loc', ())[1:]) or 'forespørsel'}: "
        f"{error.get('msg', '')}"
        for error in exc.errors
    )
    return api.create_response(
        request,
        {"detail": _("Ugyldig forespørsel (%s).") % problems},
        status=422 if in_body else 400,
    )


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": _("Finnes ikke.")}, status=404)


@api.exception_handler(Throttled)
def throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
    wait = max(1, math.ceil(exc.wait or 1))
    response = api.create_response(
        request,
        {
            "detail": _("For mange forespørsler. Prøv igjen om %(seconds)d sekunder.")
            % {"seconds": wait}
        },
        status=429,
    )
    response["Retry-After"] = str(wait)
    return response


@api.exception_handler(RequestDataTooBig)
def too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return api.create_response(request, {"detail": BodyTooLarge().message}, status=413)


@api.exception_handler(TokenRejected)
def token_rejected(request: HttpRequest, exc: TokenRejected) -> HttpResponse:
    response = api.create_response(request, {"detail": exc.message}, status=401)
    response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


# ---- Helpers -----------------------------------------------------------------------------


def _viewer(request: HttpRequest):
    return request.auth


def _url(request: HttpRequest, obj: Model | str) -> str:
    return request.build_absolute_uri(obj if isinstance(obj, str) else obj.get_absolute_url())


def _page(
    request: HttpRequest,
    queryset: QuerySet,
    *,
    ordering: tuple[str, ...],
    cursor: str | None,
    page_size: int,
    salt: str,
) -> tuple[list[Any], str | None]:
    rows, next_cursor = paginate(
        queryset, ordering=ordering, cursor=cursor, page_size=page_size, salt=salt
    )
    if next_cursor is None:
        return rows, None
    query = request.GET.copy()
    query["cursor"] = next_cursor
    return rows, _url(request, f"{request.path}?{query.urlencode()}")


def _org_ref(org: Organisation | None) -> dict[str, str] | None:
    if org is None:
        return None
    return {"slug": org.slug, "name": org.name, "kind": org.kind}


def _author(request: HttpRequest, user) -> dict[str, Any]:
    return {
        "id": user.pk,
        "display_name": user.display_name,
        "organisation": _org_ref(user.organisation),
        "url": _url(request, user),
    }


def _topic(request: HttpRequest, topic: Topic) -> dict[str, Any]:
    return {
        "id": topic.pk,
        "title": topic.title,
        "url": _url(request, topic),
        "kind": topic.kind,
        "category": topic.category.slug,
        "sectors": [tag.slug for tag in topic.tags.all()],
        "systems": [system.slug for system in topic.systems.all()],
        "author": _author(request, topic.author),
        "created_at": topic.created_at,
        "last_activity_at": topic.last_activity_at,
        "reply_count": topic.reply_count,
        "is_pinned": topic.is_pinned,
        "is_locked": topic.is_locked,
        "is_solved": topic.is_solved,
        "solved_post_id": topic.solved_post_id,
        "verdict": topic.verdict,
    }


def _post(request: HttpRequest, post: Post) -> dict[str, Any]:
    shown = not post.is_hidden or topic_permissions.can_see_hidden_post(_viewer(request), post)
    return {
        "id": post.pk,
        "topic_id": post.topic_id,
        "position": post.position,
        "url": _url(request, post),
        "author": _author(request, post.author),
        "created_at": post.created_at,
        "edited_at": post.edited_at,
        "is_hidden": post.is_hidden,
        "body": post.body if shown else "",
        "body_html": post.body_html if shown else "",
        "useful_count": post.useful_count,
        "version": post.version,
        "attachments": [
            {
                "id": a.pk,
                "name": a.name,
                "kind": a.kind,
                "content_type": a.content_type,
                "size": a.size,
                "sha256": a.sha256,
                "url": _url(request, a),
            }
            for a in post.attachments.all()
        ]
        if shown
        else [],
    }


def _visible_topics(request: HttpRequest) -> QuerySet[Topic]:
    return (
        Topic.objects.visible_to(_viewer(request))
        .select_related("category", "author__organisation")
        .prefetch_related("tags", "systems")
    )


def _visible_posts(request: HttpRequest) -> QuerySet[Post]:
    return (
        Post.objects.visible_to(_viewer(request))
        .select_related("author__organisation")
        .prefetch_related("attachments")
    )


# ---- Topics and posts ----------------------------------------------------------------------


@api.get(
    "/topics/",
    response={200: schemas.TopicPage, **ERRORS},
    tags=["Tråder"],
    summary="Tråder, sist aktive først",
)
def list_topics(
    request: HttpRequest,
    category: Annotated[str | None, Query(pattern=SLUG, description="Som /k/<kategori>/.")] = None,
    sector: Annotated[str | None, Query(pattern=SLUG, description="Som /sektor/<sektor>/.")] = None,
    system: Annotated[str | None, Query(pattern=SLUG, description="Tråder om et system.")] = None,
    kind: Literal["sporsmal", "erfaring", "diskusjon", "workshop"] | None = None,
    status: Annotated[
        Literal["lost", "ubesvart"] | None,
        Query(description="Som ?vis=lost|ubesvart: spørsmål med eller uten godkjent svar."),
    ] = None,
    cursor: Cursor = None,
    page_size: PageSize = 25,
):
    topics = _visible_topics(request)
    if category:
        topics = topics.filter(category__slug=category)
    if sector:
        topics = topics.filter(tags__slug=sector)
    if system:
        topics = topics.filter(systems__slug=system)
    if kind:
        topics = topics.filter(kind=kind)
    if status:
        topics = topics.solved() if status == "lost" else topics.unanswered()
    rows, next_url = _page(
        request,
        topics,
        ordering=("-last_activity_at", "-pk"),
        cursor=cursor,
        page_size=page_size,
        salt="topics",
    )
    return {"results": [_topic(request, t) for t in rows], "next": next_url}


@api.get(
    "/topics/{topic_id}/",
    response={200: schemas.Topic, **DETAIL_ERRORS},
    tags=["Tråder"],
    summary="Én tråd",
)
def get_topic(request: HttpRequest, topic_id: Annotated[int, Path(ge=1, le=MAX_ID)]):
    topic = _visible_topics(request).filter(pk=topic_id).first()
    if topic is None:
        raise Http404
    return _topic(request, topic)


@api.get(
    "/topics/{topic_id}/posts/",
    response={200: schemas.PostPage, **DETAIL_ERRORS},
    tags=["Tråder"],
    summary="Innleggene i en tråd, i rekkefølge",
)
def list_topic_posts(
    request: HttpRequest,
    topic_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    cursor: Cursor = None,
    page_size: PageSize = 25,
):
    if not Topic.objects.visible_to(_viewer(request)).filter(pk=topic_id).exists():
        raise Http404
    rows, next_url = _page(
        request,
        _visible_posts(request).filter(topic_id=topic_id),
        ordering=("position", "pk"),
        cursor=cursor,
        page_size=page_size,
        salt="posts",
    )
    return {"results": [_post(request, p) for p in rows], "next": next_url}


@api.get(
    "/topics/{topic_id}/poll/",
    response={200: schemas.Poll, **DETAIL_ERRORS},
    tags=["Tråder"],
    summary="Avstemningen i en tråd, med resultatene når de vises",
)
def get_topic_poll(
    request: HttpRequest, response: HttpResponse, topic_id: Annotated[int, Path(ge=1, le=MAX_ID)]
):
    viewer = _viewer(request)
    topic = (
        Topic.objects.visible_to(viewer).select_related("category", "poll").filter(pk=topic_id)
    ).first()
    poll = getattr(topic, "poll", None)
    if poll is None:
        raise Http404
    if poll.closes_within(settings.FORUM_PAGE_CACHE_SECONDS):
        patch_cache_control(response, private=True)  # not kept past its closing time
    options = list(PollOption.objects.filter(poll=poll).with_results(viewer))
    shown = topic_permissions.can_see_poll_results(
        viewer, poll, has_voted=any(o.is_mine for o in options)
    )
    names: dict[int, list[str]] = {o.pk: [] for o in options}
    if shown and poll.is_public:
        for option_id, name in poll.votes.order_by("member__display_name", "member_id").values_list(
            "option_id", "member__display_name"
        ):
            names[option_id].append(name)
    return {
        "topic_id": topic.pk,
        "question": poll.question,
        "kind": poll.kind,
        "max_choices": poll.max_choices,
        "closes_at": poll.closes_at,
        "is_closed": poll.is_closed(),
        "results_visibility": poll.results_visibility,
        "voters": poll.voters,
        "results_visible": shown,
        "voter_count": (options[0].voter_count if options else 0) if shown else None,
        "options": [
            {
                "id": o.pk,
                "text": o.text,
                "position": o.position,
                "votes": o.vote_count if shown else None,
                "voters": names[o.pk] if shown and poll.is_public else None,
                "chosen": bool(o.is_mine),
            }
            for o in options
        ],
    }


@api.get(
    "/posts/{post_id}/",
    response={200: schemas.Post, **DETAIL_ERRORS},
    tags=["Tråder"],
    summary="Ett innlegg",
)
def get_post(request: HttpRequest, post_id: Annotated[int, Path(ge=1, le=MAX_ID)]):
    post = _visible_posts(request).filter(pk=post_id).first()
    if post is None:
        raise Http404
    return _post(request, post)


# ---- Categories and sectors ---------------------------------------------------------------


def _category(request: HttpRequest, category: Category) -> dict[str, Any]:
    return {
        "slug": category.slug,
        "name": category.name,
        "description": category.description,
        "visibility": category.visibility,
        "url": _url(request, category),
    }


@api.get(
    "/categories/",
    response={200: schemas.CategoryPage, **ERRORS},
    tags=["Kategorier og sektorer"],
    summary="Kategoriene du kan lese",
)
def list_categories(request: HttpRequest, cursor: Cursor = None, page_size: PageSize = 25):
    rows, next_url = _page(
        request,
        Category.objects.visible_to(_viewer(request)),
        ordering=("position", "name", "pk"),
        cursor=cursor,
        page_size=page_size,
        salt="categories",
    )
    return {"results": [_category(request, c) for c in rows], "next": next_url}


@api.get(
    "/categories/{slug}/",
    response={200: schemas.Category, **DETAIL_ERRORS},
    tags=["Kategorier og sektorer"],
    summary="Én kategori",
)
def get_category(request: HttpRequest, slug: Annotated[str, Path(pattern=SLUG)]):
    category = Category.objects.visible_to(_viewer(request)).filter(slug=slug).first()
    if category is None:
        raise Http404
    return _category(request, category)


@api.get(
    "/sectors/",
    response={200: schemas.SectorPage, **ERRORS},
    tags=["Kategorier og sektorer"],
    summary="Sektorene (emneord for tråder og systemer)",
)
def list_sectors(request: HttpRequest, cursor: Cursor = None, page_size: PageSize = 25):
    rows, next_url = _page(
        request,
        Sector.objects.all(),
        ordering=("position", "name", "pk"),
        cursor=cursor,
        page_size=page_size,
        salt="sectors",
    )
    results = [
        {"slug": s.slug, "name": s.name, "description": s.description, "url": _url(request, s)}
        for s in rows
    ]
    return {"results": results, "next": next_url}


# ---- Organisations, systems and usages (the directory) -----------------------------------


@api.get(
    "/organisations/",
    response={200: schemas.OrganisationPage, **ERRORS},
    tags=["Katalog"],
    summary="Kommuner, fylkeskommuner, leverandører og etater",
)
def list_organisations(
    request: HttpRequest,
    kind: Literal["kommune", "fylkeskommune", "ikt_samarbeid", "leverandor", "statlig", "annen"]
    | None = None,
    county: Annotated[str | None, Query(pattern=r"^[0-9]{2}$", description="Fylkesnummer.")] = None,
    current: Annotated[
        bool | None, Query(description="Bare dagens (true) eller bare tidligere (false).")
    ] = None,
    q: Annotated[
        str | None, Query(max_length=100, pattern=NO_NUL, description="Del av navnet.")
    ] = None,
    cursor: Cursor = None,
    page_size: PageSize = 25,
):
    organisations = Organisation.objects.select_related("county").prefetch_related(
        "successors", "predecessors"
    )
    if kind:
        organisations = organisations.filter(kind=kind)
    if county:
        organisations = organisations.filter(county__number=county)
    if current is not None:
        organisations = organisations.filter(valid_to__isnull=current)
    if q:
        organisations = organisations.filter(name__icontains=q.strip())
    rows, next_url = _page(
        request,
        organisations,
        ordering=("name", "pk"),
        cursor=cursor,
        page_size=page_size,
        salt="organisations",
    )
    return {"results": [_organisation(request, o) for o in rows], "next": next_url}


def _organisation(request: HttpRequest, org: Organisation) -> dict[str, Any]:
    return {
        **_org_ref(org),
        "municipality_number": org.municipality_number,
        "org_number": org.org_number,
        "county": org.county.name if org.county else None,
        "valid_from": org.valid_from,
        "valid_to": org.valid_to,
        "successors": [o.slug for o in org.successors.all()],
        "predecessors": [o.slug for o in org.predecessors.all()],
        "url": _url(request, org),
    }


@api.get(
    "/organisations/{slug}/",
    response={200: schemas.Organisation, **DETAIL_ERRORS},
    tags=["Katalog"],
    summary="Én organisasjon",
)
def get_organisation(request: HttpRequest, slug: Annotated[str, Path(pattern=SLUG)]):
    org = (
        Organisation.objects.select_related("county")
        .prefetch_related("successors", "predecessors")
        .filter(slug=slug)
        .first()
    )
    if org is None:
        raise Http404
    return _organisation(request, org)


def _system(request: HttpRequest, system: System) -> dict[str, Any]:
    return {
        "slug": system.slug,
        "name": system.name,
        "vendor": _org_ref(system.vendor),
        "sectors": [s.slug for s in system.sectors.all()],
        "standards": [s.name for s in system.standards.all()],
        "description": system.description,
        "website": system.website,
        "is_approved": system.is_approved,
        "url": _url(request, system),
    }


def _visible_systems(request: HttpRequest) -> QuerySet[System]:
    return (
        System.objects.visible_to(_viewer(request))
        .select_related("vendor")
        .prefetch_related("sectors", "standards")
    )


@api.get(
    "/systems/",
    response={200: schemas.SystemPage, **ERRORS},
    tags=["Katalog"],
    summary="Fagsystemene i katalogen",
)
def list_systems(
    request: HttpRequest,
    vendor: Annotated[str | None, Query(pattern=SLUG, description="Leverandørens adresse.")] = None,
    sector: Annotated[str | None, Query(pattern=SLUG)] = None,
    cursor: Cursor = None,
    page_size: PageSize = 25,
):
    systems = _visible_systems(request)
    if vendor:
        systems = systems.filter(vendor__slug=vendor)
    if sector:
        systems = systems.filter(sectors__slug=sector)
    rows, next_url = _page(
        request,
        systems,
        ordering=("name", "pk"),
        cursor=cursor,
        page_size=page_size,
        salt="systems",
    )
    return {"results": [_system(request, s) for s in rows], "next": next_url}


@api.get(
    "/systems/{slug}/",
    response={200: schemas.System, **DETAIL_ERRORS},
    tags=["Katalog"],
    summary="Ett fagsystem",
)
def get_system(request: HttpRequest, slug: Annotated[str, Path(pattern=SLUG)]):
    system = _visible_systems(request).filter(slug=slug).first()
    if system is None:
        raise Http404
    return _system(request, system)


@api.get(
    "/usages/",
    response={200: schemas.UsagePage, **ERRORS},
    tags=["Katalog"],
    summary="Hvem bruker hvilket system til hva",
)
def list_usages(
    request: HttpRequest,
    organisation: Annotated[str | None, Query(pattern=SLUG)] = None,
    system: Annotated[str | None, Query(pattern=SLUG)] = None,
    sector: Annotated[str | None, Query(pattern=SLUG)] = None,
    status: Literal["i_bruk", "valgt", "anskaffelse", "utfases", "avviklet"] | None = None,
    cursor: Cursor = None,
    page_size: PageSize = 25,
):
    usages = Usage.objects.filter(
        system__in=System.objects.visible_to(_viewer(request))
    ).select_related("organisation", "system", "sector")
    if organisation:
        usages = usages.filter(organisation__slug=organisation)
    if system:
        usages = usages.filter(system__slug=system)
    if sector:
        usages = usages.filter(sector__slug=sector)
    if status:
        usages = usages.filter(status=status)
    rows, next_url = _page(
        request, usages, ordering=("pk",), cursor=cursor, page_size=page_size, salt="usages"
    )
    return {"results": [_usage(u) for u in rows], "next": next_url}


def _usage(u: Usage) -> dict[str, Any]:
    return {
        "id": u.pk,
        "organisation": _org_ref(u.organisation),
        "system": u.system.slug,
        "sector": u.sector.slug,
        "status": u.status,
        "since": u.since,
        "until": u.until,
        "note": u.note,
        "confirmed_at": u.confirmed_at,
        "is_example": u.is_example,
    }


# The writes register on the same `api` (same paths as the reads where they share one).
from api import writes  # noqa: E402, F401

from __future__ import annotations

import logging
import sys
import uuid

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation, TooManyFieldsSent
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from ops.health import is_database_down

logger = logging.getLogger("forum.health")

DATABASE_RETRY_AFTER_SECONDS = 30
FALLBACK_PAGE = (
    '<!DOCTYPE html><html lang="nb"><meta charset="utf-8"><title>Reformforum</title>'
    "<h1>Reformforum er midlertidig utilgjengelig</h1>"
    "<p>Det du sendte ble ikke lagret. Prøv igjen om litt.</p></html>"
)
# Never echoed back into a page, whatever the form.
_SECRET_FIELDS = ("password", "csrfmiddlewaretoken", "token", "key")


def _plain_page(
    request: HttpRequest, template: str, status: int, *, with_user: bool = False, **context: object
) -> HttpResponse:
    """A page that needs neither the database nor a session: it works while they are down.

    With `with_user`, it first tries the full page (the member's name in the header), and
    falls back to the plain one if that fails.
    """
    content = None
    if with_user:
        try:
            content = render_to_string(template, context, request=request)
        except Exception:
            logger.warning("error page %s rendered without the member", template)
    context.setdefault("SITE_NAME", settings.SITE_NAME)
    # Shown as signed out: finding out who the member is may need the database.
    context.setdefault("user", AnonymousUser())
    context.setdefault("csrf_token", get_token(request))
    context.setdefault("LANGUAGE_CODE", getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE))
    try:
        content = content or render_to_string(template, context)
    except Exception:
        # The page must never fail: without templates or static files, say it in plain HTML.
        logger.exception("could not render %s", template)
        content = FALLBACK_PAGE
    response = HttpResponse(content, status=status)
    response.headers["Cache-Control"] = "no-store"
    return response


def database_unavailable(request: HttpRequest) -> HttpResponse:
    """503 while the database is away. A form that was sent comes back filled in, so the
    member can send it again once the forum is back (its one-time token makes that safe)."""
    kept = []
    if request.method == "POST":
        for name, values in request.POST.lists():
            if any(secret in name.lower() for secret in _SECRET_FIELDS) and name != "client_token":
                continue
            kept.extend((name, value) for value in values)
    response = _plain_page(
        request,
        "503.html",
        status=503,
        was_post=request.method == "POST",
        action=request.get_full_path(),
        visible_fields=[(n, v) for n, v in kept if n in {"title", "body"}],
        hidden_fields=[(n, v) for n, v in kept if n not in {"title", "body"}],
    )
    response.headers["Retry-After"] = str(DATABASE_RETRY_AFTER_SECONDS)
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: the database being down is a 503 with a friendly page, not a 500."""
    exception = sys.exc_info()[1]
    if exception is not None and is_database_down(exception):
        return database_unavailable(request)
    return _plain_page(request, "500.html", status=500)


class NulInAddress(SuspiciousOperation):
    """A NUL character in the address or its query string (forum.middleware.RefuseNulMiddleware)."""


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler400: say plainly what was wrong with what was sent."""
    if isinstance(exception, NulInAddress):
        return _plain_page(request, "400.html", status=400, reason="nul", with_user=True)
    if isinstance(exception, RequestDataTooBig):
        return _plain_page(
            request,
            "400.html",
            status=413,
            with_user=True,
            reason="too_big",
            limit_mb=round(settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 1024 / 1024, 1),
            max_chars=settings.POST_MAX_LENGTH,
        )
    if isinstance(exception, TooManyFieldsSent):
        return _plain_page(
            request, "400.html", status=400, reason="too_many_fields", with_user=True
        )
    return _plain_page(request, "400.html", status=400, reason="", with_user=True)


def _ping_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _check_database() -> str:
    try:
        _ping_database()
    except Exception as exc:
        logger.warning("health check: database unavailable: %s", type(exc).__name__)
        connection.close_if_unusable_or_obsolete()
        return "unavailable"
    return "ok"


def _check_cache() -> str:
    key = f"healthz:{uuid.uuid4().hex}"
    try:
        cache.set(key, "1", timeout=5)
        ok = cache.get(key) == "1"
        cache.delete(key)
    except Exception as exc:
        logger.warning("health check: cache unavailable: %s", type(exc).__name__)
        return "unavailable"
    return "ok" if ok else "unavailable"


@never_cache
@require_http_methods(["GET", "HEAD"])
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {"database": _check_database(), "cache": _check_cache()}
    healthy = all(state == "ok" for state in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", **checks}, status=200 if healthy else 503
    )

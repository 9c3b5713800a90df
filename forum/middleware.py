from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _

from forum import page_cache


class LanguageMiddleware:
    """Norwegian unless the member chose otherwise with the language switcher.

    Unlike Django's LocaleMiddleware this ignores the browser's Accept-Language: this is a
    Norwegian service whose English is an option, and a page then depends only on the
    language cookie, which keeps cached pages simple.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        return response


class RefuseNulMiddleware:
    """A NUL character in the address or the query string is refused at the edge with a 400.

    No page, form or stored text can hold one (forms reject it and PostgreSQL cannot store
    it), so a request carrying one is never a reader's: it is an attempt to forge something
    or to find out what a 500 reveals. Refusing it here, once, means no view has to think
    of it. Form fields are left to the forms, which show the error next to the field and
    keep the rest of what was typed.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in request.path or "\x00" in query or "%00" in query:
            from ops.views import NulInAddress, bad_request

            if request.path.startswith("/api/"):
                detail = _("Ugyldig forespørsel (adressen inneholder et nulltegn).")
                return JsonResponse({"detail": detail}, status=400)
            return bad_request(request, NulInAddress())
        return self.get_response(request)


class PublicPageCacheMiddleware:
    """Serve signed-out visitors the pages that views declare public from the shared cache
    (see forum/page_cache.py), and mark every other response `Cache-Control: private`.

    Only a GET or HEAD with no credential (`page_cache.carries_credentials`) is served or
    stored, and only for a view declared with `@public_page`: the address is resolved
    first, so nothing else is even looked up. A write over HTTP that succeeds without saying
    what it changed (`page_cache.changed`) makes every stored page stale. Last in
    MIDDLEWARE, so the outer ones (CSRF cookie, CSP, headers) apply to stored pages too.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        tags = None
        if request.method in ("GET", "HEAD") and not page_cache.carries_credentials(request):
            tags = self._public_tags(request)
        if tags is not None:
            response = self._public(request, tags)
        elif request.method in ("GET", "HEAD"):
            response = self.get_response(request)
        else:
            token = page_cache.start_declaring()
            try:
                response = self.get_response(request)
            finally:
                declared = page_cache.stop_declaring(token)
            if response.status_code < 400 and not declared:
                page_cache.changed_everything()
        if tags is None or not page_cache.storable(response):
            patch_cache_control(response, private=True)
        patch_vary_headers(response, ("Cookie", "Authorization"))
        return response

    def _public(self, request: HttpRequest, tags: list[str]) -> HttpResponse:
        seconds = settings.FORUM_PAGE_CACHE_SECONDS
        if not seconds:
            return self.get_response(request)
        key = page_cache.page_key(request)
        versions, stored = page_cache.lookup(key, tags)
        if stored is not None:
            status, content_type, content = stored
            response = HttpResponse(
                page_cache.with_token(content, get_token(request)),
                status=status,
                content_type=content_type,
            )
            response.headers["X-Page-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if request.method == "GET" and page_cache.storable(response):
            page_cache.store(key, versions, response, seconds)
        return response

    @staticmethod
    def _public_tags(request: HttpRequest) -> list[str] | None:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return None
        return page_cache.tags_of(match.func, match.kwargs)

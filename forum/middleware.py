from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import translation
from django.utils.cache import patch_vary_headers

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


class AnonymousPageCacheMiddleware:
    """Serve signed-out readers whole pages from the cache (see forum/page_cache.py).

    Only for GET and HEAD from visitors without a session or pending messages, and only
    pages that answered 200 without setting cookies or cache headers of their own
    (login_required, never_cache and redirects are never stored). Any other request that
    changes something (POST, PUT, PATCH, DELETE) and succeeds also bumps the generation, so a
    write that forgets to call ``invalidate_public_pages`` still cannot leave a stale page.
    Last in MIDDLEWARE, so the outer ones (CSRF cookie, CSP, headers) apply to cached pages.
    """

    SKIPPED_PREFIXES = ("/admin/", "/konto/", "/i18n/", "/static/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        seconds = settings.FORUM_PAGE_CACHE_SECONDS
        if request.method not in ("GET", "HEAD"):
            response = self.get_response(request)
            if seconds and response.status_code < 400:
                page_cache.invalidate_public_pages()
            return response
        if not seconds or not self._cacheable(request):
            return self.get_response(request)
        path = request.get_full_path()
        generation, stored = page_cache.lookup(path, request.LANGUAGE_CODE)
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
            page_cache.store(
                path,
                request.LANGUAGE_CODE,
                generation,
                response.status_code,
                response["Content-Type"],
                response.content,
                seconds,
            )
        return response

    def _cacheable(self, request: HttpRequest) -> bool:
        return (
            settings.SESSION_COOKIE_NAME not in request.COOKIES
            and "messages" not in request.COOKIES
            and not request.path.startswith(self.SKIPPED_PREFIXES)
        )

"""Whole pages for signed-out visitors, in the shared cache, made stale by what changed.

Who gets a stored page: a request that carries no credential (`carries_credentials`): no
session cookie, no `Authorization` header, no cookie but the CSRF and language cookies.
Which pages: only those whose view declares itself public with `@public_page(...)`, when
it answers a complete 200 that sets no cookie. Every other response is `Cache-Control:
private` (forum.middleware.PublicPageCacheMiddleware). Nothing rendered for a member is
ever stored here.

A page is stored under its scheme, host, address and language, with the *versions* of the
things it shows. A view declares those things as tags: `topic:12`, `category:<slug>`,
`sector:<slug>`, `system:<slug>`, `activity` (every list of topics and posts), and every
page also shows `site` (names, categories, the directory: anything else). A write says
what it changed with `changed(...)`; once it commits, the versions of those tags move on and
exactly the pages that show them are stale. A reply in one topic leaves every other
topic's page a hit. A write over HTTP that declares nothing moves `site` (the middleware
does it), so a write that forgets to say what it changed still cannot leave a stale page.

The CSRF token of a page's forms (the language switcher) belongs to whoever caused the
page to be rendered, so each visitor gets their own put in its place when it is served;
the token's field is found by its markup, which no escaped text on a page can imitate.
"""

from __future__ import annotations

import functools
import hashlib
import re
import time
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse

SITE = "site"
ACTIVITY = "activity"
_TOKEN_FIELD = re.compile(rb'(name="csrfmiddlewaretoken" value=")[A-Za-z0-9]+(")')

type Tags = Callable[..., Iterable[str]]

# Whether the current request's writes said what they changed (see `changed`).
_DECLARED: ContextVar[list[str] | None] = ContextVar("page_cache_declared", default=None)


def topic_tag(pk: object) -> str:
    """`topic:<id>`, the same for `7` and `"007"` (an address may spell a number either way)."""
    text = str(pk)
    return f"topic:{int(text) if text.isdecimal() else text}"


def category_tag(slug: str) -> str:
    return f"category:{slug}"


def sector_tag(slug: str) -> str:
    return f"sector:{slug}"


def system_tag(slug: str) -> str:
    return f"system:{slug}"


def nothing_but_the_site(**_kwargs: object) -> list[str]:
    """For `public_page`: a page that shows no topic or post, only what `site` covers."""
    return []


def carries_credentials(request: HttpRequest) -> bool:
    """A session, an `Authorization` header, or any cookie but the two that carry no
    identity (CSRF and language): a request with another cookie is a member's, or someone's
    we cannot tell."""
    harmless = (settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME)
    return (
        "HTTP_AUTHORIZATION" in request.META
        or "HTTP_PROXY_AUTHORIZATION" in request.META
        or any(name not in harmless for name in request.COOKIES)
    )


def public_page[V: Callable[..., HttpResponse]](tags: Tags | None = None) -> Callable[[V], V]:
    """Declare a GET view's page the same for every signed-out visitor, so it may be
    stored for them. `tags(**view_kwargs)` names what the page shows besides `site` (see
    the module's docstring); without it, the page shows `activity`."""

    def declare(view: V) -> V:
        view.public_page_tags = tags or (lambda **_kwargs: [ACTIVITY])  # type: ignore[attr-defined]
        return view

    return declare


def tags_of(view: Callable[..., object], kwargs: dict[str, object]) -> list[str] | None:
    """The tags of a public view's page with these arguments, or None if it is not public."""
    declared = getattr(view, "public_page_tags", None)
    if declared is None:
        return None
    return sorted({SITE, *declared(**kwargs)})


def _version_key(tag: str) -> str:
    return f"pagecache:v:{tag}"


def version(tag: str) -> int:
    """The current version of `tag`, for what else is kept until it changes (the header's
    unread count, the county matrix's fragment)."""
    found = cache.get(_version_key(tag))
    if found is None:
        cache.add(_version_key(tag), time.time_ns(), timeout=None)
        found = cache.get(_version_key(tag), 0)
    return found


def _bump(tags: Iterable[str]) -> None:
    for tag in tags:
        try:
            cache.incr(_version_key(tag))
        except ValueError:
            # Not there (never read, or evicted): any new value is unlike every stored one.
            cache.add(_version_key(tag), time.time_ns(), timeout=None)


def changed(*tags: str) -> None:
    """Make the pages that show `tags` stale once the current transaction commits. With no
    tags: this write changed nothing a signed-out visitor sees."""
    if (declared := _DECLARED.get()) is not None:
        declared.extend(tags or [""])
    if tags:
        transaction.on_commit(functools.partial(_bump, tuple(sorted(set(tags)))))


def changed_everything() -> None:
    changed(SITE)


def invalidates_public_pages[**P, R](action: Callable[P, R]) -> Callable[P, R]:
    """For an action (inside its transaction) whose change may show anywhere: every stored
    page goes stale when it commits."""

    @functools.wraps(action)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        changed_everything()
        return action(*args, **kwargs)

    return wrapper


def start_declaring() -> object:
    """For the middleware: collect what this request's writes say they changed."""
    return _DECLARED.set([])


def stop_declaring(token: object) -> bool:
    """Did any write of this request say what it changed?"""
    declared = _DECLARED.get()
    _DECLARED.reset(token)  # type: ignore[arg-type]
    return bool(declared)


@functools.cache
def release() -> str:
    """A digest of the forum's own code and templates. Pages are stored under it, so a
    deploy that changes what a page shows starts with none of the pages stored before."""
    from django.apps import apps

    root = Path(settings.BASE_DIR).resolve()
    own_apps = [Path(config.path).resolve() for config in apps.get_app_configs()]
    folders = [root / "templates"] + [
        path
        for path in own_apps
        if path.is_relative_to(root) and "site-packages" not in path.parts  # not a venv's
    ]
    digest = hashlib.md5(usedforsecurity=False)
    for folder in [root / "forum", *folders]:
        for path in sorted(folder.rglob("*")):
            if path.suffix in (".py", ".html") and path.is_file():
                digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def page_key(request: HttpRequest) -> str:
    """Scheme, host, address and language: a page made for one host (its links, its feed
    ids) is never served for another."""
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    digest = hashlib.md5(address.encode(), usedforsecurity=False).hexdigest()
    return f"pagecache:{release()}:{request.LANGUAGE_CODE}:{digest}"


type Stored = tuple[int, str, bytes]


def lookup(key: str, tags: list[str]) -> tuple[dict[str, int], Stored | None]:
    """The current versions of `tags`, and the page stored under `key` if it was made with
    those versions: one round trip to the cache."""
    version_keys = [_version_key(tag) for tag in tags]
    found = cache.get_many([key, *version_keys])
    missing = [tag for tag, vkey in zip(tags, version_keys, strict=True) if vkey not in found]
    if missing:
        for tag in missing:
            cache.add(_version_key(tag), time.time_ns(), timeout=None)
        found |= cache.get_many([_version_key(tag) for tag in missing])
    versions = {tag: found.get(_version_key(tag), 0) for tag in tags}
    stored = found.get(key)
    if missing or stored is None or stored[0] != versions:
        return versions, None
    return versions, stored[1:]


def store(key: str, versions: dict[str, int], response: HttpResponse, timeout: int) -> None:
    cache.set(
        key, (versions, response.status_code, response["Content-Type"], response.content), timeout
    )


def storable(response: HttpResponse) -> bool:
    """A complete 200 answer that sets no cookie and says nothing of caching on its own."""
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "Cache-Control" not in response.headers
        and "Vary" not in response.headers
    )


def with_token(content: bytes, token: str) -> bytes:
    """The stored page with this visitor's CSRF token in each form."""
    return _TOKEN_FIELD.sub(rb"\g<1>" + token.encode() + rb"\g<2>", content)

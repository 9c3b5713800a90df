"""Whole signed-out pages in the cache, dropped all at once by any write.

A page is stored under its address and language together with the *generation* it was
rendered in. Every write that can change what a signed-out reader sees bumps the
generation (one INCR, after the transaction commits), which makes every stored page stale
at once: nothing has to know which pages a reply or an edit appears on. Reading the
generation and the page is one round trip (``get_many``).

The CSRF token of the page's forms (the language switcher) belongs to whoever caused the
page to be rendered, so it is stored as a placeholder and each visitor gets their own.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import re
import time
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse

GENERATION_KEY = "pagecache:generation"
_TOKEN = re.compile(rb'(name="csrfmiddlewaretoken" value=")[A-Za-z0-9]+(")')
TOKEN_PLACEHOLDER = b"\x00csrf\x00"
_TOKEN_TAG = b"csrf"


def generation() -> int:
    return cache.get(GENERATION_KEY) or _start_generation()


def _start_generation() -> int:
    # Not 1: if the generation is ever lost while old pages survive, they must not match.
    cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
    return cache.get(GENERATION_KEY)


def _bump() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        _start_generation()


def invalidate_public_pages() -> None:
    """Make every cached signed-out page stale once the current transaction commits."""
    transaction.on_commit(_bump)


def _digest(text: str) -> str:
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


@functools.cache
def release() -> str:
    """A digest of the forum's own code and templates. Pages are stored under it, so a
    deploy that changes what a page shows (or which parts of a members' page are their
    own) starts with none of the pages the code before it stored."""
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


_READ: ContextVar[list[int] | None] = ContextVar("page_cache_generations_read", default=None)


@contextlib.contextmanager
def generations_read() -> Iterator[list[int]]:
    """The generations that `remembered` answers inside the block were read with."""
    seen: list[int] = []
    token = _READ.set(seen)
    try:
        yield seen
    finally:
        _READ.reset(token)


def remembered(key: str, compute: Callable[[], object], timeout: int) -> object:
    """`compute()`, kept until the next write: for what only writes change (which
    categories a member may read), never for what time changes (a silence running out)."""
    found = cache.get_many([GENERATION_KEY, key])
    current = found.get(GENERATION_KEY) or _start_generation()
    if (seen := _READ.get()) is not None:
        seen.append(current)
    stored = found.get(key)
    if stored is not None and stored[0] == current:
        return stored[1]
    value = compute()
    cache.set(key, (current, value), timeout)
    return value


def page_key(path: str, language: str, reader: str = "") -> str:
    """Signed-out pages have no reader; members' shared pages (forum/member_cache.py) are
    stored per reader key, so the two never meet."""
    if reader:
        return f"pagecache:{release()}:{language}:r{_digest(reader)}:{_digest(path)}"
    return f"pagecache:{release()}:{language}:{_digest(path)}"


def lookup(path: str, language: str, reader: str = "") -> tuple[int, tuple[int, str, bytes] | None]:
    """The current generation, and the stored page if it is of that generation."""
    key = page_key(path, language, reader)
    found = cache.get_many([GENERATION_KEY, key])
    current = found.get(GENERATION_KEY) or _start_generation()
    stored = found.get(key)
    if stored is None or stored[0] != current:
        return current, None
    return current, stored[1:]


def store(
    path: str,
    language: str,
    generation: int,
    status: int,
    content_type: str,
    content: bytes,
    timeout: int,
    reader: str = "",
) -> None:
    """Store the page with its CSRF tokens as placeholders."""
    content = _TOKEN.sub(rb"\1" + TOKEN_PLACEHOLDER + rb"\2", content)
    cache.set(
        page_key(path, language, reader), (generation, status, content_type, content), timeout
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


def pieces(content: bytes) -> list[bytes]:
    """A stored page cut at its NUL characters, which only its placeholders hold (no
    stored text can: forms reject NUL and PostgreSQL cannot store it). Found byte by byte
    with the C library's memchr: a regular expression over a 300 kB page (the county
    matrix) took a millisecond, this a fiftieth of one."""
    found, start = [], 0
    while (nul := content.find(b"\x00", start)) >= 0:
        found.append(content[start:nul])
        start = nul + 1
    found.append(content[start:])
    return found


def with_token(content: bytes, token: str) -> bytes:
    """The stored page with the visitor's CSRF token in each form."""
    parts = pieces(content)
    if len(parts) == 1:
        return content
    # Each placeholder "\0csrf\0" leaves the piece "csrf" between the page's own text.
    if any(tag != _TOKEN_TAG for tag in parts[1::2]):
        raise ValueError("a stored signed-out page holds a placeholder other than its token")
    parts[1::2] = [token.encode()] * (len(parts) // 2)
    return b"".join(parts)


def invalidates_public_pages[**P, R](action: Callable[P, R]) -> Callable[P, R]:
    """For an action (inside its transaction): signed-out pages go stale when it commits."""

    @functools.wraps(action)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        invalidate_public_pages()
        return action(*args, **kwargs)

    return wrapper

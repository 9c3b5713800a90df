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

import functools
import hashlib
import re
import time
from collections.abc import Callable

from django.core.cache import cache
from django.db import transaction

GENERATION_KEY = "pagecache:generation"
_TOKEN = re.compile(rb'(name="csrfmiddlewaretoken" value=")[A-Za-z0-9]+(")')
TOKEN_PLACEHOLDER = b"\x00csrf\x00"


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


def page_key(path: str, language: str) -> str:
    return f"pagecache:{language}:{hashlib.md5(path.encode(), usedforsecurity=False).hexdigest()}"


def lookup(path: str, language: str) -> tuple[int, tuple[int, str, bytes] | None]:
    """The current generation, and the stored page if it is of that generation."""
    key = page_key(path, language)
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
) -> None:
    content = _TOKEN.sub(rb"\1" + TOKEN_PLACEHOLDER + rb"\2", content)
    cache.set(page_key(path, language), (generation, status, content_type, content), timeout)


def with_token(content: bytes, token: str) -> bytes:
    return (
        content.replace(TOKEN_PLACEHOLDER, token.encode())
        if TOKEN_PLACEHOLDER in content
        else content
    )


def invalidates_public_pages[**P, R](action: Callable[P, R]) -> Callable[P, R]:
    """For an action (inside its transaction): signed-out pages go stale when it commits."""

    @functools.wraps(action)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        invalidate_public_pages()
        return action(*args, **kwargs)

    return wrapper

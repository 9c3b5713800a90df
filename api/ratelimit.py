"""A small cache-based rate limit for the API: a fixed one-minute window per caller.

The caller is the personal token's owner, or the client address when signed out (the one
rule for it, forum.ratelimit.client_ip). With Redis as the cache the count is shared by every worker; with the local-memory cache
(development) each process counts on its own.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from ninja.throttling import BaseThrottle

from forum.ratelimit import client_ip

WINDOW_SECONDS = 60


def caller_key(request: HttpRequest) -> tuple[str, int]:
    user = getattr(request, "auth", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}", settings.API_RATE_LIMIT_TOKEN
    return f"addr:{client_ip(request)}", settings.API_RATE_LIMIT_ANONYMOUS


class ApiRateLimit(BaseThrottle):
    def __init__(self) -> None:
        self._wait = 0.0

    def allow_request(self, request: HttpRequest) -> bool:
        ident, limit = caller_key(request)
        now = time.time()
        window = int(now // WINDOW_SECONDS)
        key = f"api-rate:{ident}:{window}"
        cache.add(key, 0, timeout=WINDOW_SECONDS + 5)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=WINDOW_SECONDS + 5)
            count = 1
        remaining = max(limit - count, 0)
        request.api_rate = (limit, remaining, (window + 1) * WINDOW_SECONDS - int(now))
        if count > limit:
            self._wait = (window + 1) * WINDOW_SECONDS - now
            return False
        return True

    def wait(self) -> float:
        return self._wait

"""The API's rate limit: forum.ratelimit's fixed window, one minute per caller.

The caller is the personal token's owner, or the client address when signed out (the one
rule for it, forum.ratelimit.client_ip). With Redis as the cache the count is shared by every worker; with the local-memory cache
(development) each process counts on its own.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from ninja.throttling import BaseThrottle

from forum.ratelimit import Rate, client_ip, use

WINDOW_SECONDS = 60


def caller_key(request: HttpRequest) -> tuple[str, int]:
    user = getattr(request, "auth", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}", settings.API_RATE_LIMIT_TOKEN
    return f"addr:{client_ip(request)}", settings.API_RATE_LIMIT_ANONYMOUS


class ApiRateLimit(BaseThrottle):
    """django-ninja's throttle over forum.ratelimit's counter (one rule, one window)."""

    def __init__(self) -> None:
        self._wait = 0.0

    def allow_request(self, request: HttpRequest) -> bool:
        ident, limit = caller_key(request)
        usage = use("api", ident, Rate(count=limit, seconds=WINDOW_SECONDS))
        request.api_rate = (limit, usage.remaining, int(usage.reset_in))
        if not usage.allowed:
            self._wait = usage.reset_in
            return False
        return True

    def wait(self) -> float:
        return self._wait

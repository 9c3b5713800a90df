"""Rate limits on what costs us or others something: posting, reports, search.

Fixed windows counted in Django's cache, so that every app server shares one count when
the cache is Redis. Sign-up, sign-in and password reset are limited by allauth
(ACCOUNT_RATE_LIMITS); its 429 answers come through `rate_limited` below as well.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int

    @classmethod
    def parse(cls, text: str) -> Rate:
        """'10/m', '100/h' or '5/30s'."""
        count, period = text.split("/")
        multiplier = int(period[:-1] or 1)
        return cls(count=int(count), seconds=multiplier * _UNITS[period[-1]])


def client_ip(request: HttpRequest) -> str:
    """The client's address, for every limit (the forum's, the API's, allauth's sign-in).

    Each of the FORUM_TRUSTED_PROXY_COUNT proxies in front of the app appends the address it
    got the request from to X-Forwarded-For, so the client's is that many hops from the right.
    Whatever is left of it, the client wrote itself. A header with fewer hops did not come
    through the proxies, and counts for nothing.
    """
    proxies = settings.FORUM_TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    if proxies and len(hops) >= proxies:
        return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def _identity(request: HttpRequest) -> str:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return f"ip:{client_ip(request)}"


@dataclass(frozen=True)
class Usage:
    """One caller's use of one limit in the current window."""

    count: int
    limit: int
    reset_in: float  # seconds until the window ends

    @property
    def allowed(self) -> bool:
        return self.count <= self.limit

    @property
    def remaining(self) -> int:
        return max(self.limit - self.count, 0)


def use(scope: str, identity: str, rate: Rate) -> Usage:
    """Count one use in the fixed window: the one counter of the forms, allauth and the API."""
    now = time.time()
    window = int(now // rate.seconds)
    key = f"ratelimit:{scope}:{identity}:{window}"
    cache.add(key, 0, timeout=rate.seconds + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=rate.seconds + 1)
        count = 1
    return Usage(count=count, limit=rate.count, reset_in=(window + 1) * rate.seconds - now)


def hit(scope: str, identity: str, rate: Rate) -> int:
    """Count one use. Returns 0 when allowed, else the whole seconds until the window ends."""
    usage = use(scope, identity, rate)
    return 0 if usage.allowed else int(usage.reset_in) + 1


def rate_limited(
    request: HttpRequest, exception: Exception | None = None, *, retry_after: int = 60
) -> HttpResponse:
    """The 429 page: what happened, how long to wait, and the member's text if any."""
    response = render(
        request,
        "429.html",
        {"retry_after": retry_after, "kept_body": request.POST.get("body", "")},
        status=429,
    )
    response.headers["Retry-After"] = str(retry_after)
    return response


def ratelimit(scope: str, *, methods: tuple[str, ...] = ("POST",)) -> Callable:
    """Limit a view by the rate in settings.FORUM_RATE_LIMITS[scope], per member or IP."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
            rate_text = settings.FORUM_RATE_LIMITS.get(scope)
            if rate_text and request.method in methods:
                retry_after = hit(scope, _identity(request), Rate.parse(rate_text))
                if retry_after:
                    return rate_limited(request, retry_after=retry_after)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator

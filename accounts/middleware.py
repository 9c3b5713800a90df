from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

from accounts.adapter import suspended_response


class SuspendedMemberMiddleware:
    """Ends the session of a member who was suspended while signed in."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and user.is_suspended:
            logout(request)
            return suspended_response(request, user)
        return self.get_response(request)

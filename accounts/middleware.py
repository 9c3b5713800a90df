from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts import permissions
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


class ModeratorTwoFactorMiddleware:
    """Moderator tools and the Django admin refuse a moderator or staff member who has not set
    up two-factor sign-in, with a link to set it up. Members without the role are left to the
    views, which answer as they always have (404 or 403)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        user = request.user
        guarded = getattr(view_func, "moderator_tool", False) or (
            request.path.startswith("/admin/") and not request.path.startswith("/admin/login/")
        )
        if not guarded or not permissions.needs_two_factor(user):
            return None
        if permissions.has_two_factor(user):
            return None
        return render(request, "accounts/two_factor_required.html", status=403)

"""allauth hooks: a suspended member is told why, and not signed in."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def suspended_response(request: HttpRequest, member: Any) -> HttpResponse:
    return render(request, "accounts/suspended.html", {"member": member}, status=403)


class AccountAdapter(DefaultAccountAdapter):
    def pre_login(self, request: HttpRequest, user: Any, **kwargs: Any) -> HttpResponse | None:
        if getattr(user, "is_suspended", False):
            return suspended_response(request, user)
        return super().pre_login(request, user, **kwargs)

"""allauth hooks: a suspended member is told why, and not signed in; account e-mail goes
out through the task worker."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.contrib.sites.requests import RequestSite
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.tasks import send_account_email
from forum.ratelimit import client_ip


def suspended_response(request: HttpRequest, member: Any) -> HttpResponse:
    return render(request, "accounts/suspended.html", {"member": member}, status=403)


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request: HttpRequest) -> str:
        # The sign-in limits (ACCOUNT_RATE_LIMITS) count the address the forum's do.
        return client_ip(request)

    def pre_login(self, request: HttpRequest, user: Any, **kwargs: Any) -> HttpResponse | None:
        if getattr(user, "is_suspended", False):
            return suspended_response(request, user)
        return super().pre_login(request, user, **kwargs)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        # Queued in the request's transaction: with the database task backend the message
        # is sent once the transaction commits, by exactly one worker.
        request = allauth_context.request
        site = RequestSite(request)
        site.name = settings.SITE_NAME  # «Hei fra Reformforum!», not the host
        message = self.render_mail(
            template_prefix,
            email,
            {"request": request, "email": email, "current_site": site, **context},
        )
        html = next(
            (content for content, mimetype in message.alternatives if mimetype == "text/html"),
            None,
        )
        send_account_email.enqueue(
            subject=message.subject,
            body=message.body,
            from_email=message.from_email,
            to=list(message.to),
            html=html,
        )

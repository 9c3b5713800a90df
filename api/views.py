"""Members' own API tokens: list, create (the secret is shown once), revoke; and the webhooks
of their organisation (or, for moderators, their own): list with the delivery log, register
(the secret is shown once), switch off and on, delete."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from api import actions, permissions, webhooks
from api.forms import NewTokenForm, NewWebhookForm
from api.models import WebhookDelivery, WebhookEndpoint
from forum.forms import form_status

_NEW_SECRET = "api_new_token_secret"  # noqa: S105 (a session key)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    may_create = permissions.can_create_api_token(request.user)
    form = NewTokenForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if not may_create:
            raise PermissionDenied
        if form.is_valid():
            try:
                new = actions.create_token(
                    user=request.user,
                    name=form.cleaned_data["name"],
                    scopes=form.cleaned_data["scopes"],
                    expires_at=form.expires_at(),
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                # Shown on the next page only, then gone: we keep only its hash.
                request.session[_NEW_SECRET] = {"id": new.token.pk, "secret": new.secret}
                return redirect("api_tokens")
    new_secret = request.session.pop(_NEW_SECRET, None) if request.method != "POST" else None
    return render(
        request,
        "api/tokens.html",
        {
            "form": form,
            "may_create": may_create,
            "tokens": request.user.api_tokens.all(),
            "new_secret": new_secret,
        },
        status=form_status(form),
    )


@login_required
@require_POST
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(request.user.api_tokens.all(), pk=pk)
    actions.revoke_token(token=token, by=request.user)
    messages.success(request, _("Nøkkelen «%(name)s» er trukket tilbake.") % {"name": token.name})
    return redirect("api_tokens")


_NEW_WEBHOOK_SECRET = "api_new_webhook_secret"  # noqa: S105 (a session key)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def webhook_list(request: HttpRequest) -> HttpResponse:
    may_register = permissions.can_register_webhook(request.user)
    # Without an organisation to speak for or the moderator role, the form offers no owner:
    # a POST is refused by the field (400) and stores nothing.
    form = NewWebhookForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        if not permissions.can_register_webhook_for(request.user, form.organisation()):
            raise PermissionDenied
        data = form.cleaned_data
        try:
            new = webhooks.create_endpoint(
                by=request.user,
                url=data["url"],
                organisation=form.organisation(),
                events=data["events"],
                description=data["description"],
                categories=data["categories"],
                sectors=data["sectors"],
                systems=data["systems"],
            )
        except ValidationError as exc:
            form.add_error("url", exc)
        else:
            request.session[_NEW_WEBHOOK_SECRET] = {
                "id": new.endpoint.pk,
                "secret": new.secret,
            }
            return redirect("api_webhooks")
    new_secret = (
        request.session.pop(_NEW_WEBHOOK_SECRET, None) if request.method != "POST" else None
    )
    endpoints = (
        WebhookEndpoint.objects.managed_by(request.user)
        .select_related("organisation", "created_by")
        .prefetch_related(
            "categories",
            "sectors",
            "systems",
            Prefetch(
                "deliveries",
                queryset=WebhookDelivery.objects.order_by("-created_at", "-pk")[:20],
                to_attr="recent_deliveries",
            ),
        )
    )
    return render(
        request,
        "api/webhooks.html",
        {
            "form": form,
            "may_register": may_register,
            "endpoints": endpoints,
            "new_secret": new_secret,
        },
        status=form_status(form),
    )


def _managed(request: HttpRequest, pk: int) -> WebhookEndpoint:
    endpoint = get_object_or_404(WebhookEndpoint, pk=pk)
    if not permissions.can_manage_webhook(request.user, endpoint):
        raise PermissionDenied
    return endpoint


@login_required
@require_POST
def webhook_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint = _managed(request, pk)
    webhooks.set_active(endpoint=endpoint, active=not endpoint.is_active)
    if endpoint.is_active:
        messages.success(request, _("Webhooken til %(url)s er slått på.") % {"url": endpoint.url})
    else:
        messages.success(request, _("Webhooken til %(url)s er slått av.") % {"url": endpoint.url})
    return redirect("api_webhooks")


@login_required
@require_POST
def webhook_delete(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint = _managed(request, pk)
    url = endpoint.url
    webhooks.delete_endpoint(endpoint=endpoint)
    messages.success(request, _("Webhooken til %(url)s er slettet.") % {"url": url})
    return redirect("api_webhooks")

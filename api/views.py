"""Members' own API tokens: list, create (the secret is shown once), revoke."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from api import actions, permissions
from api.forms import NewTokenForm
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

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from accounts import actions
from accounts.forms import DeleteAccountForm, ProfileForm
from accounts.models import Organisation
from forum.ratelimit import ratelimit


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = ProfileForm(
        request.POST or None,
        initial={
            "display_name": user.display_name,
            "job_title": user.job_title,
            "organisation": user.organisation_id,
        },
    )
    if request.method == "POST" and form.is_valid():
        actions.update_profile(user=user, **form.cleaned_data)
        messages.success(request, _("Profilen er lagret."))
        return redirect("accounts:profile")
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "accounts/profile.html", {"form": form}, status=status)


@require_http_methods(["GET", "HEAD"])
def organisation(request: HttpRequest, slug: str) -> HttpResponse:
    org = get_object_or_404(
        Organisation.objects.select_related("county").prefetch_related(
            "predecessors", "successors", "domains"
        ),
        slug=slug,
    )
    members = (
        org.members.filter(is_active=True)
        .exclude(organisation_verification="")
        .order_by("display_name")
    )
    return render(request, "accounts/organisation.html", {"organisation": org, "members": members})


@login_required
@require_http_methods(["GET", "HEAD"])
def my_data(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/my_data.html")


@never_cache
@login_required
@ratelimit("export", methods=("GET",))
@require_http_methods(["GET"])
def export_data(request: HttpRequest) -> HttpResponse:
    data = actions.export_member_data(user=request.user)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    filename = f"reformforum-mine-data-{timezone.localdate():%Y-%m-%d}.json"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        actions.delete_account(user=request.user)
        logout(request)
        messages.success(request, _("Kontoen din er slettet. Takk for bidragene dine."))
        return redirect("topics:index")
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "accounts/delete_account.html", {"form": form}, status=status)


@require_http_methods(["GET", "HEAD"])
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/privacy.html")

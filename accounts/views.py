from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts import actions
from accounts.forms import ProfileForm
from accounts.models import Organisation


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

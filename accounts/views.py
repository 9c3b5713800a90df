from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from accounts import actions, avatars, permissions
from accounts.decorators import moderator_tool
from accounts.forms import (
    AvatarForm,
    DeleteAccountForm,
    GroupForm,
    GroupInvitationForm,
    GroupMemberForm,
    ProfileForm,
    TenantForm,
)
from accounts.models import MemberGroup, Organisation, User
from forum.forms import form_status
from forum.page_cache import nothing_but_the_site, public_page
from forum.ratelimit import ratelimit


def _profile_form(request: HttpRequest) -> ProfileForm:
    user = request.user
    return ProfileForm(
        request.POST or None,
        initial={
            "display_name": user.display_name,
            "job_title": user.job_title,
            "organisation": user.organisation_id,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    form = _profile_form(request)
    if request.method == "POST" and form.is_valid():
        actions.update_profile(user=request.user, **form.cleaned_data)
        messages.success(request, _("Profilen er lagret."))
        return redirect("accounts:profile")
    status = form_status(form)
    context = {"form": form, "avatar_form": AvatarForm()}
    return render(request, "accounts/profile.html", context, status=status)


@login_required
@ratelimit("avatar", methods=("POST",))
@require_http_methods(["POST"])
def profile_picture(request: HttpRequest) -> HttpResponse:
    avatar_form = AvatarForm(request.POST, request.FILES)
    if avatar_form.is_valid():
        picture = avatar_form.cleaned_data["picture"]
        try:
            if picture:
                actions.set_avatar(user=request.user, upload=picture, name=picture.name)
                messages.success(request, _("Bildet er lagret."))
            else:
                actions.remove_avatar(user=request.user)
                messages.success(request, _("Bildet er fjernet."))
        except ValidationError as error:
            avatar_form.add_error("picture", error)
        else:
            return redirect("accounts:profile")
    form = ProfileForm(
        initial={
            "display_name": request.user.display_name,
            "job_title": request.user.job_title,
            "organisation": request.user.organisation_id,
        }
    )
    context = {"form": form, "avatar_form": avatar_form}
    return render(request, "accounts/profile.html", context, status=form_status(avatar_form))


@require_http_methods(["GET", "HEAD"])
def avatar(request: HttpRequest, pk: int, key: str) -> FileResponse:
    """A member's picture, for anyone who may see the member's page. Its address names
    the picture, so it is cached for a year; another picture has another address."""
    member = get_object_or_404(User.objects.with_public_page().exclude(avatar=""), pk=pk)
    if avatars.key_of(member.avatar.name) != key:
        raise Http404
    try:
        handle = member.avatar.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type="image/webp")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


@public_page()
@require_http_methods(["GET", "HEAD"])
def organisation(request: HttpRequest, slug: str) -> HttpResponse:
    org = get_object_or_404(
        Organisation.objects.select_related("county").prefetch_related(
            "predecessors", "successors", "domains"
        ),
        slug=slug,
    )
    return _organisation_page(request, org)


def _organisation_page(
    request: HttpRequest, org: Organisation, tenant_form: TenantForm | None = None
) -> HttpResponse:
    members = (
        org.members.filter(is_active=True)
        .exclude(organisation_verification="")
        .order_by("display_name")
    )
    context = {"organisation": org, "members": members}
    if permissions.can_manage_tenants(request.user):
        context["tenants"] = org.tenants.all()
        context["tenant_form"] = tenant_form or TenantForm()
    status = form_status(tenant_form) if tenant_form is not None else 200
    return render(request, "accounts/organisation.html", context, status=status)


@moderator_tool
@login_required
@require_http_methods(["POST"])
def organisation_tenants(request: HttpRequest, slug: str) -> HttpResponse:
    if not permissions.can_manage_tenants(request.user):
        raise Http404
    org = get_object_or_404(Organisation, slug=slug)
    if remove := request.POST.get("remove"):
        tenant = get_object_or_404(org.tenants, pk=remove if remove.isdigit() else 0)
        actions.remove_organisation_tenant(tenant=tenant, by=request.user)
        messages.success(request, _("Tenanten er fjernet."))
        return redirect(org)
    form = TenantForm(request.POST)
    if form.is_valid():
        try:
            actions.add_organisation_tenant(
                organisation=org, tenant_id=form.cleaned_data["tenant_id"], by=request.user
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Tenanten er lagt til."))
            return redirect(org)
    return _organisation_page(request, org, tenant_form=form)


# ---- Groups ---------------------------------------------------------------------------


def _require_group_manager(request: HttpRequest) -> None:
    if not permissions.can_manage_groups(request.user):
        raise Http404


@moderator_tool
@login_required
@require_http_methods(["GET", "POST"])
def groups(request: HttpRequest) -> HttpResponse:
    _require_group_manager(request)
    form = GroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        group = actions.create_group(
            name=form.cleaned_data["name"],
            description=form.cleaned_data["description"],
            by=request.user,
        )
        messages.success(request, _("Gruppen er opprettet."))
        return redirect(group)
    all_groups = MemberGroup.objects.annotate(member_count=Count("memberships")).order_by("name")
    status = form_status(form)
    return render(
        request, "accounts/groups.html", {"groups": all_groups, "form": form}, status=status
    )


@moderator_tool
@login_required
@require_http_methods(["GET", "POST"])
def group(request: HttpRequest, slug: str) -> HttpResponse:
    _require_group_manager(request)
    group = get_object_or_404(MemberGroup, slug=slug)
    action = request.POST.get("action", "")
    member_form = GroupMemberForm(request.POST if action == "add" else None, prefix="medlem")
    invite_form = GroupInvitationForm(request.POST if action == "invite" else None, prefix="inv")
    if action == "add" and member_form.is_valid():
        actions.add_group_member(group=group, user=member_form.member, by=request.user)
        messages.success(request, _("Medlemmet er lagt til i gruppen."))
        return redirect(group)
    if action == "invite" and invite_form.is_valid():
        actions.invite_to_group(
            group=group,
            email=invite_form.cleaned_data["email"],
            by=request.user,
            accept_url=lambda token: request.build_absolute_uri(
                reverse("accounts:group_invitation", kwargs={"token": token})
            ),
        )
        messages.success(request, _("Invitasjonen er sendt."))
        return redirect(group)
    if action == "remove":
        member = get_object_or_404(group.members, pk=request.POST.get("member", "0") or 0)
        actions.remove_group_member(group=group, user=member, by=request.user)
        messages.success(request, _("%(name)s er fjernet fra gruppen.") % {"name": member})
        return redirect(group)
    status = form_status(member_form, invite_form)
    context = {
        "group": group,
        "memberships": group.memberships.select_related("user__organisation").order_by(
            "user__display_name"
        ),
        "invitations": group.invitations.filter(accepted_at__isnull=True),
        "member_form": member_form,
        "invite_form": invite_form,
    }
    return render(request, "accounts/group.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def group_invitation(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = actions.invitation_from_token(token)
    except actions.InvalidInvitation as exc:
        return render(request, "accounts/group_invitation.html", {"error": str(exc)}, status=400)
    if request.method == "POST":
        try:
            joined = actions.accept_group_invitation(token=token, user=request.user)
        except actions.InvalidInvitation as exc:
            context = {"invitation": invitation, "error": str(exc)}
            return render(request, "accounts/group_invitation.html", context, status=400)
        messages.success(request, _("Du er nå med i gruppen «%(group)s».") % {"group": joined})
        return redirect("topics:index")
    return render(request, "accounts/group_invitation.html", {"invitation": invitation})


# ---- The member's own data (GDPR) ---------------------------------------------------


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
    status = form_status(form)
    return render(request, "accounts/delete_account.html", {"form": form}, status=status)


@public_page(nothing_but_the_site)
@require_http_methods(["GET", "HEAD"])
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/privacy.html")

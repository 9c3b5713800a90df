"""Oppfølging: every agreed next step, who follows it up, and how far it has come."""

from __future__ import annotations

from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, IntegerField, Prefetch, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.models import Organisation
from followup import actions as followup_actions
from followup import permissions
from followup.forms import ActionItemForm, ActionItemUpdateForm
from followup.models import ActionItem, ActionItemUpdate
from forum.forms import add_errors, form_status
from forum.query import slug_or_none
from topics.models import Topic

_STATUS_ORDER = Case(
    *(
        When(status=status, then=Value(number))
        for number, status in enumerate(ActionItem.Status.values)
    ),
    output_field=IntegerField(),
)


@require_http_methods(["GET", "HEAD"])
def overview(request: HttpRequest) -> HttpResponse:
    items = ActionItem.objects.visible_to(request.user).for_overview()
    organisation = None
    if slug := slug_or_none(request.GET.get("org")):
        organisation = Organisation.objects.filter(slug=slug).first()
        items = items.filter(responsible_organisation=organisation) if organisation else items
    status = request.GET.get("status", "")
    if status in ActionItem.Status.values:
        items = items.filter(status=status)
    if request.GET.get("uavklart"):
        items = items.filter(responsible_organisation__isnull=True)
    today = timezone.localdate()
    overdue = list(items.overdue().order_by("due_date", "pk"))
    ordered = items.annotate(status_order=_STATUS_ORDER).order_by(
        "responsible_organisation__name",
        "status_order",
        "topic__workshop__number",
        "position",
        "pk",
    )
    rows = list(ordered)
    # Items nobody is responsible for yet ("Uavklart") come last.
    rows.sort(key=lambda item: item.responsible_organisation_id is None)
    groups = [
        (org, [(s, list(its)) for s, its in groupby(org_items, key=lambda i: i.status)])
        for org, org_items in (
            (org, list(its)) for org, its in groupby(rows, key=lambda i: i.responsible_organisation)
        )
    ]
    responsible = (
        Organisation.objects.filter(action_items__in=ActionItem.objects.visible_to(request.user))
        .distinct()
        .order_by("name")
    )
    return render(
        request,
        "followup/overview.html",
        {
            "overdue": overdue,
            "groups": groups,
            "count": len(rows),
            "today": today,
            "organisations": responsible,
            "selected_org": organisation,
            "selected_status": status,
            "statuses": ActionItem.Status.choices,
        },
    )


def _visible_item(request: HttpRequest, pk: int) -> ActionItem:
    return get_object_or_404(
        ActionItem.objects.visible_to(request.user)
        .for_overview()
        .prefetch_related(
            Prefetch(
                "updates",
                queryset=ActionItemUpdate.objects.select_related("author__organisation", "post"),
            )
        ),
        pk=pk,
    )


@require_http_methods(["GET", "POST"])
def item(request: HttpRequest, pk: int) -> HttpResponse:
    action_item = _visible_item(request, pk)
    can_update = permissions.can_update_action_item(request.user, action_item)
    form = None
    if can_update:
        form = ActionItemUpdateForm(request.POST or None, initial={"status": action_item.status})
    elif request.method == "POST":
        raise PermissionDenied
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            followup_actions.update_action_item(
                item=action_item,
                by=request.user,
                status=form.cleaned_data["status"],
                text=form.cleaned_data["text"],
                post_number=form.cleaned_data["post_number"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Oppfølgingspunktet er oppdatert."))
            return redirect("followup:item", pk=action_item.pk)
    status = form_status(form)
    return render(
        request,
        "followup/item.html",
        {"item": action_item, "form": form},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def create_item(request: HttpRequest, pk: int) -> HttpResponse:
    topic = get_object_or_404(Topic.objects.visible_to(request.user), pk=pk)
    if not permissions.can_manage_action_items(request.user, topic):
        raise PermissionDenied
    form = ActionItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            followup_actions.create_action_item(topic=topic, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Oppfølgingspunktet er lagt til."))
            return redirect(f"{topic.get_absolute_url()}#oppfolging")
    status = form_status(form)
    return render(request, "followup/new_item.html", {"topic": topic, "form": form}, status=status)

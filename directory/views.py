from __future__ import annotations

import io
import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import moderator_tool
from accounts.models import County, Organisation
from directory import actions, opendata, permissions, queries
from directory.forms import DirectoryFilterForm, ImportForm, SystemForm, UsageForm
from directory.models import System, Usage
from forum.forms import form_status
from forum.page_cache import nothing_but_the_site, public_page, system_tag
from forum.query import slug_or_none

USAGES_PER_PAGE = 50


def _forbidden(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "directory/forbidden.html", {"message": message}, status=403)


@public_page(nothing_but_the_site)
@require_http_methods(["GET", "HEAD"])
def home(request: HttpRequest) -> HttpResponse:
    form = DirectoryFilterForm(request.GET or None)
    approved = Usage.objects.of_approved_systems()
    usages = form.filter(approved)
    form.count_systems(
        dict(form.filter(approved, but="system").values_list("system").annotate(n=Count("pk")))
    )
    totals = usages.aggregate(
        usages=Count("pk"),
        organisations=Count("organisation", distinct=True),
        systems=Count("system", distinct=True),
        examples=Count("pk", filter=Q(is_example=True)),
    )
    status_counts = dict(usages.values_list("status").annotate(n=Count("pk")).order_by())
    top_systems = (
        usages.values("system__name", "system__slug", "system__vendor__name")
        .annotate(n=Count("organisation", distinct=True))
        .order_by("-n", "system__name")[:10]
    )
    page = Paginator(
        usages.for_listing().order_by("organisation__name", "sector__position", "system__name"),
        USAGES_PER_PAGE,
    ).get_page(request.GET.get("side"))
    query = request.GET.copy()
    query.pop("side", None)
    return render(
        request,
        "directory/home.html",
        {
            "form": form,
            "totals": totals,
            "status_counts": [
                (value, label, status_counts.get(value, 0)) for value, label in Usage.Status.choices
            ],
            "top_systems": top_systems,
            "page": page,
            "usages": page.object_list,
            "query": query.urlencode(),
            "counties": County.objects.filter(valid_to__isnull=True),
            "pending_systems": System.objects.filter(is_approved=False).select_related("vendor")
            if permissions.can_approve_system(request.user)
            else [],
            "can_propose_system": permissions.can_propose_system(request.user),
            "can_import": permissions.can_import_usages(request.user),
        },
    )


@public_page()
@require_http_methods(["GET", "HEAD"])
def organisation(request: HttpRequest, slug: str) -> HttpResponse:
    from topics.models import Topic

    org = get_object_or_404(
        Organisation.objects.select_related("county").prefetch_related(
            "predecessors", "successors"
        ),
        slug=slug,
    )
    if org.kind == Organisation.Kind.LEVERANDOR:
        return redirect("directory:vendor", slug=org.slug)
    usages = list(
        org.usages.of_approved_systems()
        .select_related("system__vendor", "sector", "confirmed_by")
        .order_by("sector__position", "sector__name", "system__name")
    )
    members = list(
        org.members.filter(is_active=True)
        .exclude(organisation_verification="")
        .order_by("display_name")
    )
    topics = (
        Topic.objects.visible_to(request.user)
        .filter(author__organisation=org)
        .for_listing()
        .order_by("-created_at")[:10]
    )
    is_merger = bool(org.valid_from == queries.REFORM_DATE and org.predecessors.all())
    return render(
        request,
        "directory/organisation.html",
        {
            "organisation": org,
            "usages": usages,
            "has_examples": any(u.is_example for u in usages),
            "members": members,
            "topics": topics,
            "changes": org.usage_changes.select_related("changed_by")[:30],
            "can_edit": permissions.can_edit_usages(request.user, org),
            "is_merger": is_merger,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def add_usage(request: HttpRequest, slug: str) -> HttpResponse:
    org = get_object_or_404(Organisation, slug=slug)
    if not permissions.can_edit_usages(request.user, org):
        return _forbidden(
            request,
            _("Bare verifiserte medlemmer av %(org)s og moderatorer kan endre systemene deres.")
            % {"org": org.name},
        )
    initial = {}
    if system_slug := slug_or_none(request.GET.get("system")):
        initial["system"] = System.objects.approved().filter(slug=system_slug).first()
    form = UsageForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.create_usage(by=request.user, organisation=org, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Systemet er lagt til."))
            return redirect("directory:organisation", slug=org.slug)
    return render(
        request,
        "directory/usage_form.html",
        {"form": form, "organisation": org, "usage": None},
        status=form_status(form),
    )


def _usage(pk: int) -> Usage:
    return get_object_or_404(
        Usage.objects.select_related("organisation", "system__vendor", "sector"), pk=pk
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit_usage(request: HttpRequest, pk: int) -> HttpResponse:
    usage = _usage(pk)
    org = usage.organisation
    if not permissions.can_edit_usage(request.user, usage):
        return _forbidden(
            request,
            _("Bare verifiserte medlemmer av %(org)s og moderatorer kan endre systemene deres.")
            % {"org": org.name},
        )
    initial = {
        "system": usage.system,
        "sector": usage.sector,
        "status": usage.status,
        "since": usage.since,
        "until": usage.until,
        "note": usage.note,
    }
    form = UsageForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_usage(usage=usage, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Endringen er lagret."))
            return redirect("directory:organisation", slug=org.slug)
    return render(
        request,
        "directory/usage_form.html",
        {
            "form": form,
            "organisation": org,
            "usage": usage,
            "changes": usage.changes.select_related("changed_by"),
        },
        status=form_status(form),
    )


@login_required
@require_POST
def confirm_usage(request: HttpRequest, pk: int) -> HttpResponse:
    usage = _usage(pk)
    if not permissions.can_edit_usage(request.user, usage):
        return _forbidden(request, _("Du kan ikke bekrefte systemene til en annen organisasjon."))
    actions.confirm_usage(usage=usage, by=request.user)
    messages.success(request, _("Takk! Opplysningen er bekreftet."))
    return redirect("directory:organisation", slug=usage.organisation.slug)


@login_required
@require_http_methods(["GET", "POST"])
def delete_usage(request: HttpRequest, pk: int) -> HttpResponse:
    usage = _usage(pk)
    if not permissions.can_edit_usage(request.user, usage):
        return _forbidden(request, _("Du kan ikke slette systemene til en annen organisasjon."))
    if request.method == "POST":
        actions.delete_usage(usage=usage, by=request.user)
        messages.success(request, _("Systemet er fjernet fra oversikten."))
        return redirect("directory:organisation", slug=usage.organisation.slug)
    return render(request, "directory/usage_delete.html", {"usage": usage})


@public_page(lambda slug, **_: [system_tag(slug)])
@require_http_methods(["GET", "HEAD"])
def system(request: HttpRequest, slug: str) -> HttpResponse:
    from topics.models import Topic

    system = get_object_or_404(
        System.objects.visible_to(request.user)
        .select_related("vendor")
        .prefetch_related("sectors", "standards"),
        slug=slug,
    )
    groups, organisation_count, has_examples = queries.system_users(system)
    about_system = Topic.objects.visible_to(request.user).filter(systems=system)
    topics = about_system.for_listing().in_front_page_order().with_read_state(request.user)[:20]
    experiences = (
        about_system.experiences()
        .select_related("author__organisation")
        .order_by("-created_at")[:20]
    )
    return render(
        request,
        "directory/system.html",
        {
            "system": system,
            "experiences": experiences,
            "groups": groups,
            "organisation_count": organisation_count,
            "has_examples": has_examples,
            "topics": topics,
            "can_edit": permissions.can_edit_system(request.user, system),
            "can_approve": not system.is_approved
            and permissions.can_approve_system(request.user, system),
            "ask_url": f"{reverse('topics:new')}?system={system.slug}",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def new_system(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not permissions.can_propose_system(user):
        return _forbidden(
            request,
            _("Bare moderatorer og verifiserte ansatte hos en leverandør kan legge til systemer."),
        )
    fixed_vendor = None if user.is_moderator else user.organisation
    form = SystemForm(request.POST or None, fixed_vendor=fixed_vendor)
    if request.method == "POST" and form.is_valid():
        try:
            system = actions.create_system(by=user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        except PermissionDenied:
            form.add_error("vendor", _("Du kan bare foreslå systemer fra din egen leverandør."))
        else:
            if system.is_approved:
                messages.success(request, _("Systemet er lagt til."))
            else:
                messages.success(
                    request,
                    _("Forslaget er sendt. En moderator godkjenner det før det vises for alle."),
                )
            return redirect(system)
    return render(
        request,
        "directory/system_form.html",
        {"form": form, "system": None},
        status=form_status(form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit_system(request: HttpRequest, slug: str) -> HttpResponse:
    system = get_object_or_404(System.objects.visible_to(request.user), slug=slug)
    if not permissions.can_edit_system(request.user, system):
        return _forbidden(request, _("Bare moderatorer kan endre systemer."))
    initial = {
        "name": system.name,
        "vendor": system.vendor_id,
        "sectors": list(system.sectors.all()),
        "description": system.description,
        "website": system.website,
        "standards": ", ".join(t.name for t in system.standards.all()),
    }
    form = SystemForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_system(system=system, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Endringen er lagret."))
            return redirect(system)
    return render(
        request,
        "directory/system_form.html",
        {"form": form, "system": system},
        status=form_status(form),
    )


@login_required
@require_POST
def review_system(request: HttpRequest, slug: str) -> HttpResponse:
    system = get_object_or_404(System.objects.visible_to(request.user), slug=slug)
    if not permissions.can_approve_system(request.user, system):
        raise PermissionDenied
    if request.POST.get("action") == "approve":
        actions.approve_system(system=system, by=request.user)
        messages.success(request, _("Systemet er godkjent."))
        return redirect(system)
    if request.POST.get("action") == "reject" and not system.is_approved:
        actions.reject_system(system=system, by=request.user)
        messages.success(request, _("Forslaget er avvist og slettet."))
        return redirect("directory:home")
    raise Http404


@public_page()
@require_http_methods(["GET", "HEAD"])
def vendor(request: HttpRequest, slug: str) -> HttpResponse:
    from topics.models import Post

    vendor = get_object_or_404(Organisation.objects.vendors(), slug=slug)
    systems = (
        System.objects.visible_to(request.user)
        .filter(vendor=vendor)
        .annotate(
            organisations=Count(
                "usages__organisation",
                distinct=True,
                filter=Q(usages__status__in=queries.ACTIVE_STATUSES),
            )
        )
        .prefetch_related("sectors")
        .order_by("name")
    )
    answers = (
        Post.objects.visible_to(request.user)
        .filter(author__organisation=vendor, position__gt=1, is_hidden=False)
        .select_related("topic", "author")
        .order_by("-created_at")[:15]
    )
    return render(
        request,
        "directory/vendor.html",
        {
            "vendor": vendor,
            "systems": systems,
            "answers": answers,
            "can_propose": permissions.can_propose_system(request.user, vendor),
        },
    )


def _county(number: str) -> County:
    county = County.objects.filter(number=number).order_by("-valid_to").first()
    if county is None:
        raise Http404
    return county


@public_page(nothing_but_the_site)
@require_http_methods(["GET", "HEAD"])
def county_matrix(request: HttpRequest, number: str) -> HttpResponse:
    county = _county(number)
    organisations = list(
        Organisation.objects.municipalities()
        .filter(county=county)
        .order_by("municipality_number", "name")
    )
    return render(
        request,
        "directory/matrix.html",
        {
            "county": county,
            "organisations": organisations,
            # Read only when the table is not in the fragment cache (see the template).
            "matrix": queries.LazyCountyMatrix(organisations),
            "counties": County.objects.all(),
        },
    )


@public_page(nothing_but_the_site)
@require_http_methods(["GET", "HEAD"])
def mergers(request: HttpRequest) -> HttpResponse:
    summaries = queries.merger_summaries(queries.mergers_2020())
    return render(
        request,
        "directory/mergers.html",
        {"summaries": summaries, "undecided": sum(s.undecided for s in summaries)},
    )


@public_page(nothing_but_the_site)
@require_http_methods(["GET", "HEAD"])
def merger(request: HttpRequest, slug: str) -> HttpResponse:
    municipality = next((m for m in queries.mergers_2020() if m.slug == slug), None)
    if municipality is None:
        raise Http404
    [summary] = queries.merger_summaries([municipality], with_rows=True)
    has_examples = any(
        u.is_example
        for row in summary.rows
        for cell in [*row.predecessor_cells, row.chosen]
        for u in cell
    )
    return render(
        request,
        "directory/merger.html",
        {
            "summary": summary,
            "municipality": municipality,
            "has_examples": has_examples,
            "can_edit": permissions.can_edit_usages(request.user, municipality),
        },
    )


@public_page(nothing_but_the_site)
@require_http_methods(["GET", "HEAD"])
def open_data(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "directory/open_data.html",
        {
            "columns": opendata.COLUMNS,
            "statuses": Usage.Status.choices,
            "licence": opendata.LICENCE,
            "licence_url": opendata.LICENCE_URL,
            "can_import": permissions.can_import_usages(request.user),
        },
    )


@public_page(nothing_but_the_site)
@require_http_methods(["GET", "HEAD"])
def export_csv(request: HttpRequest) -> HttpResponse:
    buffer = io.StringIO()
    buffer.write(f"# {opendata.LICENCE}: {opendata.LICENCE_URL}\n")
    opendata.write_csv(buffer)
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="reformforum-systemkatalog.csv"'
    response["Link"] = f'<{opendata.LICENCE_URL}>; rel="license"'
    return response


@public_page(nothing_but_the_site)
@require_http_methods(["GET", "HEAD"])
def export_json(request: HttpRequest) -> HttpResponse:
    rows = list(opendata.export_rows(opendata.export_queryset().iterator(chunk_size=2000)))
    response = HttpResponse(
        json.dumps(opendata.json_document(rows), ensure_ascii=False, indent=1),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="reformforum-systemkatalog.json"'
    response["Link"] = f'<{opendata.LICENCE_URL}>; rel="license"'
    return response


@moderator_tool
@login_required
@require_http_methods(["GET", "POST"])
def import_usages(request: HttpRequest) -> HttpResponse:
    if not permissions.can_import_usages(request.user):
        return _forbidden(request, _("Bare moderatorer kan laste inn systembruk fra fil."))
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > settings.DATA_UPLOAD_MAX_MEMORY_SIZE * 4:
            form.add_error("file", _("Filen er for stor."))
        else:
            report = actions.import_usages(
                by=request.user, content=upload.read(), dry_run=form.cleaned_data["dry_run"]
            )
            if report.ok and not report.dry_run:
                messages.success(
                    request,
                    _("Importert: %(created)s nye, %(updated)s endret, %(unchanged)s uendret.")
                    % {
                        "created": report.created,
                        "updated": report.updated,
                        "unchanged": report.unchanged,
                    },
                )
                return redirect("directory:import")
    status = 400 if (form.is_bound and form.errors) or (report and not report.ok) else 200
    return render(request, "directory/import.html", {"form": form, "report": report}, status=status)

from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from forum.page_cache import nothing_but_the_site, public_page


@public_page(nothing_but_the_site)
@require_http_methods(["GET", "HEAD"])
def accessibility_statement(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/accessibility.html")


@require_http_methods(["GET", "HEAD", "POST"])
def admin_login(request: HttpRequest) -> HttpResponse:
    """Stands in for the admin's own sign-in form, which checks passwords with no limit:
    passwords are only ever checked by the forum's sign-in (allauth's rate limits, two-factor).
    A POST is sent there too, its password unread."""
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("admin:index")
    if request.user.is_authenticated:
        if request.user.is_active and request.user.is_staff:
            return HttpResponseRedirect(next_url)
        # Signed in without staff rights: the admin is not there for them (and sending them
        # to the sign-in page would send them straight back here).
        raise Http404
    return HttpResponseRedirect(f"{resolve_url('account_login')}?{urlencode({'next': next_url})}")


@require_http_methods(["GET", "HEAD"])
def bench_ceiling(request: HttpRequest) -> HttpResponse:
    """The least a page can cost on this stack (same middleware, no database, no template)."""
    return HttpResponse(b"<!doctype html><title>ceiling</title><p>ok</p>")

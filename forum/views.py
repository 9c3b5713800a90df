from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from forum.page_cache import nothing_but_the_site, public_page


@public_page(nothing_but_the_site)
@require_http_methods(["GET", "HEAD"])
def accessibility_statement(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/accessibility.html")


@require_http_methods(["GET", "HEAD"])
def bench_ceiling(request: HttpRequest) -> HttpResponse:
    """The least a page can cost on this stack (same middleware, no database, no template)."""
    return HttpResponse(b"<!doctype html><title>ceiling</title><p>ok</p>")

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from forum.forms import form_status
from forum.page_cache import public_page
from forum.pagination import page_number
from forum.ratelimit import ratelimit
from search import engine
from search.forms import SearchForm
from topics.models import Category


@public_page()
@ratelimit("search", methods=("GET", "HEAD"))
@require_http_methods(["GET", "HEAD"])
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None, categories=Category.objects.visible_to(request.user))
    results = None
    if form.is_bound and form.is_valid() and form.cleaned_data["q"]:
        results = engine.search(
            user=request.user,
            query=form.cleaned_data["q"],
            filters=form.filters(),
            page=page_number(request.GET.get("side")),
        )
    status = form_status(form)
    return render(
        request,
        "search/results.html",
        {"form": form, "results": results, "query": form.data.get("q", "")},
        status=status,
    )

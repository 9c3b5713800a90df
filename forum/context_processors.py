from functools import cache

from django.conf import settings
from django.http import HttpRequest

from forum import page_cache


def site(request: HttpRequest) -> dict[str, object]:
    return {"SITE_NAME": settings.SITE_NAME}


def fragment_generation(request: HttpRequest) -> dict[str, object]:
    """The version of `site` (forum/page_cache.py), for the `{% cache %}` fragments that
    vary on it: read from the cache once per page, and only if the page has such a fragment."""
    return {"fragment_generation": cache(lambda: page_cache.version(page_cache.SITE))}

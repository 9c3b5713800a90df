"""What a member sent after their session ended, kept until they have signed in again.

A member whose session ends while they write (it expired, or they signed out in another tab)
sends the form and is asked to sign in. Instead of losing the text, the view's
``login_required_keeping_text`` keeps the form's fields in the session of the browser that
sent them (a new, signed-out session; signing in carries its data over, because it had no
member) under a random key, and sends the browser to sign in with ``next`` back to the form
and that key (``?utkast=<key>``). There the view puts the kept fields into the empty form
(``restore``), once: they are deleted as they are shown, and after MAX_AGE they are not
shown at all.

Nothing is kept anywhere but in that session, so no other browser can be shown it, and the
page that shows it says ``Cache-Control: private, no-store``: no shared cache keeps it. The
key in the address makes that page's address its own, so no page stored for another
visitor can be served in its place.
"""

from __future__ import annotations

import functools
import secrets
import time
from collections.abc import Callable
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from forum import ratelimit

SESSION_KEY = "kept_texts"
PARAMETER = "utkast"
MAX_AGE = 60 * 60
MAX_KEPT = 3  # per session: a fourth replaces the oldest


def login_required_keeping_text(*fields: str) -> Callable:
    """`login_required`, except that a signed-out POST keeps `fields` for after sign-in."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        signed_in_view = login_required(view)

        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
            if request.method == "POST" and not request.user.is_authenticated:
                return redirect_to_login(_keep(request, fields))
            return signed_in_view(request, *args, **kwargs)

        return wrapper

    return decorate


def _keep(request: HttpRequest, fields: tuple[str, ...]) -> str:
    """Keep the fields; the address to come back to (with the key, if anything was kept)."""
    back = request.get_full_path()
    sent = {name: request.POST.getlist(name) for name in fields if name in request.POST}
    if not any(value.strip() for values in sent.values() for value in values):
        return back
    rate = ratelimit.Rate.parse(settings.FORUM_RATE_LIMITS["post"])
    if ratelimit.hit("kept_text", f"ip:{ratelimit.client_ip(request)}", rate):
        return back
    kept = _unexpired(request.session.get(SESSION_KEY, {}))
    while len(kept) >= MAX_KEPT:
        del kept[min(kept, key=lambda key: kept[key]["at"])]
    key = secrets.token_urlsafe(12)
    kept[key] = {
        "path": request.path,
        "at": time.time(),
        "fields": {
            name: [value[: settings.POST_MAX_LENGTH] for value in values[:50]]
            for name, values in sent.items()
        },
    }
    request.session[SESSION_KEY] = kept
    messages.info(
        request,
        _(
            "Du var ikke logget inn lenger, så teksten ble ikke sendt. Den er tatt vare på: "
            "logg inn, så står den i skjemaet igjen."
        ),
    )
    separator = "&" if "?" in back else "?"
    return f"{back}{separator}{urlencode({PARAMETER: key})}"


def _unexpired(kept: dict) -> dict:
    oldest = time.time() - MAX_AGE
    return {key: entry for key, entry in kept.items() if entry["at"] >= oldest}


def restore(request: HttpRequest, form: forms.Form, *more: forms.Form) -> bool:
    """Fill the empty form (and `more` forms of the same page, by their prefixes) with what
    this browser kept for this address, and forget it. True if there was something: then
    the page must go out through `private`."""
    key = request.GET.get(PARAMETER)
    if not key or form.is_bound or SESSION_KEY not in request.session:
        return False
    kept = _unexpired(request.session[SESSION_KEY])
    entry = kept.pop(key, None)
    request.session[SESSION_KEY] = kept
    if entry is None or entry["path"] != request.path:
        return False
    for each in (form, *more):
        for name, field in each.fields.items():
            if values := entry["fields"].get(each.add_prefix(name)):
                many = getattr(field.widget, "allow_multiple_selected", False)
                each.initial[name] = values if many else values[0]
    messages.info(request, _("Her er teksten du skrev. Se over den, og send den på nytt."))
    return True


def private(response: HttpResponse) -> HttpResponse:
    """For a page that shows kept text: no cache may keep it (Cache-Control: private,
    no-store, ...), and so neither does the forum's own page cache."""
    add_never_cache_headers(response)
    return response

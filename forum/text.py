"""Text helpers shared by every app."""

import re

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from django.utils.translation import get_language

_SCHEME = re.compile(r"^(?:[a-z][a-z0-9+.-]*://)?(?:www\.)?", re.IGNORECASE)
_PATH_PIECES = re.compile(r"[/_-][^/_-]*")
_WORD_BREAK = mark_safe("<wbr>")

_NORWEGIAN_FOLDS = str.maketrans(
    {"æ": "ae", "Æ": "ae", "ø": "o", "Ø": "o", "å": "aa", "Å": "aa", "á": "a", "Á": "a"}
)


def norwegian_slugify(value: str) -> str:
    """Slugify with the Norwegian letters folded the way Norwegians spell them in URLs.

    Django's slugify would drop æ, ø and å ("Økonomi" -> "konomi"); here they become
    ae, o and aa ("Økonomi" -> "okonomi", "Bø" -> "bo", "Våler" -> "vaaler").
    """
    return slugify(str(value).translate(_NORWEGIAN_FOLDS))


def web_address(url: str) -> SafeString:
    """A web address as a reader wants to see it: no scheme, no «www.», no trailing slash,
    and a line break allowed only before a «/», «-» or «_» of the path (a <wbr> between
    unbreakable pieces), so that a narrow column never breaks it inside a word or leaves a
    hyphen at a line's end that looks like part of the address."""
    shown = _SCHEME.sub("", url.strip()).rstrip("/")
    host, _, path = shown.partition("/")
    pieces = [host, *_PATH_PIECES.findall("/" + path)] if path else [host]
    return format_html(
        '<span class="web-address">{}</span>',
        format_html_join(_WORD_BREAK, "<span>{}</span>", ((piece,) for piece in pieces)),
    )


def localized_name(name: str, name_en: str) -> str:
    """A vocabulary word (sector, category) in the current language: the English name when
    the page is in English and one is set, else the Norwegian."""
    if name_en and (get_language() or "").startswith("en"):
        return name_en
    return name

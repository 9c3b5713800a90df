"""`@Navn` mentions: find the members a text names, and link the names to their profiles.

A mention is `@` followed by a member's display name, e.g. `@Kari Nordmann`. Display names
have spaces, so the longest run of up to four words that is exactly one member's name wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models.functions import Lower
from django.utils.html import escape

from accounts.models import User

MAX_WORDS = 4
_MENTION = re.compile(rf"(?<![\w@/.])@(\w[\w.'-]*(?:[ \t]\w[\w.'-]*){{0,{MAX_WORDS - 1}}})")
_TAG = re.compile(r"(<[^>]*>)")
_NO_LINK_INSIDE = {"a", "code", "pre"}


@dataclass(frozen=True)
class Mention:
    text: str  # the name as written after the @
    user: User


def _prefixes(words: str) -> list[str]:
    parts = words.split()
    return [" ".join(parts[:n]).rstrip(".'-") for n in range(len(parts), 0, -1)]


def find_mentions(body: str) -> list[Mention]:
    """The members a text mentions, in the order they first appear (one query)."""
    candidates = [_prefixes(m.group(1)) for m in _MENTION.finditer(body)]
    names = {p.lower() for prefixes in candidates for p in prefixes}
    if not names:
        return []
    by_name: dict[str, list[User]] = {}
    users = User.objects.with_public_page().annotate(name_lower=Lower("display_name"))
    for user in users.filter(name_lower__in=names):
        by_name.setdefault(user.name_lower, []).append(user)
    found: dict[int, Mention] = {}
    for prefixes in candidates:
        for prefix in prefixes:
            matches = by_name.get(prefix.lower(), [])
            if len(matches) == 1:
                found.setdefault(matches[0].pk, Mention(prefix, matches[0]))
                break
    return list(found.values())


def link_mentions(html: str, mentions: list[Mention]) -> str:
    """Turn `@Name` in the text of sanitised HTML into profile links (not inside code or links)."""
    if not mentions:
        return html
    links = {escape(m.text).lower(): m for m in mentions}
    pattern = re.compile(
        r"(?<![\w@/.])@("
        + "|".join(re.escape(t) for t in sorted(links, key=len, reverse=True))
        + r")(?![\w])",
        re.IGNORECASE,
    )

    def replace(match: re.Match[str]) -> str:
        mention = links[match.group(1).lower()]
        return (
            f'<a class="mention" href="{escape(mention.user.get_absolute_url())}">'
            f"@{match.group(1)}</a>"
        )

    out: list[str] = []
    inside: list[str] = []
    for part in _TAG.split(html):
        if part.startswith("<"):
            name = part.strip("</>").split()[0].lower() if part.strip("</>") else ""
            if name in _NO_LINK_INSIDE:
                if part.startswith("</"):
                    if name in inside:
                        inside.remove(name)
                elif not part.endswith("/>"):
                    inside.append(name)
            out.append(part)
        elif inside:
            out.append(part)
        else:
            out.append(pattern.sub(replace, part))
    return "".join(out)

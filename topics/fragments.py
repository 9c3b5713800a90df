"""The parts of a topic page that read the same for every reader, rendered once and kept.

A post's byline (who wrote it: name, title, organisation, badges) and its heading line
(number, date, who edited it) are the same for every reader in a language. Each is kept in
the fragment cache under a key made of its own version - the post's `version`, which every
edit moves, with its position and editor; the author's display version, a digest of every
field the byline shows - and the language. A write changes the key of exactly what it
changed: nothing is ever deleted or invalidated, an old key is simply never asked for again
(Rails' key-based caching; Django's `{% cache %}` with vary-on arguments). A change made
behind the actions' back (an update in the shell) changes the key too.

One `get_many` fetches a page's pieces; only those missing are rendered and stored, with
one `set_many`. What depends on the reader (the unread marker, buttons, hidden text) is not
here: the template renders it every time from `permissions.post_tools`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from django.core.cache import caches
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from topics.models import Post

TIMEOUT = 300  # seconds; keys change with what they show, so this only bounds memory
_BYLINE = "topics/partials/byline.html"
_POST_META = "topics/partials/post_meta.html"


def author_display_version(author) -> str:
    """A digest of everything a byline shows about `author`: any change is a new version."""
    organisation = author.organisation if author.organisation_id else None
    shown = (
        author.pk,
        author.is_active,
        author.display_name,
        author.job_title,
        author.organisation_verification,
        author.is_moderator,
        author.is_superuser,
        author.avatar.name,
        organisation and (organisation.slug, organisation.name, organisation.kind),
    )
    return hashlib.blake2b(repr(shown).encode(), digest_size=8).hexdigest()


def _meta_key(post: Post, language: str) -> str:
    editor = post.edited_by.display_name if post.edited_by_id else ""
    edited = post.edited_at.isoformat() if post.edited_at else ""
    shown = hashlib.blake2b(repr((editor, edited)).encode(), digest_size=8).hexdigest()
    return f"post-meta:{post.pk}:{post.version}:{post.position}:{shown}:{language}"


def fill_post_pieces(posts: Iterable[Post]) -> None:
    """Give each post `byline_html` and `meta_html`, from the cache where they are kept."""
    posts = list(posts)
    if not posts:
        return
    language = get_language() or ""
    cache = caches["template_fragments"]
    wanted: dict[str, tuple[str, Post]] = {}  # key -> (template, a post that shows it)
    keys_of: list[tuple[Post, str, str]] = []
    for post in posts:
        if hasattr(post, "author_is_moderator"):  # Post.objects.for_display() asked it
            post.author.annotated_is_moderator = post.author_is_moderator
        byline_key = f"byline:{author_display_version(post.author)}:{language}"
        meta_key = _meta_key(post, language)
        wanted.setdefault(byline_key, (_BYLINE, post))
        wanted.setdefault(meta_key, (_POST_META, post))
        keys_of.append((post, byline_key, meta_key))
    found: dict[str, str] = cache.get_many(list(wanted))
    missing: dict[str, str] = {}
    for key, (template_name, post) in wanted.items():
        if key not in found:
            template = get_template(template_name)
            missing[key] = template.render({"post": post, "author": post.author})
    if missing:
        cache.set_many(missing, TIMEOUT)
        found.update(missing)
    for post, byline_key, meta_key in keys_of:
        post.byline_html = _safe(found[byline_key])
        post.meta_html = _safe(found[meta_key])


def _safe(html: str) -> SafeString:
    # Rendered by our own templates (autoescaped) and stored by us: safe as it was.
    return mark_safe(html)

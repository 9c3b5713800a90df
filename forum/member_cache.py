"""Whole pages for signed-in members, shared by the members who see the same page.

Two members' pages differ in two ways. What they may see and do (which categories they may
read, whether they may post) decides the page's *reader key*, computed by the view's own
permission module; a page is stored under its address, language and reader key, together
with the page-cache generation (forum/page_cache.py), so any write makes it stale like the
signed-out pages. What is their own (their name and unread notifications in the header,
«N nye» on topic rows, read marks, the buttons that depend on whose post it is) is left out
of the stored page as *holes*: a template marks each with ``{% hole "name" arg… %}…
{% endhole %}``. A miss renders the page for its member as always, with each hole's content
marked; the member gets it without the marks, and the stored copy has each hole as a
placeholder. A hit fills the placeholders in for its own member, by the renderer registered
under the hole's name, which answers all the page's holes of its kind at once (one query,
not one per row). A hole's content and its renderer render the same partial template, so a
member gets byte for byte the page they would get without this cache
(tests/test_member_page_cache.py asserts exactly that, for every kind of reader, whoever's
page was stored first).

A view opts in with ``@shared_member_page(reader_key)``; ``reader_key(user, **view_kwargs)``
returns None for members the shared page would be wrong for, and they get the page rendered
as always. Requests with messages waiting are never served or stored (messages are shown
once).

Marks and placeholders are delimited by NUL characters, which no stored text can hold (forms
reject them and PostgreSQL cannot store them). A hole must not sit inside a ``{% cache %}``
fragment or another hole.
"""

from __future__ import annotations

import functools
import re
import uuid
from collections import defaultdict
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token

from forum import page_cache, sql

type HoleRenderer = Callable[[HttpRequest, list[str]], dict[str, str]]
type HoleQuery = Callable[[HttpRequest, list[str]], tuple[str, list[object]]]

_RENDERERS: dict[str, HoleRenderer] = {}
_MARKED = re.compile(rb"\x00hole\x00([a-z_]+)\x00([^\x00]*)\x00([^\x00]*)\x00/hole\x00")
_STORING = "_member_page_storing"
_WANTED = "_member_page_holes"
_ROWS = "_member_page_hole_rows"
_QUERIES: dict[str, HoleQuery] = {}
_CLIENT_TOKEN = re.compile(rb'(name="client_token" value=")[0-9a-f-]{36}(")')
_CLIENT_TOKEN_TAG = b"client_token"
_CLIENT_TOKEN_PLACEHOLDER = b"\x00" + _CLIENT_TOKEN_TAG + b"\x00"
_CSRF_TAG = page_cache.TOKEN_PLACEHOLDER.strip(b"\x00")


def hole_renderer(name: str) -> Callable[[HoleRenderer], HoleRenderer]:
    """Register ``renderer(request, args) -> {arg: html}`` for the holes called `name`;
    an arg left out of the answer fills its hole with nothing."""

    def register(renderer: HoleRenderer) -> HoleRenderer:
        if not re.fullmatch(r"[a-z_]+", name) or _RENDERERS.get(name, renderer) is not renderer:
            raise ValueError(f"hole name {name!r} is malformed or taken")
        _RENDERERS[name] = renderer
        return renderer

    return register


def is_storing(request: HttpRequest | None) -> bool:
    """Is this page being rendered to be stored too (so holes are marked)?"""
    return bool(getattr(request, _STORING, False))


def marked(name: str, arg: object, content: str) -> str:
    """A hole's content as rendered for this member, marked so that the stored copy of the
    page can leave it out."""
    if name not in _RENDERERS:
        raise ValueError(f"no renderer for the hole {name!r}")
    arg = str(arg)
    if "\x00" in arg:
        raise ValueError("a hole's argument cannot hold NUL")
    return f"\x00hole\x00{name}\x00{arg}\x00{content}\x00/hole\x00"


def _own_copy(content: bytes) -> bytes:
    """The page as this member sees it: the marks taken out, the holes' content kept."""
    return _MARKED.sub(rb"\3", content)


def _shared_copy(content: bytes) -> bytes:
    """The page as stored: each hole left as a placeholder for `fill_holes`, and each form's
    one-time key (`client_token`) as a placeholder for a new one."""
    content = _MARKED.sub(lambda hole: b"\x00hole\x00%s\x00%s\x00" % (hole[1], hole[2]), content)
    return _CLIENT_TOKEN.sub(rb"\1" + _CLIENT_TOKEN_PLACEHOLDER + rb"\2", content)


def member(request: HttpRequest):
    """The signed-in member itself, not the lazy `request.user` in front of it: a page's
    holes ask the permission functions about it hundreds of times."""
    user = request.user
    user.pk  # noqa: B018  (loads the member behind the lazy object)
    return getattr(user, "_wrapped", user)


def csrf_token(request: HttpRequest) -> str:
    """The request's CSRF token, masked once: every form on the page may share it (masking
    a new one takes 32 calls to the system's random source)."""
    token = getattr(request, "_member_page_csrf_token", None)
    if token is None:
        token = request._member_page_csrf_token = get_token(request)
    return token


def hole_query(name: str) -> Callable[[HoleQuery], HoleQuery]:
    """Register `query(request, args) -> (sql, params)` for the holes called `name`: what
    their renderer reads, as a SELECT of exactly three integer columns (NULLs written as
    CAST(NULL AS integer)). A hit runs the queries of all the page's holes as one statement
    (UNION ALL), so a page with a watch button, read marks and «Nyttig» marks costs one
    round trip to the database, not three; the renderer reads its rows with `hole_rows`."""

    def register(query: HoleQuery) -> HoleQuery:
        if _QUERIES.get(name, query) is not query:
            raise ValueError(f"hole name {name!r} already has a query")
        _QUERIES[name] = query
        return query

    return register


def hole_rows(request: HttpRequest, name: str) -> list[tuple[int | None, int | None, int | None]]:
    """The rows of the query registered for the holes called `name`, on this page."""
    rows = getattr(request, _ROWS, None)
    if rows is None:
        rows = _run_hole_queries(request, getattr(request, _WANTED, {}))
        setattr(request, _ROWS, rows)
    return rows.get(name, [])


def _run_hole_queries(request: HttpRequest, wanted: dict[str, list[str]]) -> dict[str, list]:
    names, statements, params = [], [], []
    for name, args in wanted.items():
        if (query := _QUERIES.get(name)) is not None:
            statement, values = query(request, args)
            # The registered statement, its values left as parameters; the index is ours.
            statements.append(f"SELECT {len(names)}, q.* FROM ({statement}) q")  # noqa: S608
            names.append(name)
            params += values
    rows: dict[str, list] = {name: [] for name in names}
    if statements:
        for index, *values in sql.rows(" UNION ALL ".join(statements), params):
            rows[names[index]].append(tuple(values))
    return rows


def fill_holes(request: HttpRequest, content: bytes) -> bytes:
    """The stored page for this member: their own parts in the holes (each kind rendered
    at once, with one query for all, `hole_query`), their CSRF token in the forms and a
    new one-time key in each form that has one. The page is cut once at its NULs
    (page_cache.pieces): a placeholder "\\0tag\\0" leaves the piece `tag`, a hole
    "\\0hole\\0name\\0arg\\0" the pieces hole, name and arg."""
    parts = page_cache.pieces(content)
    wanted: dict[str, list[str]] = defaultdict(list)
    index = 1
    while index < len(parts):
        if parts[index] == b"hole":
            wanted[parts[index + 1].decode()].append(parts[index + 2].decode())
            index += 4
        else:
            index += 2
    setattr(request, _WANTED, wanted)
    filled: dict[tuple[bytes, bytes], bytes] = {}
    for name, args in wanted.items():
        rendered = _RENDERERS[name](request, args)
        for arg in args:
            filled[name.encode(), arg.encode()] = rendered.get(arg, "").encode()
    out, index = [parts[0]], 1
    while index < len(parts):
        tag = parts[index]
        if tag == b"hole":
            out += (filled[parts[index + 1], parts[index + 2]], parts[index + 3])
            index += 4
            continue
        if tag == _CSRF_TAG:
            out.append(csrf_token(request).encode())
        elif tag == _CLIENT_TOKEN_TAG:
            out.append(str(uuid.uuid4()).encode())
        else:
            raise ValueError(f"a stored page holds an unknown placeholder {tag!r}")
        out.append(parts[index + 1])
        index += 2
    return b"".join(out)


def _has_messages(request: HttpRequest) -> bool:
    return bool(request.COOKIES.get("messages") or request.session.get("_messages"))


def shared_member_page[**P](
    reader_key: Callable[..., str | None],
) -> Callable[[Callable[P, HttpResponse]], Callable[P, HttpResponse]]:
    """For a GET view whose page depends on the member only through
    `reader_key(user, **view_kwargs)` and the holes in its templates."""

    def decorate(view: Callable[P, HttpResponse]) -> Callable[P, HttpResponse]:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
            seconds = settings.FORUM_PAGE_CACHE_SECONDS
            user = request.user
            if (
                not seconds
                or request.method not in ("GET", "HEAD")
                or not user.is_authenticated
                or _has_messages(request)
            ):
                return view(request, *args, **kwargs)
            # A page is stored only if no write came in between deciding the reader key and
            # rendering the page: the generation that the reader key's remembered answers
            # were read with (page_cache.remembered; with none, the key follows from the
            # member alone), the one read with the page and the one after rendering must
            # agree. So a page rendered for what a member may see after a write is never
            # stored under the key of what they could see before it.
            with page_cache.generations_read() as seen:
                reader = reader_key(user, **kwargs)
            if reader is None:
                return view(request, *args, **kwargs)
            path = request.get_full_path()
            language = request.LANGUAGE_CODE
            generation, stored = page_cache.lookup(path, language, reader)
            if stored is None:
                setattr(request, _STORING, True)
                try:
                    response = view(request, *args, **kwargs)
                finally:
                    setattr(request, _STORING, False)
                if response.streaming:
                    return response
                rendered = response.content
                response.content = _own_copy(rendered)
                if (
                    request.method == "GET"
                    and page_cache.storable(response)
                    and all(read == generation for read in seen)
                    and generation == page_cache.generation()
                ):
                    page_cache.store(
                        path,
                        language,
                        generation,
                        response.status_code,
                        response["Content-Type"],
                        _shared_copy(rendered),
                        seconds,
                        reader,
                    )
                    response.headers["X-Page-Cache"] = "member-miss"
                return response
            status, content_type, content = stored
            response = HttpResponse(
                fill_holes(request, content),
                status=status,
                content_type=content_type,
            )
            response.headers["X-Page-Cache"] = "member-hit"
            return response

        return wrapper

    return decorate

"""Where a page's time goes: cProfile over many requests, summed by layer.

    python bench/profile_page.py --db reformforum_national [--signed-out] [URL ...]

Each request goes through Django's WSGI handler as gunicorn calls it (production settings,
the bench member's real session, nothing mocked). First the CPU time per request without
the profiler, then the profiled share of each layer (the functions' own time, so nothing is
counted twice; a built-in such as getattr counts for the layer that called it) and the costliest functions. The profiler slows Python several times over;
the shares, not its milliseconds, are the result.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import logging
import os
import pstats
import tempfile
import time

from common import bench_member, member_session_cookie, page_kinds, production_environment

LAYERS = [
    (
        "templates (Django template engine, i18n, escaping)",
        (
            "django/template",
            "django/templatetags",
            "django/utils/html",
            "django/utils/safestring",
            "django/utils/translation",
            "django/utils/formats",
            "django/utils/dateformat",
            "django/forms",
        ),
    ),
    ("ORM: building and compiling queries, making objects", ("django/db/models",)),
    ("database driver and waiting for PostgreSQL", ("psycopg", "django/db/backends")),
    ("cache (Redis, fragment cache)", ("redis/", "django/core/cache")),
    (
        "middleware, sessions, auth, CSRF, CSP",
        (
            "django/middleware",
            "django/contrib",
            "allauth",
            "whitenoise",
            "django/core/handlers",
            "django/utils/csp",
            "django/http",
        ),
    ),
    (
        "the forum's own code",
        (
            "/accounts/",
            "/topics/",
            "/directory/",
            "/notifications/",
            "/forum/",
            "/search/",
            "/ops/",
            "/api/",
        ),
    ),
]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="reformforum_national")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--signed-out", action="store_true", help="No session cookie.")
    parser.add_argument("--top", type=int, default=12, help="Costliest functions to list.")
    parser.add_argument(
        "urls", nargs="*", help="Default: the ceiling view, the topic page and the front page."
    )
    return parser.parse_args()


def layer_of(filename: str) -> str:
    for name, markers in LAYERS:
        if any(marker in filename for marker in markers):
            return name
    return "other (URL resolving, lazy objects, the standard library)"


def requester(handler, url: str, cookie: str, statuses: list[str]):
    """A function that sends one GET for `url` through the WSGI handler."""
    path, _, query = url.partition("?")

    def request() -> None:
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "HTTP_HOST": "127.0.0.1",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(b""),
            "HTTP_COOKIE": cookie,
            "REMOTE_ADDR": "127.0.0.1",
        }
        response = handler(environ, lambda status, headers, exc_info=None: statuses.append(status))
        b"".join(response)
        response.close()

    return request


def main() -> None:
    args = parse_args()
    static_root = tempfile.mkdtemp(prefix="bench-static-")
    os.environ.update(production_environment(args.db, static_root))
    os.environ["FORUM_BENCH_VIEWS"] = "1"  # /bench/ceiling/
    import django

    django.setup()
    logging.getLogger("forum.requests").setLevel(logging.WARNING)  # one line per request
    from django.conf import settings
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.management import call_command

    call_command("collectstatic", "--noinput", verbosity=0)
    urls = args.urls or [
        "/bench/ceiling/",
        *(kind.url for kind in page_kinds() if kind.name in ("topic (10 posts)", "front page")),
    ]
    cookie = "" if args.signed_out else member_session_cookie(bench_member())
    handler = WSGIHandler()
    viewer = "signed out" if args.signed_out else "signed in"

    for url in urls:
        statuses: list[str] = []
        request = requester(handler, url, cookie, statuses)
        for _ in range(30):  # warm: prepared statements, fragment cache, first-use imports
            request()
        started = time.process_time()
        for _ in range(args.requests):
            request()
        cpu_ms = 1000 * (time.process_time() - started) / args.requests
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(args.requests):
            request()
        profile.disable()
        stats = pstats.Stats(profile)
        by_layer: dict[str, float] = {}
        for (filename, _line, _name), (_cc, _nc, own, _cum, callers) in stats.stats.items():
            if filename == "~" and callers:  # a built-in (getattr, isinstance): its callers'
                for (caller_file, *_), (_ccc, _cnc, caller_own, _ccum) in callers.items():
                    layer = layer_of(caller_file)
                    by_layer[layer] = by_layer.get(layer, 0.0) + caller_own
            else:
                by_layer[layer_of(filename)] = by_layer.get(layer_of(filename), 0.0) + own
        total = sum(by_layer.values())
        calls = sum(nc for (_cc, nc, _own, _cum, _callers) in stats.stats.values())
        print(
            f"\n{url} ({viewer}): {statuses[-1]}, {cpu_ms:.1f} ms CPU per request without the profiler"
            f", {calls // args.requests:,} function calls per request (the same count whatever"
            " else the machine does: compare versions by it on a busy machine)"
        )
        for name, own in sorted(by_layer.items(), key=lambda item: -item[1]):
            print(f"  {100 * own / total:5.1f} %  {name}")
        print("  costliest functions (own time, share of the profiled total):")
        rows = sorted(stats.stats.items(), key=lambda item: -item[1][2])[: args.top]
        for (filename, line, name), (_cc, calls, own, _cum, _callers) in rows:
            short = filename.split("site-packages/")[-1].replace(str(settings.BASE_DIR) + "/", "")
            print(
                f"  {100 * own / total:5.1f} %  {calls // args.requests:6d}/req  {short}:{line}({name})"
            )


if __name__ == "__main__":
    main()

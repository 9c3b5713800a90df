"""Server time and SQL queries per page kind (benchmark a).

    python bench/pages_bench.py [--db reformforum_national] [--rounds 40] [--json out.json]

Runs the pages in this process through Django's whole stack (every middleware, production
settings: DEBUG off, Redis cache, cached_db sessions) with the test client, on the data set
that ``manage.py generate_load_data`` made. For each page kind it measures a signed-out
visitor (served from the page cache, and again with the cache off: what a cache miss costs)
and a signed-in municipal member (as a reader among others, served from the members'
page cache: pages shared with the members who may see the same, the notifications page
kept for them alone; again with the page caches off: what rendering the
page for them costs; and right after a write, when no page, fragment or count is cached
yet), after warm-up requests, and prints p50/p95/p99 in
milliseconds and the number of SQL queries per request. Server time here is the time the
handler takes, from request to rendered response, without the network.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import tempfile
import time

from common import bench_member, page_kinds, percentile, production_environment

VIEWERS = [
    "signed out (cache)",
    "signed out (no cache)",
    "signed in",
    "signed in (no cache)",
    "signed in (after write)",
]
AFTER_WRITE = "signed in (after write)"
MEMBERS = {"signed in", "signed in (no cache)", AFTER_WRITE}
# The page caches (signed-out pages, members' shared pages) are off for these viewers.
UNCACHED = {"signed out (no cache)", "signed in (no cache)"}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="reformforum_national")
    parser.add_argument("--rounds", type=int, default=40)
    # A long-running server has planned its statements long ago: psycopg prepares a query
    # after five runs on a connection and PostgreSQL settles on a generic plan after five more.
    parser.add_argument("--warmup", type=int, default=12)
    parser.add_argument(
        "--pages", type=lambda text: set(text.split(",")), help="Only these page kinds (names)."
    )
    parser.add_argument("--json", help="Also write the figures to this file.")
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    os.environ.update(production_environment(args.db, tempfile.mkdtemp(prefix="rf-static-")))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings

    from forum import page_cache

    kinds = [k for k in page_kinds() if not args.pages or k.name in args.pages]
    member = bench_member()
    clients = {viewer: Client() for viewer in VIEWERS}
    for viewer in MEMBERS:
        clients[viewer].force_login(member)
    cache.clear()

    queries = 0

    def count(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    def fetch(viewer: str, url: str) -> tuple[float, int, int]:
        nonlocal queries
        client = clients[viewer]
        seconds = 0 if viewer in UNCACHED else 300
        if viewer == AFTER_WRITE:
            # Someone has just written: every cached page and fragment is stale, so this is
            # what the first reader after a write waits for.
            page_cache.changed(page_cache.SITE)
        with override_settings(FORUM_PAGE_CACHE_SECONDS=seconds):
            queries = 0
            with connection.execute_wrapper(count):
                cpu = time.thread_time()
                start = time.perf_counter()
                response = client.get(url)
                elapsed = (time.perf_counter() - start) * 1000
                cpu = (time.thread_time() - cpu) * 1000
        return elapsed, cpu, queries, response.status_code

    results: dict[tuple[str, str], dict] = {}
    for kind in kinds:
        for viewer in VIEWERS:
            if viewer in MEMBERS or kind.signed_out:
                results[kind.name, viewer] = {"ms": [], "cpu": [], "queries": [], "status": set()}
    # Warm up (the readers after a write first: they make what the others warmed stale).
    for name, viewer in sorted(results, key=lambda key: key[1] != AFTER_WRITE):
        url = next(k.url for k in kinds if k.name == name)
        for _ in range(args.warmup):
            fetch(viewer, url)
    # Rounds interleave the pages; the readers after a write go last, in rounds of their
    # own, since each of their requests makes every cached page and fragment stale.
    for phase in ({v for v in VIEWERS if v != AFTER_WRITE}, {AFTER_WRITE}):
        for _ in range(args.rounds):
            for (name, viewer), figures in results.items():
                if viewer not in phase:
                    continue
                url = next(k.url for k in kinds if k.name == name)
                ms, cpu, n, status = fetch(viewer, url)
                figures["ms"].append(ms)
                figures["cpu"].append(cpu)
                figures["queries"].append(n)
                figures["status"].add(status)
    # Python function calls per request (one profiled request each): unlike milliseconds,
    # the same on a fast or a slow machine, so code can be compared across runs.
    for (name, viewer), figures in results.items():
        url = next(k.url for k in kinds if k.name == name)
        fetch(viewer, url)  # what the readers after a write made stale is cached again
        profile = cProfile.Profile()
        profile.enable()
        fetch(viewer, url)
        profile.disable()
        figures["calls"] = pstats.Stats(profile).total_calls

    from topics.models import Post

    load = os.getloadavg()[0]
    print(
        f"Data set: {args.db}, {Post.objects.count():,} posts; {args.rounds} rounds; "
        f"load average {load:.1f} on {os.cpu_count()} cores"
    )
    print(
        f"{'page':<17} {'viewer':<23} {'p50':>7} {'p95':>7} {'p99':>7} {'cpu50':>6} {'SQL':>4}"
        f" {'calls':>7}  status"
    )
    table = []
    for (name, viewer), figures in results.items():
        ms = figures["ms"]
        row = {
            "page": name,
            "viewer": viewer,
            "p50": percentile(ms, 0.5),
            "p95": percentile(ms, 0.95),
            "p99": percentile(ms, 0.99),
            "cpu_p50": percentile(figures["cpu"], 0.5),
            "queries": max(figures["queries"]),
            "calls": figures["calls"],
            "status": sorted(figures["status"]),
        }
        table.append(row)
        print(
            f"{name:<17} {viewer:<23} {row['p50']:7.1f} {row['p95']:7.1f} {row['p99']:7.1f} "
            f"{row['cpu_p50']:6.1f} {row['queries']:4d} {row['calls'] / 1000:6.1f}k"
            f"  {','.join(map(str, row['status']))}"
        )
    print(
        "(milliseconds of server time per request; cpu50 = p50 of this process's CPU time, "
        "without the database's; SQL = most queries seen in one request; calls = Python "
        "function calls in one request, which do not drift with the machine's speed)"
    )
    if args.json:
        with open(args.json, "w") as out:
            json.dump({"db": args.db, "rounds": args.rounds, "rows": table}, out, indent=1)


if __name__ == "__main__":
    main()

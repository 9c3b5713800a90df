"""Server time and SQL queries of the status pages (issue 26) on the national data set.

    python bench/insight_bench.py [--db insight_national] [--rounds 20] [--until 2025-06-01]

Refreshes the stored counts first (`refresh_figures`, timed: what the worker does), then
asks each status page through Django's whole stack with the test client, production
settings (DEBUG off, Redis cache), signed out and as a verified municipal member, with the
drawn map cached (warm) and with every cache cleared before each request (cold: the map is
drawn again). The moderators' reports are timed as the functions their page calls (the
page itself needs a moderator's two-factor sign-in). Prints p50/p95 ms and queries.
`--until` is the day the weeks are counted up to: the generated data ends on 1 June 2025.
"""

from __future__ import annotations

import argparse
import datetime
import os
import tempfile
import time

from common import bench_member, percentile, production_environment


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="insight_national")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--until", type=datetime.date.fromisoformat, default="2025-06-01")
    args = parser.parse_args()
    os.environ.update(production_environment(args.db, tempfile.mkdtemp(prefix="rf-static-")))
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from accounts.models import Organisation
    from directory.models import System, Usage
    from insight import actions, reports

    call_command("collectstatic", interactive=False, verbosity=0)
    refresh = actions.refresh_figures(until=args.until)
    print(f"refresh_figures: {refresh.seconds:.2f} s")
    busiest = (
        Usage.objects.values("system__slug")
        .annotate(n=django.db.models.Count("pk"))
        .order_by("-n", "system__slug")[0]["system__slug"]
    )
    largest = (
        Organisation.objects.municipalities()
        .current()
        .annotate(n=django.db.models.Count("usages"))
        .order_by("-n")
        .first()
    )
    assert System.objects.filter(slug=busiest).exists()
    urls = [
        "/status/",
        "/status/?maal=uten-valg",
        f"/status/?maal=system&system={busiest}",
        f"/status/kommune/{largest.municipality_number}/",
        "/status/kommune/3005/",
        "/status/aktivitet/",
        "/status/aktivitet/?sektor=sak-arkiv",
    ]
    member = bench_member()
    clients = {"signed out": Client(), "member": Client()}
    clients["member"].force_login(member)
    queries = 0

    def count(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    def fetch(client: Client, url: str, cold: bool) -> tuple[float, int, int]:
        nonlocal queries
        if cold:
            cache.clear()
        queries = 0
        with connection.execute_wrapper(count):
            start = time.perf_counter()
            response = client.get(url)
            elapsed = (time.perf_counter() - start) * 1000
        return elapsed, queries, response.status_code, len(response.content)

    print(
        f"{'page':45} {'viewer':10} {'cache':5} {'p50 ms':>7} {'p95 ms':>7} {'queries':>7} {'kB':>5}"
    )
    for url in urls:
        for viewer, client in clients.items():
            for cold in (False, True):
                for _ in range(args.warmup):
                    fetch(client, url, cold)
                ms, counts = [], set()
                for _ in range(args.rounds):
                    elapsed, n, status, size = fetch(client, url, cold)
                    assert status == 200, (url, status)
                    ms.append(elapsed)
                    counts.add(n)
                print(
                    f"{url[:45]:45} {viewer:10} {'cold' if cold else 'warm':5} "
                    f"{percentile(ms, 0.5):7.1f} {percentile(ms, 0.95):7.1f} "
                    f"{'/'.join(map(str, sorted(counts))):>7} {size / 1000:5.0f}"
                )
    for slug, build in reports.REPORTS.items():
        ms, counts = [], set()
        for _ in range(max(3, args.rounds // 4)):
            queries = 0
            with connection.execute_wrapper(count):
                start = time.perf_counter()
                build()
                ms.append((time.perf_counter() - start) * 1000)
            counts.add(queries)
        print(
            f"{'report: ' + slug:45} {'moderator':10} {'-':5} {percentile(ms, 0.5):7.1f} "
            f"{percentile(ms, 0.95):7.1f} {'/'.join(map(str, sorted(counts))):>7}"
        )


if __name__ == "__main__":
    main()

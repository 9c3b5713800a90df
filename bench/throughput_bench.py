"""Throughput under load against the production server, as a share of the ceiling (benchmark b).

    python bench/throughput_bench.py [--db reformforum_national] [--seconds 10] [--rounds 3]

Starts gunicorn with production settings (DEBUG off, Redis cache and sessions, collected
static files, the signed-out page cache on) and FORUM_BENCH_VIEWS=1, which adds
/bench/ceiling/: a view that returns a few bytes through the same middleware, with no
database and no template. That view is the ceiling of the stack. Then wrk, a separate
process on loopback, loads each page for --seconds, signed out and signed in (a session
cookie made for the bench member), and the table shows requests per second and that as a
share of the ceiling measured in the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

from common import ROOT, bench_member, member_session_cookie, page_kinds, production_environment

PORT = 8110


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="reformforum_national")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (2 cores: 3)")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="Measure every page this many times, in turn, and report the median: the "
        "machine's speed drifts by 10-15 %% within minutes.",
    )
    parser.add_argument("--port", type=int, default=PORT)
    parser.add_argument("--json", help="Also write the figures to this file.")
    parser.add_argument(
        "--pages", type=lambda text: set(text.split(",")), help="Only these page kinds (names)."
    )
    return parser.parse_args()


def wrk(url: str, seconds: int, connections: int, cookie: str | None) -> dict:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = re.search(r"50%\s+([\d.]+)(us|ms|s)", out)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    scale = {"us": 0.001, "ms": 1, "s": 1000}
    return {
        "rps": rps,
        "p50_ms": float(p50.group(1)) * scale[p50.group(2)] if p50 else None,
        "non_2xx": int(errors.group(1)) if errors else 0,
    }


def spread(rounds: list[float]) -> str:
    if len(rounds) < 2:
        return "-"
    median = statistics.median(rounds)
    return f"{100 * (min(rounds) - median) / median:+.0f}/{100 * (max(rounds) - median) / median:+.0f}%"


def main() -> None:
    args = parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk")
    static_root = tempfile.mkdtemp(prefix="rf-static-")
    env = {**os.environ, **production_environment(args.db, static_root), "FORUM_BENCH_VIEWS": "1"}
    env["FORUM_PAGE_CACHE_SECONDS"] = "300"
    os.environ.update(env)
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
    kinds = page_kinds()
    cookie = member_session_cookie(bench_member())
    cache.clear()

    server = subprocess.Popen(
        [
            sys.executable, "-m", "gunicorn", "forum.wsgi:application",
            "--bind", f"127.0.0.1:{args.port}", "--workers", str(args.workers),
            "--worker-class", "sync", "--access-logfile", "/dev/null", "--log-level", "warning",
        ],
        cwd=ROOT, env=env, start_new_session=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{args.port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/bench/ceiling/", timeout=2)  # noqa: S310 (our own server)
                break
            except OSError:
                time.sleep(0.2)
        measured: dict[tuple[str, str], list[dict]] = {}

        def measure(name: str, viewer: str, path: str, session: str | None) -> None:
            warm_up = 2 if (name, viewer) not in measured else 1
            wrk(base + path, warm_up, args.connections, session)  # workers, caches
            figures = wrk(base + path, args.seconds, args.connections, session)
            measured.setdefault((name, viewer), []).append(figures)

        for _round in range(args.rounds):
            measure("ceiling view", "signed out", "/bench/ceiling/", None)
            # The same view for a member: the session and the member's row are read on
            # every signed-in request (the suspended-member check asks for request.user),
            # so this is the most any signed-in page can do.
            measure("ceiling view", "signed in", "/bench/ceiling/", cookie)
            for kind in kinds:
                if args.pages and kind.name not in args.pages:
                    continue
                if kind.signed_out:
                    measure(kind.name, "signed out", kind.url, None)
                measure(kind.name, "signed in", kind.url, cookie)
            measure("ceiling view", "signed out (again)", "/bench/ceiling/", None)
        rows = [
            {
                "page": name,
                "viewer": viewer,
                "rps": statistics.median(f["rps"] for f in runs),
                "p50_ms": statistics.median(f["p50_ms"] or 0 for f in runs),
                "non_2xx": sum(f["non_2xx"] for f in runs),
                "rounds": [f["rps"] for f in runs],
            }
            for (name, viewer), runs in measured.items()
        ]
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    ceiling = max(
        r["rps"] for r in rows if r["page"] == "ceiling view" and r["viewer"] != "signed in"
    )
    member_ceiling = next(
        r["rps"] for r in rows if r["page"] == "ceiling view" and r["viewer"] == "signed in"
    )
    load = os.getloadavg()
    print(
        f"Data set: {args.db}; gunicorn {args.workers} sync workers; wrk 2 threads, "
        f"{args.connections} connections, {args.seconds} s per page"
        + (f", median of {args.rounds} rounds" if args.rounds > 1 else "")
        + f"; load {load[0]:.1f}"
    )
    print(
        f"{'page':<17} {'viewer':<19} {'req/s':>8} {'of ceiling':>10} {'of member':>9} "
        f"{'p50 ms':>7} {'non-2xx':>7} {'spread':>7}"
    )
    for row in rows:
        row["share"] = row["rps"] / ceiling
        signed_in = row["viewer"] == "signed in"
        row["member_share"] = row["rps"] / member_ceiling if signed_in else None
        member = f"{row['member_share']:9.0%}" if signed_in else " " * 9
        p50 = f"{row['p50_ms']:7.1f}" if row["p50_ms"] is not None else "      -"
        print(
            f"{row['page']:<17} {row['viewer']:<19} {row['rps']:8.0f} {row['share']:10.0%} "
            f"{member} {p50} {row['non_2xx']:7d} {spread(row['rounds']):>7}"
        )
    print(
        "(of ceiling: share of the best signed-out ceiling figure of the run; of member: share "
        "of the ceiling view requested as the signed-in member; spread: lowest and highest "
        "round against the median)"
    )
    if args.json:
        with open(args.json, "w") as out:
            json.dump({"db": args.db, "ceiling": ceiling, "rows": rows}, out, indent=1)


if __name__ == "__main__":
    main()

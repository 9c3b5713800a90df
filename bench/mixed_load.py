"""Mixed load: members and signed-out visitors reading many pages while a member writes.

    python bench/mixed_load.py [--db reformforum_national] [--seconds 60] [--workers 3]
        [--connections 6] [--members 40] [--write-intervals 0,2,0.5] [--json PATH]
    python bench/mixed_load.py --cpu [--db reformforum_national] [--json PATH]

Starts gunicorn with production settings (DEBUG off, Redis cache and sessions, collected
static files, the signed-out page cache on) and FORUM_BENCH_VIEWS=1 (/bench/ceiling/: the
same middleware, no database, no template). Picks --members distinct members of every kind
from the data (verified municipal, vendor, other verified, unverified, moderator; roughly
by their share, each kind at least once) and makes real sessions for them.

A load generator, a separate process (asyncio, --connections connections, each sending
its next request as soon as the last is answered), picks for every request a viewer (a
member, or a signed-out visitor with no cookie) and a page kind from a weighted mix: the
front page, category pages, topic pages (Zipf over the --topics most recently active
topics a signed-out visitor can read; some requests for a later page), searches for words
drawn from the posts, system pages, and the ceiling view, the control.

Phases, each --seconds after a --warmup: one per --write-intervals entry; 0 is no writes
(the control), otherwise a member replies through the real reply form (GET the topic page,
the form's CSRF token and hidden fields, POST /t/<pk>/svar/, follow the redirect to the
reply) every that many seconds, in Zipf-chosen topics. Each reply is real: it stays in the
data set (regenerate the data set to get back to the deterministic one).

--cpu measures instead the gunicorn workers' CPU time per request (from the kernel's
account of each worker process) for a signed-in topic page against the signed-in ceiling
view, with the caches warm and with every cache off (FORUM_PAGE_CACHE_SECONDS=0,
FORUM_FRAGMENT_CACHE=0): the targets are ≤ 6× the ceiling warm and ≤ 20× cold.
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import contextlib
import datetime
import html
import json
import math
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from html.parser import HTMLParser
from urllib.parse import quote, quote_plus, urlsplit

from common import (
    ROOT,
    cpu_seconds,
    member_session_cookie,
    percentile,
    port_is_free,
    production_environment,
    start_gunicorn,
    stop_server,
    wait_until_serving,
    worker_pids,
)

PORT = 8131
KINDS = ["front page", "category", "topic", "topic p2+", "search", "system page", "ceiling"]
POSTS = ["read mark"]  # members' follow-up writes, not reads
WRITES_IN_FLIGHT = 4
VIEWERS = ["member", "signed out"]
DEFAULT_MIX = "front=10,category=10,topic=50,search=10,system=10,ceiling=10"
MIX_NAMES = {
    "front": "front page",
    "category": "category",
    "topic": "topic",
    "search": "search",
    "system": "system page",
    "ceiling": "ceiling",
}
SIGNED_IN_MARK = b'action="/konto/logout/"'  # the header's sign-out form
CACHES_USED = {
    "signed out": "signed-out page cache on, fragments warm",
    "member": "no page cache (members), fragments warm",
    "ceiling": "none (no database, no template)",
    "read mark": "none (a write: POST, 204)",
}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="reformforum_national")
    parser.add_argument("--seconds", type=float, default=60, help="Length of each phase.")
    parser.add_argument("--warmup", type=float, default=20, help="Unmeasured load first.")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (2 cores: 3)")
    parser.add_argument("--connections", type=int, default=6)
    parser.add_argument("--members", type=int, default=40)
    parser.add_argument(
        "--write-intervals",
        default="0,2,0.5",
        help="One phase per entry: seconds between replies, 0 for none.",
    )
    parser.add_argument("--member-share", type=float, default=0.5, help="Requests by members.")
    parser.add_argument("--mix", default=DEFAULT_MIX, help="Weights of the page kinds.")
    parser.add_argument("--topics", type=int, default=3000, help="Topics the Zipf draw is over.")
    parser.add_argument("--zipf", type=float, default=1.0, help="Zipf exponent (topics, systems).")
    parser.add_argument(
        "--later-pages",
        type=float,
        default=0.2,
        help="Share of topic requests for a later page, among topics that have one.",
    )
    parser.add_argument(
        "--no-read-marks",
        action="store_true",
        help="Members do not post the topic page's read mark (its script does in a browser).",
    )
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--port", type=int, default=PORT)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/9", help="Its own db number.")
    parser.add_argument("--json", help="Also write the figures to this file.")
    parser.add_argument("--cpu", action="store_true", help="Measure CPU per request instead.")
    parser.add_argument("--cpu-requests", type=int, default=200, help="Per page and round.")
    parser.add_argument("--cpu-rounds", type=int, default=3)
    parser.add_argument(
        "--markdown", metavar="JSON", help="Print the tables of a --json file as Markdown."
    )
    parser.add_argument("--generate", help=argparse.SUPPRESS)  # the load generator's process
    parser.add_argument("--result", help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.intervals = [float(x) for x in args.write_intervals.split(",")]
    args.weights = {}
    for part in args.mix.split(","):
        name, _, weight = part.partition("=")
        if name.strip() not in MIX_NAMES:
            parser.error(f"--mix: unknown page kind {name!r} (one of {', '.join(MIX_NAMES)})")
        args.weights[MIX_NAMES[name.strip()]] = float(weight)
    return args


# --- What to load: members, topics, words (in the main process, with Django) -------------


def pick_members(count: int, rng: random.Random) -> tuple[list[dict], dict]:
    """`count` distinct members: every kind present, the rest by each kind's share of the
    members who can sign in; and a writer (verified municipal) who is none of them."""
    from django.conf import settings
    from django.db.models import Q
    from django.utils import timezone

    from accounts.models import MUNICIPAL_KINDS, Organisation, User

    readers = User.objects.filter(is_active=True, suspended_at__isnull=True).filter(
        Q(silenced_until__isnull=True) | Q(silenced_until__lt=timezone.now())
    )
    moderators = set(
        readers.filter(Q(is_superuser=True) | Q(groups__name=settings.MODERATOR_GROUP))
        .values_list("pk", flat=True)
        .distinct()
    )
    verified = readers.filter(organisation__isnull=False).exclude(organisation_verification="")
    vendor = Organisation.Kind.LEVERANDOR
    kinds = {
        "municipal": verified.filter(organisation__kind__in=MUNICIPAL_KINDS),
        "vendor": verified.filter(organisation__kind=vendor),
        "other verified": verified.exclude(organisation__kind__in=[*MUNICIPAL_KINDS, vendor]),
        "unverified": readers.filter(organisation_verification=""),
    }
    pools = {
        name: sorted(set(query.values_list("pk", flat=True)) - moderators)
        for name, query in kinds.items()
    }
    pools["moderator"] = sorted(moderators)
    missing = [name for name, pool in pools.items() if not pool]
    if missing:
        print(f"warning: no member of kind {', '.join(missing)} in the data", file=sys.stderr)
    pools = {name: pool for name, pool in pools.items() if pool}
    total = sum(len(pool) for pool in pools.values())
    share = {name: count * len(pool) / total for name, pool in pools.items()}
    chosen = {name: min(len(pools[name]), max(1, math.floor(s))) for name, s in share.items()}
    while sum(chosen.values()) < count:
        room = [n for n in pools if chosen[n] < len(pools[n])]
        if not room:
            break
        chosen[max(room, key=lambda n: share[n] - chosen[n])] += 1
    while sum(chosen.values()) > count:
        chosen[max((n for n in chosen if chosen[n] > 1), key=lambda n: chosen[n])] -= 1
    members = []
    for name, n in chosen.items():
        for pk in rng.sample(pools[name], n):
            members.append({"pk": pk, "kind": name})
    taken = {m["pk"] for m in members}
    writer_pk = rng.choice([pk for pk in pools["municipal"] if pk not in taken])
    users = User.objects.in_bulk([*taken, writer_pk])
    for member in members:
        member["cookie"] = member_session_cookie(users[member["pk"]])
    writer = {"pk": writer_pk, "kind": "municipal (writer)"}
    writer["cookie"] = member_session_cookie(users[writer_pk])
    return members, writer


def pick_pages(topics_wanted: int) -> dict:
    """The pages of the mix, from the data a signed-out visitor can read."""
    from django.conf import settings
    from django.contrib.auth.models import AnonymousUser
    from django.db import connection
    from django.db.models import Count

    from bench.vocabulary import FUNCTION_WORDS
    from directory.models import System
    from topics.models import Category, Topic

    anonymous = AnonymousUser()
    per_page = settings.POSTS_PER_PAGE
    topics = [
        {
            "pk": t.pk,
            "url": t.get_absolute_url(),
            "title": t.title,
            "pages": max(1, math.ceil((t.reply_count + 1) / per_page)),
            "locked": t.is_locked,
        }
        for t in Topic.objects.visible_to(anonymous)
        .select_related("category")
        .order_by("-last_activity_at", "-pk")[:topics_wanted]
    ]
    categories = []
    for category in Category.objects.visible_to(anonymous):
        n = Topic.objects.visible_to(anonymous).filter(category=category).count()
        pages = max(1, math.ceil(n / settings.TOPICS_PER_PAGE))
        categories.append({"url": category.get_absolute_url(), "pages": min(pages, 5)})
    systems = [
        {"url": s.get_absolute_url(), "name": s.name}
        for s in System.objects.approved().annotate(n=Count("usages")).order_by("-n", "pk")
    ]
    # Search words: the 300 commonest words of four letters or more in a sample of the
    # posts (the data's domain words and its long tail), function words left out.
    with connection.cursor() as cursor:
        cursor.execute("SELECT max(id) FROM topics_post")
        step = max(1, (cursor.fetchone()[0] or 0) // 3000)
        cursor.execute("SELECT body FROM topics_post WHERE id %% %s = 0 LIMIT 3000", [step])
        bodies = [row[0] for row in cursor.fetchall()]
    stop = set(FUNCTION_WORDS.split())
    counted = Counter(
        word
        for body in bodies
        for word in re.findall(r"[a-zæøå]{4,}", body.lower())
        if word not in stop
    )
    words = [word for word, _n in counted.most_common(300)]
    return {"topics": topics, "categories": categories, "systems": systems, "words": words}


def server_environment(args: argparse.Namespace, static_root: str) -> dict[str, str]:
    env = {**os.environ, **production_environment(args.db, static_root)}
    env.update(
        REDIS_URL=args.redis,
        FORUM_BENCH_VIEWS="1",
        FORUM_PAGE_CACHE_SECONDS="300",
        FORUM_FRAGMENT_CACHE="1",
        # One writer replying every half second is what the posting limit (10 a minute per
        # member) exists to stop; lifted here like the search limit, or the writes are 429s.
        FORUM_RATE_LIMIT_POST="1000000/m",
    )
    return env


def prepare(args: argparse.Namespace) -> tuple[dict, dict[str, str], str]:
    """Django set up in this process against the bench database; the plan for the
    generator, the server's environment, and the static folder (to remove at the end)."""
    static_root = tempfile.mkdtemp(prefix="rf-static-")
    env = server_environment(args, static_root)
    os.environ.update(env)
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
    cache.clear()  # this bench's Redis db only; before the sessions are made
    rng = random.Random(args.seed)
    members, writer = pick_members(args.members, rng)
    plan = {
        **pick_pages(args.topics),
        "members": members,
        "writer": writer,
        "port": args.port,
        "connections": args.connections,
        "member_share": args.member_share,
        "weights": args.weights,
        "zipf": args.zipf,
        "later_pages": args.later_pages,
        "read_marks": not args.no_read_marks,
        "seed": args.seed,
        "warmup": args.warmup,
        "phases": [
            {"name": phase_name(i), "interval": i, "seconds": args.seconds} for i in args.intervals
        ],
    }
    return plan, env, static_root


def phase_name(interval: float) -> str:
    return "no writes" if not interval else f"a reply every {interval:g} s"


# --- HTTP over loopback (the generator's side) ---------------------------------------------


class Connection:
    """One HTTP/1.1 connection, kept alive when the server allows it (gunicorn's sync
    workers close every connection after its answer, so then each request connects anew)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.host = f"127.0.0.1:{port}"
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.connects = 0

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None

    async def request(
        self, method: str, path: str, headers: dict[str, str], body: bytes = b""
    ) -> tuple[int, dict[str, list[str]], bytes]:
        lines = [
            f"{method} {path} HTTP/1.1",
            f"Host: {self.host}",
            "User-Agent: reformforum-mixed-load",
            "Accept: text/html,*/*",
            *(f"{name}: {value}" for name, value in headers.items()),
        ]
        if body or method == "POST":
            lines.append(f"Content-Length: {len(body)}")
        data = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body
        for attempt in (1, 2):
            reused = self.writer is not None
            if not reused:
                self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
                self.connects += 1
            try:
                self.writer.write(data)
                status, head, content = await self._response(method)
            except (ConnectionError, asyncio.IncompleteReadError):
                self.close()
                if reused and attempt == 1:
                    continue  # the server had closed the idle connection: once more, anew
                raise
            if "close" in ",".join(head.get("connection", [])).lower():
                self.close()
            return status, head, content
        raise AssertionError("unreachable")

    async def _response(self, method: str) -> tuple[int, dict[str, list[str]], bytes]:
        reader = self.reader
        raw = await reader.readuntil(b"\r\n\r\n")
        lines = raw[:-4].decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        head: dict[str, list[str]] = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            head.setdefault(name.strip().lower(), []).append(value.strip())
        if method == "HEAD" or status in (204, 304) or status < 200:
            return status, head, b""
        if "chunked" in ",".join(head.get("transfer-encoding", [])).lower():
            parts = []
            while True:
                size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
                if size == 0:
                    await reader.readuntil(b"\r\n")  # no trailers from Django
                    break
                parts.append(await reader.readexactly(size))
                await reader.readexactly(2)
            return status, head, b"".join(parts)
        if "content-length" in head:
            return status, head, await reader.readexactly(int(head["content-length"][0]))
        content = await reader.read()  # delimited by the end of the connection
        head["connection"] = ["close"]
        return status, head, content


def keep_cookies(jar: dict[str, str], head: dict[str, list[str]]) -> None:
    """What a browser would keep of the answer's Set-Cookie headers (name and value)."""
    for line in head.get("set-cookie", []):
        pair, _, attributes = line.partition(";")
        name, _, value = pair.strip().partition("=")
        gone = "max-age=0" in attributes.lower().replace(" ", "") or value in ('""', "")
        if gone:
            jar.pop(name, None)
        else:
            jar[name] = value


def cookie_header(jar: dict[str, str]) -> dict[str, str]:
    return {"Cookie": "; ".join(f"{k}={v}" for k, v in jar.items())} if jar else {}


def jar_of(cookie: str) -> dict[str, str]:
    name, _, value = cookie.partition("=")
    return {name: value}


class ZipfChoice:
    """Items by rank, the k-th drawn with weight 1/k^s."""

    def __init__(self, items: list, s: float) -> None:
        self.items = items
        self.cumulative = []
        total = 0.0
        for k in range(1, len(items) + 1):
            total += 1 / k**s
            self.cumulative.append(total)

    def draw(self, rng: random.Random):
        return self.items[
            min(
                len(self.items) - 1,
                bisect.bisect_left(self.cumulative, rng.random() * self.cumulative[-1]),
            )
        ]


# --- The load generator (its own process) --------------------------------------------------


class PhaseStats:
    def __init__(self, name: str, interval: float, seconds: float = 0) -> None:
        self.name = name
        self.interval = interval
        self.seconds = seconds
        self.latency: dict[tuple[str, str], list[float]] = defaultdict(list)
        self.status: dict[tuple[str, str], Counter] = defaultdict(Counter)
        self.hits: Counter = Counter()
        self.checks: Counter = Counter()
        self.check_failures: list[str] = []
        self.writes: list[dict] = []
        self.writes_overlapping = self.writes_skipped = 0
        self.writer_requests = 0  # the writer's GETs, POSTs and redirects, for CPU per request
        self.started = self.ended = self.wall_started = 0.0
        self.server_cpu = self.generator_cpu = 0.0

    def fail(self, what: str) -> None:
        self.checks[f"{what} failed"] += 1
        if len(self.check_failures) < 5:
            self.check_failures.append(what)


class Generator:
    def __init__(self, plan: dict) -> None:
        self.plan = plan
        self.port = plan["port"]
        self.stats = PhaseStats("warm-up", 0)
        self.stopping = False
        self.topics = ZipfChoice(plan["topics"], plan["zipf"])
        self.writable = ZipfChoice([t for t in plan["topics"] if not t["locked"]], plan["zipf"])
        self.systems = ZipfChoice(plan["systems"], plan["zipf"])
        self.kinds = list(plan["weights"])
        self.kind_weights = [plan["weights"][k] for k in self.kinds]
        self.members = [{**m, "jar": jar_of(m["cookie"])} for m in plan["members"]]
        self.writer_jar = jar_of(plan["writer"]["cookie"])
        self.words = plan["words"]
        self.connects = 0
        self.worker_pids: list[int] = plan.get("worker_pids", [])

    def pick(self, rng: random.Random) -> tuple[str, str, dict | None, str, dict | None]:
        """(page kind, viewer kind, member or None, path, topic for the check)."""
        member = rng.choice(self.members) if rng.random() < self.plan["member_share"] else None
        viewer = "member" if member else "signed out"
        kind = rng.choices(self.kinds, self.kind_weights)[0]
        topic = None
        if kind == "front page":
            path = "/"
        elif kind == "category":
            category = rng.choice(self.plan["categories"])
            path = category["url"]
            if category["pages"] > 1 and rng.random() < 0.1:
                path += f"?side={rng.randint(2, category['pages'])}"
        elif kind == "topic":
            topic = self.topics.draw(rng)
            path = topic["url"]
            if topic["pages"] > 1 and rng.random() < self.plan["later_pages"]:
                kind = "topic p2+"
                path += f"?side={rng.randint(2, topic['pages'])}"
        elif kind == "search":
            words = rng.sample(self.words, 2 if rng.random() < 0.3 else 1)
            path = "/search/?q=" + quote_plus(" ".join(words))
        elif kind == "system page":
            path = self.systems.draw(rng)["url"]
        else:
            path = "/bench/ceiling/"
        return kind, viewer, member, quote(path, safe="/?=&%+"), topic

    async def reader_loop(self, index: int) -> None:
        rng = random.Random(self.plan["seed"] * 1000 + index)
        connection = Connection(self.port)
        while not self.stopping:
            kind, viewer, member, path, topic = self.pick(rng)
            stats = self.stats
            headers = cookie_header(member["jar"]) if member else {}
            started = time.perf_counter()
            try:
                status, head, body = await asyncio.wait_for(
                    connection.request("GET", path, headers), timeout=60
                )
            except (OSError, asyncio.IncompleteReadError, TimeoutError, ValueError) as exc:
                connection.close()
                stats.latency[kind, viewer].append(1000 * (time.perf_counter() - started))
                stats.status[kind, viewer][f"error {type(exc).__name__}"] += 1
                await asyncio.sleep(0.05)
                continue
            stats.latency[kind, viewer].append(1000 * (time.perf_counter() - started))
            stats.status[kind, viewer][status] += 1
            cached = "hit" in head.get("x-page-cache", [])
            if cached:
                stats.hits[kind, viewer] += 1
            if member:
                keep_cookies(member["jar"], head)
                if cached:
                    stats.fail(f"member got a stored page: {path}")
            self.check(stats, kind, viewer, member, path, topic, status, body)
            if member and topic and status == 200 and self.plan["read_marks"]:
                await self.post_read_mark(connection, stats, member, body)
        self.connects += connection.connects
        connection.close()

    def check(self, stats, kind, viewer, member, path, topic, status, body) -> None:
        """Every 200 answer: a topic page is the topic's (its title), a member's page is
        signed in (the header's sign-out form), a signed-out visitor's is not."""
        if status != 200:
            return
        if topic is not None:
            stats.checks["topic pages checked"] += 1
            if html.escape(topic["title"]).encode() not in body:
                stats.fail(f"topic page without its title: {path} ({viewer})")
        if kind == "ceiling":
            stats.checks["ceiling checked"] += 1
            if b"ceiling" not in body:
                stats.fail("the ceiling view's answer is not the ceiling view's")
        elif member:
            stats.checks["member pages checked"] += 1
            if SIGNED_IN_MARK not in body:
                stats.fail(f"member not signed in on {path} ({member['kind']})")
        else:
            stats.checks["signed-out pages checked"] += 1
            if SIGNED_IN_MARK in body:
                stats.fail(f"signed-out visitor got a member's page: {path}")

    async def post_read_mark(self, connection, stats, member, page: bytes) -> None:
        """What the topic page's script does in a member's browser once the page is shown,
        when the member's read mark moves: POST the page's read-mark form (answered 204)."""
        form = form_fields(page, b"data-read-mark")
        if form is None:
            return
        action, fields = form
        boundary = f"----mixedload{uuid.uuid4().hex}"
        headers = {
            **cookie_header(member["jar"]),
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "X-Requested-With": "fetch",
            "Origin": f"http://127.0.0.1:{self.port}",
        }
        started = time.perf_counter()
        try:
            status, head, _body = await asyncio.wait_for(
                connection.request("POST", action, headers, multipart(fields, boundary)), 60
            )
        except (OSError, asyncio.IncompleteReadError, TimeoutError, ValueError) as exc:
            connection.close()
            status, head = f"error {type(exc).__name__}", {}
        stats.latency["read mark", "member"].append(1000 * (time.perf_counter() - started))
        stats.status["read mark", "member"][status] += 1
        keep_cookies(member["jar"], head)

    async def writer_loop(self, stats: PhaseStats, deadline: float) -> None:
        """A reply every `interval` seconds, on time: one due while the previous is still
        being answered goes on a connection of its own (at most WRITES_IN_FLIGHT at once)."""
        rng = random.Random(self.plan["seed"] + int(1000 * stats.interval))
        idle = [Connection(self.port)]
        in_flight: set[asyncio.Task] = set()

        async def one(connection: Connection) -> None:
            try:
                stats.writes.append(await self.write_once(connection, rng, stats))
            except (OSError, asyncio.IncompleteReadError, TimeoutError, ValueError) as exc:
                connection.close()
                stats.writes.append({"ok": False, "why": f"error {type(exc).__name__}"})
            finally:
                idle.append(connection)

        next_at = time.monotonic()
        while next_at < deadline:
            await asyncio.sleep(max(0.0, next_at - time.monotonic()))
            if len(in_flight) >= WRITES_IN_FLIGHT:
                stats.writes_skipped += 1
            else:
                stats.writes_overlapping += bool(in_flight)
                task = asyncio.create_task(one(idle.pop() if idle else Connection(self.port)))
                in_flight.add(task)
                task.add_done_callback(in_flight.discard)
            next_at += stats.interval
        await asyncio.gather(*in_flight)
        for connection in idle:
            self.connects += connection.connects
            connection.close()

    async def write_once(
        self, connection: Connection, rng: random.Random, stats: PhaseStats
    ) -> dict:
        """A reply through the real form: the topic page, its form, POST, the redirect."""
        topic = self.writable.draw(rng)
        jar = self.writer_jar
        started = time.perf_counter()
        status, head, page = await connection.request("GET", topic["url"], cookie_header(jar))
        stats.writer_requests += 1
        keep_cookies(jar, head)
        got_form = time.perf_counter()
        action = f"/t/{topic['pk']}/svar/"
        form = form_fields(page, f'action="{action}"'.encode())
        if status != 200 or form is None:
            return {"ok": False, "why": f"no reply form (GET {status})"}
        fields = form[1]
        marker = f"maalt-{uuid.uuid4().hex[:12]}"
        fields["body"] = f"Svar {marker} fra lastmålingen: " + " ".join(rng.sample(self.words, 12))
        boundary = f"----mixedload{uuid.uuid4().hex}"
        body = multipart(fields, boundary)
        headers = {
            **cookie_header(jar),
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Origin": f"http://127.0.0.1:{self.port}",
            "Referer": f"http://127.0.0.1:{self.port}{topic['url']}",
        }
        posted = time.perf_counter()
        status, head, _answer = await connection.request("POST", action, headers, body)
        stats.writer_requests += 1
        done_post = time.perf_counter()
        keep_cookies(jar, head)
        result = {
            "topic": topic["pk"],
            "get_ms": 1000 * (got_form - started),
            "post_ms": 1000 * (done_post - posted),
            "post_status": status,
        }
        redirects = 0
        while status in (301, 302, 303) and redirects < 5:
            location = urlsplit(head["location"][0])
            path = location.path + (f"?{location.query}" if location.query else "")
            status, head, page = await connection.request("GET", path, cookie_header(jar))
            stats.writer_requests += 1
            keep_cookies(jar, head)
            redirects += 1
        result["total_ms"] = 1000 * (time.perf_counter() - started)
        result["final_status"] = status
        result["ok"] = result["post_status"] == 302 and status == 200 and marker.encode() in page
        if not result["ok"]:
            result["why"] = f"POST {result['post_status']}, then {status}" + (
                "" if marker.encode() in page else ", reply not on the page"
            )
        return result

    def workers_cpu(self) -> float:
        total = 0.0
        for pid in self.worker_pids:
            with contextlib.suppress(OSError):  # a worker gone (restarted)
                total += cpu_seconds(pid)
        return total

    async def run(self) -> list[PhaseStats]:
        plan = self.plan
        loops = [asyncio.create_task(self.reader_loop(i)) for i in range(plan["connections"])]
        log(f"warm-up {plan['warmup']:g} s")
        await asyncio.sleep(plan["warmup"])
        done = []
        for phase in plan["phases"]:
            stats = PhaseStats(phase["name"], phase["interval"], phase["seconds"])
            cpu, own = self.workers_cpu(), own_cpu()
            stats.started, stats.wall_started = time.monotonic(), time.time()
            self.stats = stats
            deadline = stats.started + phase["seconds"]
            writer = None
            if phase["interval"]:
                writer = asyncio.create_task(self.writer_loop(stats, deadline))
            log(f"phase: {phase['name']}, {phase['seconds']:g} s")
            await asyncio.sleep(phase["seconds"])
            self.stats = PhaseStats("between", 0)
            stats.ended = time.monotonic()
            stats.server_cpu = self.workers_cpu() - cpu
            stats.generator_cpu = own_cpu() - own
            if writer is not None:
                await writer
            done.append(stats)
        self.stopping = True
        await asyncio.gather(*loops)
        return done


def form_fields(page: bytes, mark: bytes) -> tuple[str, dict[str, str]] | None:
    """The action and hidden fields (CSRF token, one-time key, position) of the form whose
    opening tag holds `mark`; only that form is parsed."""
    start = page.find(mark)
    if start < 0:
        return None
    start = page.rfind(b"<form", 0, start)
    end = page.find(b"</form>", start)
    parser = _HiddenFields()
    parser.feed(page[start : end + 7].decode())
    if parser.action is None or "csrfmiddlewaretoken" not in parser.fields:
        return None
    return parser.action, parser.fields


class _HiddenFields(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}
        self.action: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "form" and self.action is None:
            self.action = found.get("action")
        elif tag == "input" and found.get("type") == "hidden" and found.get("name"):
            self.fields[found["name"]] = found.get("value") or ""


def multipart(fields: dict[str, str], boundary: str) -> bytes:
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        for name, value in fields.items()
    ]
    return ("".join(parts) + f"--{boundary}--\r\n").encode()


def own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def log(line: str) -> None:
    print(f"[{time.strftime('%H:%M:%S', time.gmtime())} UTC] {line}", file=sys.stderr, flush=True)


def is_2xx(status: int | str) -> bool:
    return isinstance(status, int) and 200 <= status < 300


def summarise(stats: PhaseStats) -> dict:
    elapsed = stats.ended - stats.started
    rows = []
    for kind in KINDS + POSTS:
        for viewer in VIEWERS:
            latency = stats.latency.get((kind, viewer))
            if not latency:
                continue
            statuses = stats.status[kind, viewer]
            ok = sum(n for s, n in statuses.items() if is_2xx(s))
            rows.append(
                {
                    "page": kind,
                    "viewer": viewer,
                    "requests": len(latency),
                    "rps": len(latency) / elapsed,
                    "p50_ms": percentile(latency, 0.50),
                    "p95_ms": percentile(latency, 0.95),
                    "p99_ms": percentile(latency, 0.99),
                    "max_ms": max(latency),
                    "non_2xx": {str(s): n for s, n in statuses.items() if not is_2xx(s)},
                    "cache_hits": stats.hits[kind, viewer],
                    "hit_rate": stats.hits[kind, viewer] / ok if ok and viewer == "signed out" and kind not in ("ceiling", *POSTS) else None,
                    "caches": CACHES_USED[kind if kind in ("ceiling", *POSTS) else viewer],
                }
            )  # fmt: skip
    ceiling = next((r for r in rows if r["page"] == "ceiling" and r["viewer"] == "member"), None)
    for row in rows:
        if ceiling and row["viewer"] == "member":
            row["p50_of_ceiling"] = row["p50_ms"] / ceiling["p50_ms"]
            row["p95_of_ceiling"] = row["p95_ms"] / ceiling["p95_ms"]
    reads = sum(r["requests"] for r in rows if r["page"] not in POSTS)
    read_marks = sum(r["requests"] for r in rows if r["page"] in POSTS)
    writes = stats.writes
    ok_writes = [w for w in writes if w.get("ok")]
    timed = [w for w in writes if "post_ms" in w]

    def spread(key: str) -> dict | None:
        values = [w[key] for w in timed]
        if not values:
            return None
        return {
            "p50": percentile(values, 0.5),
            "p95": percentile(values, 0.95),
            "max": max(values),
        }

    non_2xx: Counter = Counter()
    for row in rows:
        non_2xx.update(row["non_2xx"])
    return {
        "name": stats.name,
        "write_interval_s": stats.interval,
        "started": datetime.datetime.fromtimestamp(stats.wall_started, datetime.UTC).isoformat(
            timespec="seconds"
        ),
        "seconds": elapsed,
        "reads": reads,
        "reads_per_s": reads / elapsed,
        "member_reads_per_s": sum(
            r["requests"] for r in rows if r["viewer"] == "member" and r["page"] not in POSTS
        )
        / elapsed,
        "read_marks_per_s": read_marks / elapsed,
        "server_cpu_ms_per_request": 1000
        * stats.server_cpu
        / max(1, reads + read_marks + stats.writer_requests),
        "server_cpu_cores": stats.server_cpu / elapsed,
        "generator_cpu_cores": stats.generator_cpu / elapsed,
        "rows": rows,
        "non_2xx": dict(non_2xx),
        "writes": {
            "planned": math.ceil(stats.seconds / stats.interval) if stats.interval else 0,
            "per_s": len(writes) / elapsed,
            "done": len(ok_writes),
            "failed": Counter(w["why"] for w in writes if not w.get("ok")),
            "overlapping": stats.writes_overlapping,
            "skipped": stats.writes_skipped,
            "get_ms": spread("get_ms"),
            "post_ms": spread("post_ms"),
            "total_ms": spread("total_ms"),
        },
        "checks": dict(stats.checks),
        "check_failures": stats.check_failures,
    }


def generate(plan_path: str, result_path: str) -> None:
    with open(plan_path) as file:
        plan = json.load(file)
    generator = Generator(plan)
    phases = asyncio.run(generator.run())
    with open(result_path, "w") as file:
        json.dump({"phases": [summarise(p) for p in phases], "connects": generator.connects}, file)


# --- Printing ------------------------------------------------------------------------------


def print_phase(phase: dict) -> None:
    writes = phase["writes"]
    print(
        f"\nPhase «{phase['name']}» ({phase['seconds']:.0f} s): {phase['reads_per_s']:.0f} reads/s "
        f"({phase['member_reads_per_s']:.0f} by members), {phase['read_marks_per_s']:.0f} read "
        f"marks/s; gunicorn workers "
        f"{phase['server_cpu_cores']:.2f} cores, {phase['server_cpu_ms_per_request']:.1f} ms CPU "
        f"per request; load generator {phase['generator_cpu_cores']:.2f} cores"
    )
    print(
        f"{'page':<12} {'viewer':<10} {'reads':>6} {'req/s':>6} {'p50 ms':>7} {'p95 ms':>7} "
        f"{'p99 ms':>7} {'hits':>5} {'p50/ceil':>8} {'p95/ceil':>8}  non-2xx"
    )
    for row in phase["rows"]:
        hits = f"{row['hit_rate']:5.0%}" if row["hit_rate"] is not None else "    -"
        ratios = (
            f"{row['p50_of_ceiling']:7.1f}x {row['p95_of_ceiling']:7.1f}x"
            if "p50_of_ceiling" in row
            else " " * 17
        )
        errors = ", ".join(f"{s}: {n}" for s, n in row["non_2xx"].items()) or "0"
        print(
            f"{row['page']:<12} {row['viewer']:<10} {row['requests']:6d} {row['rps']:6.0f} "
            f"{row['p50_ms']:7.1f} {row['p95_ms']:7.1f} {row['p99_ms']:7.1f} {hits} {ratios}  "
            f"{errors}"
        )
    if writes["planned"]:
        failed = "; ".join(f"{why}: {n}" for why, n in writes["failed"].items())
        line = (
            f"writes: {writes['done']} of {writes['planned']} planned done "
            f"({writes['per_s']:.2f}/s)"
        )
        if writes["post_ms"]:
            post, total = writes["post_ms"], writes["total_ms"]
            line += (
                f"; POST p50 {post['p50']:.0f} ms, p95 {post['p95']:.0f}, max {post['max']:.0f}; "
                f"whole reply (GET page, POST, follow redirect) p50 {total['p50']:.0f} ms, "
                f"max {total['max']:.0f}"
            )
        if failed:
            line += f"; failed: {failed}"
        if writes["overlapping"]:
            line += f"; {writes['overlapping']} began before the previous was answered"
        if writes["skipped"]:
            line += f"; {writes['skipped']} skipped ({WRITES_IN_FLIGHT} in flight)"
        print(line)
    else:
        print("writes: none (control)")
    checks = ", ".join(f"{k} {n}" for k, n in phase["checks"].items())
    print(f"checks (every 200 answer): {checks}")
    for failure in phase["check_failures"]:
        print(f"  FAILED: {failure}")


def pressure(meta: dict) -> str:
    before, after = meta.get("cpu_pressure_before"), meta.get("cpu_pressure_after")
    if before is None or after is None:
        return ""
    return f"; CPU pressure (tasks waiting for a core) {before:.0%} before, {after:.0%} after"


def server_log(path: str) -> dict:
    """What the server's log says: requests by status class, and every line that is not a
    request (warnings, errors, gunicorn's own complaints such as a worker timeout)."""
    statuses: Counter = Counter()
    problems = []
    with open(path, errors="replace") as file:
        for line in file:
            try:
                entry = json.loads(line)
            except ValueError:
                if line.strip():
                    problems.append(line.strip())
                continue
            if entry.get("logger") == "forum.requests" and "status" in entry:
                statuses[f"{entry['status'] // 100}xx"] += 1
                if entry["status"] >= 500 or entry.get("level") != "INFO":
                    problems.append(f"{entry['level']}: {entry['message']}")
            else:
                problems.append(f"{entry.get('level')}: {entry.get('message')}")
    return {"requests": sum(statuses.values()), "statuses": dict(statuses), "problems": problems}


def cpu_pressure() -> float | None:
    """The share of the last minute in which some runnable task waited for a core (Linux
    PSI): how much else the machine was doing."""
    try:
        with open("/proc/pressure/cpu") as file:
            return float(file.readline().split("avg60=")[1].split()[0]) / 100
    except (OSError, IndexError, ValueError):
        return None


def git_commit() -> str:
    def git(*command: str) -> str:
        return subprocess.run(
            ["git", *command], cwd=ROOT, capture_output=True, text=True, check=False
        ).stdout.strip()

    return git("rev-parse", "--short", "HEAD") + (
        " (dirty)" if git("status", "--porcelain", "-uno") else ""
    )


# --- Main ----------------------------------------------------------------------------------


def start(args: argparse.Namespace, env: dict[str, str], log=None):
    server = start_gunicorn(env, args.port, args.workers, log=log)
    try:
        pids = wait_until_serving(
            server, f"http://127.0.0.1:{args.port}/bench/ceiling/", args.workers
        )
    except RuntimeError:
        stop_server(server)
        raise
    return server, pids


def mixed(args: argparse.Namespace) -> None:
    plan, env, static_root = prepare(args)
    counts = Counter(m["kind"] for m in plan["members"])
    meta = {
        "benchmark": "mixed_load",
        "db": args.db,
        "commit": git_commit(),
        "started": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "cores": os.cpu_count(),
        "load_before": os.getloadavg()[0],
        "cpu_pressure_before": cpu_pressure(),
        "workers": args.workers,
        "connections": args.connections,
        "member_share": args.member_share,
        "mix": args.weights,
        "members": dict(counts),
        "topics": len(plan["topics"]),
        "systems": len(plan["systems"]),
        "search_words": len(plan["words"]),
        "warmup_s": args.warmup,
    }
    log_path = f"{tempfile.gettempdir()}/rf-mixed-load-{os.getpid()}.log"
    log_file = open(log_path, "w")  # noqa: SIM115 (the server's, closed when it stops)
    server, pids = start(args, env, log_file)
    try:
        plan["worker_pids"] = pids
        with tempfile.TemporaryDirectory(prefix="rf-mixed-") as folder:
            plan_path, result_path = f"{folder}/plan.json", f"{folder}/result.json"
            with open(plan_path, "w") as file:
                json.dump(plan, file)
            subprocess.run(
                [sys.executable, __file__, "--generate", plan_path, "--result", result_path],
                cwd=ROOT / "bench",
                check=True,
            )
            with open(result_path) as file:
                result = json.load(file)
        if worker_pids(server.pid) != pids:
            print("warning: gunicorn restarted a worker during the run", file=sys.stderr)
    finally:
        stop_server(server)
        log_file.close()
        shutil.rmtree(static_root, ignore_errors=True)
    meta["load_after"] = os.getloadavg()[0]
    meta["cpu_pressure_after"] = cpu_pressure()
    meta["server_log"] = server_log(log_path)
    print(
        f"Mixed load on {args.db} (commit {meta['commit']}): gunicorn {args.workers} sync workers, "
        f"{args.connections} connections, {args.member_share:.0%} of requests by "
        f"{len(plan['members'])} members ("
        + ", ".join(f"{n} {kind}" for kind, n in counts.items())
        + f"), the rest signed out; {len(plan['topics'])} topics (Zipf s={args.zipf:g}); "
        f"mix {args.mix}; load {meta['load_before']:.1f} before, {meta['load_after']:.1f} after"
        + pressure(meta)
    )
    print(
        "Caches: signed out: the signed-out page cache on (hits: share of 2xx answers with "
        "X-Page-Cache: hit); fragments warm (after the warm-up); members: no page cache. "
        "p50/ceil, p95/ceil: a member's latency over the ceiling view's for members, same phase."
    )
    for phase in result["phases"]:
        print_phase(phase)
    found = meta["server_log"]
    print(
        f"\nServer log ({log_path}, warm-up and writes included): {found['requests']} requests, "
        + ", ".join(f"{n} {s}" for s, n in sorted(found["statuses"].items()))
        + f"; {len(found['problems'])} warnings or errors"
    )
    for line in found["problems"][:5]:
        print(f"  {line[:300]}")
    if args.json:
        with open(args.json, "w") as file:
            json.dump({"meta": meta, "phases": result["phases"]}, file, indent=1)


# --- CPU per request (--cpu) ---------------------------------------------------------------


async def cpu_round(
    port: int, requests: list[tuple[str, dict[str, str] | None]], pids: list[int]
) -> tuple[float, Counter, list[float]]:
    """Send `requests` over two connections; the workers' CPU seconds they took."""
    queue = list(reversed(requests))
    statuses: Counter = Counter()
    latency: list[float] = []

    async def loop() -> None:
        connection = Connection(port)
        while queue:
            path, jar = queue.pop()
            started = time.perf_counter()
            status, head, _body = await connection.request(
                "GET", path, cookie_header(jar) if jar else {}
            )
            latency.append(1000 * (time.perf_counter() - started))
            statuses[status] += 1
            if jar is not None:
                keep_cookies(jar, head)
        connection.close()

    before = sum(cpu_seconds(pid) for pid in pids)
    await asyncio.gather(loop(), loop())
    return sum(cpu_seconds(pid) for pid in pids) - before, statuses, latency


def cpu_mode(args: argparse.Namespace) -> None:
    commit = git_commit()
    plan, env, static_root = prepare(args)
    rng = random.Random(args.seed)
    topics = ZipfChoice(plan["topics"], args.zipf)
    drawn = [topics.draw(rng)["url"] for _ in range(args.cpu_requests)]
    members = [jar_of(m["cookie"]) for m in plan["members"]]

    def as_member(paths: list[str]) -> list[tuple[str, dict]]:
        return [(quote(p, safe="/?=&%+"), members[i % len(members)]) for i, p in enumerate(paths)]

    pages = {
        ("ceiling", "member"): as_member(["/bench/ceiling/"] * args.cpu_requests),
        ("topic", "member"): as_member(drawn),
        ("front page", "member"): as_member(["/"] * args.cpu_requests),
        ("topic", "signed out"): [(quote(p, safe="/?=&%+"), None) for p in drawn],
    }
    states = {
        "warm": {},
        "cold": {"FORUM_PAGE_CACHE_SECONDS": "0", "FORUM_FRAGMENT_CACHE": "0"},
    }
    # Both servers run side by side (one port each) and every round measures each page on
    # one and then the other: this machine's speed drifts by more within minutes than the
    # difference between warm and cold.
    measured: dict[tuple[str, str, str], list[float]] = defaultdict(list)
    statuses: dict[tuple[str, str, str], Counter] = defaultdict(Counter)
    latency: dict[tuple[str, str, str], list[float]] = defaultdict(list)
    log_path = f"{tempfile.gettempdir()}/rf-mixed-load-cpu-{os.getpid()}.log"
    log_file = open(log_path, "w")  # noqa: SIM115 (the servers', closed after they stop)
    servers = {}
    try:
        for offset, (state, changes) in enumerate(states.items()):
            if not port_is_free(args.port + offset):
                sys.exit(f"port {args.port + offset} is taken: --port another")
            port_args = argparse.Namespace(**{**vars(args), "port": args.port + offset})
            servers[state] = (args.port + offset, *start(port_args, {**env, **changes}, log_file))
        for port, _server, pids in servers.values():
            for requests in pages.values():  # warm-up: each worker sees every page
                for _ in range(3):
                    asyncio.run(cpu_round(port, requests, pids))
        for round_ in range(args.cpu_rounds):
            log(f"round {round_ + 1} of {args.cpu_rounds}")
            for (page, viewer), requests in pages.items():
                for state, (port, _server, pids) in servers.items():
                    cpu, seen, times = asyncio.run(cpu_round(port, requests, pids))
                    measured[state, page, viewer].append(1000 * cpu / len(requests))
                    statuses[state, page, viewer].update(seen)
                    latency[state, page, viewer].extend(times)
    finally:
        for _port, server, _pids in servers.values():
            stop_server(server)
        log_file.close()
        shutil.rmtree(static_root, ignore_errors=True)
    rows = []
    for state in states:
        ceiling = statistics.median(measured[state, "ceiling", "member"])
        for page, viewer in pages:
            values = measured[state, page, viewer]
            cpu = statistics.median(values)
            rows.append(
                {
                    "state": state,
                    "page": page,
                    "viewer": viewer,
                    "cpu_ms": cpu,
                    "rounds_ms": values,
                    "of_ceiling": cpu / ceiling,
                    "p50_ms": percentile(latency[state, page, viewer], 0.5),
                    "statuses": {str(s): n for s, n in statuses[state, page, viewer].items()},
                }
            )
    found = server_log(log_path)
    print(
        f"CPU per request on {args.db} (commit {commit}): the gunicorn workers' CPU time "
        f"(not PostgreSQL's or Redis's) over {args.cpu_requests} requests per page, median of "
        f"{args.cpu_rounds} rounds; topic pages: {args.cpu_requests} Zipf draws over "
        f"{len(plan['topics'])} topics; members rotate over {len(members)}; load "
        f"{os.getloadavg()[0]:.1f}, CPU pressure {cpu_pressure() or 0:.0%}"
    )
    print(
        "warm: signed-out page cache on, fragments warm; cold: FORUM_PAGE_CACHE_SECONDS=0, "
        "FORUM_FRAGMENT_CACHE=0 (Redis still holds sessions, counts and versions)"
    )
    print(
        f"{'state':<5} {'page':<11} {'viewer':<10} {'CPU ms':>7} {'x ceiling':>9} {'p50 ms':>7}  "
        f"{'rounds':<20} statuses"
    )
    for row in rows:
        target = ""
        if row["page"] == "topic" and row["viewer"] == "member":
            limit = 6 if row["state"] == "warm" else 20
            met = "met" if row["of_ceiling"] <= limit else "MISSED"
            target = f"  target ≤ {limit}x: {met}"
        rounds = "/".join(f"{v:.2f}" for v in row["rounds_ms"])
        print(
            f"{row['state']:<5} {row['page']:<11} {row['viewer']:<10} {row['cpu_ms']:7.2f} "
            f"{row['of_ceiling']:8.1f}x {row['p50_ms']:7.1f}  {rounds:<20} "
            f"{', '.join(f'{s}: {n}' for s, n in row['statuses'].items())}{target}"
        )
    print(
        f"Server log ({log_path}): {found['requests']} requests, "
        + ", ".join(f"{n} {s}" for s, n in sorted(found["statuses"].items()))
        + f"; {len(found['problems'])} warnings or errors"
    )
    for line in found["problems"][:5]:
        print(f"  {line[:300]}")
    if args.json:
        with open(args.json, "w") as file:
            json.dump(
                {"db": args.db, "commit": commit, "cpu": rows, "server_log": found},
                file,
                indent=1,
            )


def markdown(path: str) -> None:
    """The tables of BENCHMARKS.md from a --json file of either mode."""
    with open(path) as file:
        found = json.load(file)
    if "cpu" in found:
        print("| server | page | viewer | CPU ms per request | × ceiling | rounds (ms) |")
        print("| --- | --- | --- | ---: | ---: | --- |")
        for row in found["cpu"]:
            rounds = " / ".join(f"{v:.1f}" for v in row["rounds_ms"])
            print(
                f"| {row['state']} | {row['page']} | {row['viewer']} | {row['cpu_ms']:.1f} | "
                f"{row['of_ceiling']:.1f} | {rounds} |"
            )
        return
    for phase in found["phases"]:
        writes = phase["writes"]
        done = f", {writes['done']} replies ({writes['per_s']:.2f}/s)" if writes["planned"] else ""
        print(
            f"\n**{phase['name']}** ({phase['seconds']:.0f} s): {phase['reads_per_s']:.0f} reads/s"
            f"{done}, {phase['server_cpu_ms_per_request']:.1f} ms of the workers' CPU per request\n"
        )
        print(
            "| page | viewer | requests | req/s | p50 ms | p95 ms | p99 ms | signed-out hits | "
            "p50 / ceiling | p95 / ceiling | non-2xx | caches |"
        )
        print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |")
        for row in phase["rows"]:
            hits = f"{row['hit_rate']:.0%}" if row["hit_rate"] is not None else ""
            ratios = (
                f"{row['p50_of_ceiling']:.1f} | {row['p95_of_ceiling']:.1f}"
                if "p50_of_ceiling" in row
                else " | "
            )
            errors = ", ".join(f"{s}: {n}" for s, n in row["non_2xx"].items()) or "0"
            print(
                f"| {row['page']} | {row['viewer']} | {row['requests']} | {row['rps']:.1f} | "
                f"{row['p50_ms']:.0f} | "
                f"{row['p95_ms']:.0f} | {row['p99_ms']:.0f} | {hits} | {ratios} | {errors} | "
                f"{row['caches']} |"
            )


def main() -> None:
    args = parse_args()
    if args.generate:
        generate(args.generate, args.result)
        return
    if args.markdown:
        markdown(args.markdown)
        return
    if not port_is_free(args.port):
        sys.exit(f"port {args.port} is taken: --port another")
    if args.cpu:
        cpu_mode(args)
    else:
        mixed(args)


if __name__ == "__main__":
    main()

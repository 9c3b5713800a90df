"""Time the forum search on PostgreSQL over a large generated data set.

    python bench/search_bench.py [--db reformforum_bench] [--posts 1000000] [--rounds 3]

Creates (or reuses) a separate database, migrates it, loads the real municipalities and
generates topics and posts in Norwegian with COPY. Search vectors are computed in SQL while
moving the rows out of an unlogged staging table, and the GIN index is built after the
load. Then it runs representative queries through ``search.engine.search`` (the same code
the page runs: count, ranked page, headlines, organisation names) as a signed-out visitor,
a municipal member and a moderator, and prints p50/p95/p99 in milliseconds.

Never part of the test suite. Generation of 1,000,000 posts takes a few minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

POSTS_PER_TOPIC = 10
USERS = 5000

from bench.vocabulary import FUNCTION_WORDS, VOCABULARY  # noqa: E402

WORDS = VOCABULARY.split()
FILLER = FUNCTION_WORDS.split()
ORG_WORDS = ["Acos", "Documaster", "Visma", "Tieto", "Evry", "Norkart", "Ambita", "Sikri"]

QUERIES = [
    # single words, inflected forms that must meet their stems
    {"q": "kommunene"},
    {"q": "arkivene"},
    {"q": "lønnssystemet"},
    {"q": "matrikkel"},
    {"q": "deponering"},
    {"q": "kassasjon"},
    {"q": "videokonferanse"},
    {"q": "fellesnemnd"},
    # several words, phrases and operators
    {"q": "migrering sak arkiv"},
    {"q": '"noark standard" uttrekk'},
    {"q": "leverandør -pris"},
    {"q": "backup OR lagring"},
    {"q": "skyen sikkerhet personvern"},
    {"q": "overgang januar frist"},
    # names, misspelt
    {"q": "Drammn"},
    {"q": "Kristiansnd"},
    {"q": "Dokumaster"},
    {"q": "Lillestrom"},
    # with filters
    {"q": "arkiv", "category": "sammenslaaing-og-migrering"},
    {"q": "kommunene", "organisation_kind": "leverandor"},
    {"q": "avtale", "days": 90},
    {"q": "integrasjon", "page": 5},
]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="reformforum_bench")
    parser.add_argument("--host", default=os.environ.get("BENCH_PGHOST", "127.0.0.1"))
    parser.add_argument("--user", default=os.environ.get("BENCH_PGUSER", "postgres"))
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--regenerate", action="store_true", help="Drop and rebuild the data.")
    return parser.parse_args()


def ensure_database(args: argparse.Namespace) -> None:
    import psycopg

    with psycopg.connect(
        host=args.host, user=args.user, dbname="postgres", autocommit=True
    ) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [args.db]).fetchone()
        if exists and args.regenerate:
            conn.execute(f'DROP DATABASE "{args.db}"')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{args.db}"')


_SYLLABLES = [
    "ba",
    "be",
    "bi",
    "bo",
    "bu",
    "da",
    "de",
    "di",
    "do",
    "fa",
    "fe",
    "fi",
    "fo",
    "ga",
    "ge",
    "gi",
    "go",
    "ha",
    "he",
    "hi",
    "ho",
    "ka",
    "ke",
    "ki",
    "ko",
    "la",
    "le",
    "li",
    "lo",
    "ma",
    "me",
    "mi",
    "mo",
    "na",
    "ne",
    "ni",
    "no",
    "pa",
    "pe",
    "pi",
    "po",
    "ra",
    "re",
    "ri",
    "ro",
    "sa",
    "se",
    "si",
    "so",
    "ta",
    "te",
    "ti",
    "to",
    "va",
    "ve",
    "vi",
    "vo",
]


class TextMaker:
    """Norwegian-looking text: 15% domain words (Zipf), the rest a long tail of filler words.

    The commonest domain word ends up in about half of the posts, a middling one in a few
    percent, which is what makes ranking expensive or cheap.
    """

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.domain = WORDS[:]
        rng.shuffle(self.domain)
        self.domain_weights = _cumulative([1 / (i + 1) for i in range(len(self.domain))])
        tail = {
            "".join(rng.choices(_SYLLABLES, k=rng.randint(2, 4))) + rng.choice(["", "n", "r", "t"])
            for _ in range(30_000)
        }
        self.tail = sorted(tail)
        rng.shuffle(self.tail)
        self.tail_weights = _cumulative([1 / (i + 1) ** 1.05 for i in range(len(self.tail))])

    def sentence(self, n: int) -> str:
        rng = self.rng
        domain = rng.choices(self.domain, cum_weights=self.domain_weights, k=n)
        tail = rng.choices(self.tail, cum_weights=self.tail_weights, k=n)
        fill = rng.choices(FILLER, k=n)
        words = [
            d if r < 0.15 else (f if r < 0.45 else t)
            for d, t, f, r in zip(domain, tail, fill, (rng.random() for _ in range(n)), strict=True)
        ]
        if rng.random() < 0.05:
            words.insert(rng.randrange(len(words)), rng.choice(ORG_WORDS))
        text = " ".join(words)
        return text[0].upper() + text[1:] + "."


def _cumulative(weights: list[float]) -> list[float]:
    total, out = 0.0, []
    for w in weights:
        total += w
        out.append(total)
    return out


def copy_rows(cursor, table: str, columns: list[str], rows) -> None:
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def generate(args: argparse.Namespace) -> None:
    from django.core.management import call_command
    from django.db import connection
    from psycopg import sql

    from accounts.models import Organisation
    from directory.models import Sector
    from topics.models import Category

    rng = random.Random(2020)
    text = TextMaker(rng)
    started = time.perf_counter()
    call_command("load_reference_data", verbosity=0)
    org_ids = list(Organisation.objects.values_list("pk", flat=True))
    categories = list(Category.objects.order_by("position"))
    Category.objects.filter(slug="anskaffelser-og-avtaler").update(visibility="kommuner")
    Category.objects.filter(slug="erfaringer").update(visibility="innlogget")
    sector_ids = list(Sector.objects.values_list("pk", flat=True))
    topics = args.posts // POSTS_PER_TOPIC
    print(f"Generating {USERS} members, {topics} topics, {args.posts} posts …", flush=True)

    with connection.cursor() as cursor:
        raw = cursor.connection
        cursor.execute("SET maintenance_work_mem = '1GB'")
        cursor.execute("DROP INDEX IF EXISTS post_search_vector")
        cursor.execute(
            "TRUNCATE topics_post, topics_taggedtopic, topics_topic, accounts_user CASCADE"
        )
        with raw.cursor() as cur:
            copy_rows(
                cur,
                "accounts_user",
                [
                    "id",
                    "password",
                    "is_superuser",
                    "is_staff",
                    "is_active",
                    "date_joined",
                    "email",
                    "display_name",
                    "job_title",
                    "organisation_verification",
                    "organisation_verified_at",
                    "organisation_id",
                ],
                (
                    (
                        i,
                        "!",
                        False,
                        False,
                        True,
                        "2019-01-01T00:00:00Z",
                        f"medlem{i}@bench.example",
                        f"Medlem {i}",
                        "",
                        "domain",
                        "2019-01-01T00:00:00Z",
                        rng.choice(org_ids),
                    )
                    for i in range(1, USERS + 1)
                ),
            )
            topic_rows = []
            for t in range(1, topics + 1):
                topic_rows.append(
                    (
                        t,
                        text.sentence(6).rstrip(".")[:190],
                        f"trad-{t}",
                        categories[t % len(categories)].pk,
                        rng.randrange(1, USERS + 1),
                        rng.choice(["sporsmal", "erfaring", "diskusjon"]),
                    )
                )
            copy_rows(
                cur,
                "topics_topic",
                [
                    "id",
                    "title",
                    "slug",
                    "category_id",
                    "author_id",
                    "kind",
                    "created_at",
                    "last_activity_at",
                    "last_poster_id",
                    "reply_count",
                    "is_pinned",
                    "is_locked",
                ],
                (
                    (
                        t,
                        title,
                        slug,
                        cat,
                        author,
                        kind,
                        "2019-01-01 08:00+00:00",
                        "2019-01-01 08:00+00:00",
                        author,
                        POSTS_PER_TOPIC - 1,
                        False,
                        False,
                    )
                    for t, title, slug, cat, author, kind in topic_rows
                ),
            )
            cur.execute(
                "UPDATE topics_topic SET created_at = now() - (id % 2000 + 5) * interval '1 day',"
                " last_activity_at = now() - (id % 2000) * interval '1 day'"
            )
            copy_rows(
                cur,
                "topics_taggedtopic",
                ["content_object_id", "tag_id"],
                ((t, rng.choice(sector_ids)) for t in range(1, topics + 1) if t % 3 == 0),
            )
            print(f"  topics in {time.perf_counter() - started:.0f} s", flush=True)
            cur.execute(
                "CREATE UNLOGGED TABLE IF NOT EXISTS bench_post_stage "
                "(topic_id bigint, author_id bigint, position int, body text)"
            )
            cur.execute("TRUNCATE bench_post_stage")
            copy_rows(
                cur,
                "bench_post_stage",
                ["topic_id", "author_id", "position", "body"],
                (
                    (t, rng.randrange(1, USERS + 1), p, text.sentence(rng.randint(20, 60)))
                    for t in range(1, topics + 1)
                    for p in range(1, POSTS_PER_TOPIC + 1)
                ),
            )
            print(f"  staged posts in {time.perf_counter() - started:.0f} s", flush=True)
            # The same vector as topics.actions: title (A) on the first post, body (B).
            cur.execute(
                """
                INSERT INTO topics_post (topic_id, author_id, position, body, body_html,
                    created_at, is_hidden, hidden_reason, search_vector)
                SELECT s.topic_id, s.author_id, s.position, s.body, '<p>' || s.body || '</p>',
                    t.created_at + s.position * interval '3 hours', false, '',
                    CASE WHEN s.position = 1
                         THEN setweight(to_tsvector('norwegian', t.title), 'A')
                         ELSE ''::tsvector END
                    || setweight(to_tsvector('norwegian', s.body), 'B')
                FROM bench_post_stage s JOIN topics_topic t ON t.id = s.topic_id
                """
            )
            cur.execute("DROP TABLE bench_post_stage")
            print(f"  posts and vectors in {time.perf_counter() - started:.0f} s", flush=True)
            cur.execute("CREATE INDEX post_search_vector ON topics_post USING gin (search_vector)")
            for table in ("accounts_user", "topics_topic", "topics_post"):
                cur.execute(
                    sql.SQL(
                        "SELECT setval(pg_get_serial_sequence({name}, 'id'), "
                        "(SELECT max(id) FROM {table}))"
                    ).format(name=sql.Literal(table), table=sql.Identifier(table))
                )
        cursor.execute("VACUUM ANALYZE topics_post")
        cursor.execute("VACUUM ANALYZE topics_topic")
        cursor.execute("ANALYZE")
    print(f"Generated in {time.perf_counter() - started:.0f} s", flush=True)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def run_queries(args: argparse.Namespace) -> None:
    import datetime

    from django.contrib.auth.models import AnonymousUser
    from django.db import connection
    from django.utils import timezone

    from accounts.models import User
    from search import engine
    from topics.models import Category, Post

    municipal = User.objects.filter(organisation__kind="kommune").first()
    moderator = User.objects.exclude(pk=municipal.pk).first()
    moderator.is_superuser = True  # in memory only: sees every category, like a moderator
    viewers = {"signed out": AnonymousUser(), "municipal": municipal, "moderator": moderator}
    print(
        f"Data: {Post.objects.count():,} posts; PostgreSQL "
        f"{connection.cursor().connection.info.server_version}",
        flush=True,
    )

    def run(case: dict, user) -> tuple[float, int]:
        filters = engine.Filters(
            category=Category.objects.get(slug=case["category"]) if "category" in case else None,
            organisation_kind=case.get("organisation_kind", ""),
            date_from=timezone.localdate() - datetime.timedelta(days=case["days"])
            if "days" in case
            else None,
        )
        start = time.perf_counter()
        results = engine.search(
            user=user, query=case["q"], filters=filters, page=case.get("page", 1)
        )
        count = results.page.paginator.count
        return (time.perf_counter() - start) * 1000, count

    for case in QUERIES:  # warm the cache once
        run(case, viewers["signed out"])
    timings: dict[str, list[float]] = {name: [] for name in viewers}
    slowest: list[tuple[float, str, str, int]] = []
    for _ in range(args.rounds):
        for name, user in viewers.items():
            for case in QUERIES:
                ms, count = run(case, user)
                timings[name].append(ms)
                slowest.append((ms, name, case["q"], count))
    every = [ms for values in timings.values() for ms in values]
    print(
        f"\n{len(every)} searches ({len(QUERIES)} queries x {len(viewers)} viewers x {args.rounds} rounds)"
    )
    print(f"{'viewer':<12} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    for name, values in [*timings.items(), ("all", every)]:
        print(
            f"{name:<12} {percentile(values, 0.5):8.1f} {percentile(values, 0.95):8.1f} "
            f"{percentile(values, 0.99):8.1f} {max(values):8.1f}"
        )
    print("\nSlowest:")
    for ms, name, q, count in sorted(slowest, reverse=True)[:5]:
        print(f"  {ms:8.1f} ms  {name:<11} {q!r} ({count:,} hits)")


def main() -> None:
    args = parse_args()
    ensure_database(args)
    os.environ["DATABASE_URL"] = f"postgres://{args.user}@{args.host}:5432/{args.db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forum.settings")
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command

    from topics.models import Post

    call_command("migrate", verbosity=0)
    if args.regenerate or Post.objects.count() < args.posts:
        generate(args)
    run_queries(args)


if __name__ == "__main__":
    main()

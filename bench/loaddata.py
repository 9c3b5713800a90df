"""A deterministic, national-scale data set for benchmarks (``manage.py generate_load_data``).

PostgreSQL only. Every real municipality and county (the reference data), 150 vendors with
their systems, members, topics with Norwegian-looking posts (a few with 5,000 replies),
directory usages, watches and notifications, all drawn from one ``random.Random(seed)``.

Rows go in with COPY while the heavy indexes and foreign keys of the big tables are dropped;
they are rebuilt afterwards in one pass each. Post search vectors are computed in SQL, in
two parallel connections, while moving the posts out of an unlogged staging table.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import random
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import psycopg
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from bench.vocabulary import FUNCTION_WORDS, VOCABULARY

# The national size; other sizes are this times a scale (1/100 for the "small" set).
NATIONAL = {
    "vendors": 150,
    "members": 30_000,
    "topics": 100_000,
    "posts": 1_000_000,
    "long_topics": 5,
    "long_topic_replies": 5_000,
    "usages": 20_000,
    "notifications": 500_000,
}
SYSTEMS_PER_VENDOR = 3
MODERATORS = 5
GENERATED_SLUG_PREFIX = "lastdata-"
END = dt.datetime(2025, 6, 1, 12, 0, tzinfo=dt.UTC)
YEARS = 10

# Tables whose foreign keys and secondary indexes are dropped during the load.
BULK_TABLES = [
    "topics_post",
    "topics_topic",
    "topics_taggedtopic",
    "topics_topic_systems",
    "notifications_notification",
    "notifications_watch",
    "accounts_user",
    "account_emailaddress",
    "directory_usage",
]


_SYLLABLES_TEXT = (
    "ba be bi bo bu da de di do fa fe fi fo ga ge gi go ha he hi ho ka ke ki ko la le li lo "
    "ma me mi mo na ne ni no pa pe pi po ra re ri ro sa se si so ta te ti to va ve vi vo"
)
_SYLLABLES = _SYLLABLES_TEXT.split()
_VENDOR_WORDS_TEXT = (
    "Nord Vest Fjord Fjell Kyst Dal Vik Berg Lys Data Sys Digi Arkiv Kart Geo Lønn Helse Skole "
    "Tek Sky Nett Bit Linje Punkt Vann Skog Bro Havn Ask Eik"
)
_VENDOR_WORDS = _VENDOR_WORDS_TEXT.split()
_SYSTEM_WORDS_TEXT = (
    "Arkiv Sak Lønn Personal Økonomi Faktura Journal Omsorg Skole Barnehage Vann Kart "
    "Plan Bygg Portal Skjema Innsyn Drift Sikker Tilgang"
)
_SYSTEM_WORDS = _SYSTEM_WORDS_TEXT.split()
_FIRST_NAMES_TEXT = (
    "Kari Ola Ingrid Per Anne Lars Marit Jon Liv Nils Hilde Knut Siri Arne Tone Erik Randi Geir "
    "Silje Terje Hanne Bjørn Camilla Morten Ida Trond Nina Svein Eva Rune"
)
_FIRST_NAMES = _FIRST_NAMES_TEXT.split()
_LAST_NAMES_TEXT = (
    "Hansen Johansen Olsen Larsen Andersen Pedersen Nilsen Kristiansen Jensen Karlsen Johnsen "
    "Pettersen Eriksen Berg Haugen Hagen Johannessen Andreassen Jacobsen Dahl Jørgensen Halvorsen"
)
_LAST_NAMES = _LAST_NAMES_TEXT.split()


def _cumulative(weights: Iterable[float]) -> list[float]:
    total, out = 0.0, []
    for w in weights:
        total += w
        out.append(total)
    return out


class TextMaker:
    """Norwegian-looking text: 15% domain words (Zipf), the rest filler and a long tail.

    The commonest domain word ends up in about half of the posts, a middling one in a few
    percent, which is what makes search ranking expensive or cheap.
    """

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.domain = VOCABULARY.split()
        rng.shuffle(self.domain)
        self.domain_weights = _cumulative(1 / (i + 1) for i in range(len(self.domain)))
        tail = {
            "".join(rng.choices(_SYLLABLES, k=rng.randint(2, 4))) + rng.choice(["", "n", "r", "t"])
            for _ in range(30_000)
        }
        self.tail = sorted(tail)
        rng.shuffle(self.tail)
        self.tail_weights = _cumulative(1 / (i + 1) ** 1.05 for i in range(len(self.tail)))
        self.filler = FUNCTION_WORDS.split()

    def sentence(self, n: int) -> str:
        rng = self.rng
        domain = rng.choices(self.domain, cum_weights=self.domain_weights, k=n)
        tail = rng.choices(self.tail, cum_weights=self.tail_weights, k=n)
        fill = rng.choices(self.filler, k=n)
        chosen = [
            d if r < 0.15 else (f if r < 0.45 else t)
            for d, t, f, r in zip(domain, tail, fill, (rng.random() for _ in range(n)), strict=True)
        ]
        text = " ".join(chosen)
        return text[0].upper() + text[1:] + "."


@dataclass(frozen=True)
class Size:
    vendors: int
    members: int
    topics: int
    posts: int
    long_topics: int
    long_topic_replies: int
    usages: int
    notifications: int

    @classmethod
    def scaled(cls, scale: float) -> Size:
        n = {key: max(1, round(value * scale)) for key, value in NATIONAL.items()}
        # Every size keeps the 150 vendors and at least one 5,000-reply topic, so the same
        # pages exist at every scale.
        n["vendors"] = NATIONAL["vendors"]
        n["long_topic_replies"] = NATIONAL["long_topic_replies"]
        n["long_topics"] = max(1, n["long_topics"])
        minimum_posts = n["topics"] + n["long_topics"] * n["long_topic_replies"]
        n["posts"] = max(n["posts"], minimum_posts)
        return cls(**n)


class Loader:
    def __init__(self, *, size: Size, seed: int, report: Callable[[str], None]) -> None:
        self.size = size
        self.rng = random.Random(seed)
        self.text = TextMaker(self.rng)
        self.report = report
        self.started = time.perf_counter()

    # ---- helpers --------------------------------------------------------------------

    def progress(self, message: str) -> None:
        self.report(f"[{time.perf_counter() - self.started:6.1f} s] {message}")

    def connect(self) -> psycopg.Connection:
        params = connection.get_connection_params()
        keep = {
            k: v for k, v in params.items() if k in {"dbname", "user", "password", "host", "port"}
        }
        return psycopg.connect(**keep, autocommit=True)

    def copy(self, cur, table: str, columns: list[str], rows: Iterable[tuple]) -> int:
        count = 0
        with cur.copy(f"COPY {table} ({', '.join(f'"{c}"' for c in columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
        return count

    # ---- the load ----------------------------------------------------------------------

    def run(self) -> None:
        if connection.vendor != "postgresql":
            raise RuntimeError("generate_load_data needs PostgreSQL (DATABASE_URL).")
        call_command("load_reference_data", verbosity=0)
        self.progress("reference data: municipalities, counties, agencies, vendors")
        with self.connect() as conn, conn.cursor() as cur:
            cur.execute("SET synchronous_commit = off")
            cur.execute("SET maintenance_work_mem = '1GB'")
            self.wipe(cur)
            saved = self.drop_indexes_and_keys(cur)
            self.progress(f"dropped {len(saved)} indexes and keys on the big tables")
            self.vendors_and_systems(cur)
            self.members(cur)
            self.topics_and_posts(cur)
            self.usages(cur)
            self.notifications_and_watches(cur)
            self.recreate(cur, saved)
            self.reset_sequences(cur)
            for table in BULK_TABLES:
                cur.execute(f"VACUUM ANALYZE {table}")
            cur.execute("ANALYZE")
            self.progress("vacuumed and analysed")

    def wipe(self, cur) -> None:
        cur.execute(
            "TRUNCATE accounts_user, directory_system, topics_topic, topics_post, "
            "notifications_notification, django_session CASCADE"
        )
        cur.execute(
            "DELETE FROM accounts_organisation WHERE slug LIKE %s", [GENERATED_SLUG_PREFIX + "%"]
        )
        cur.execute("UPDATE topics_category SET visibility = 'offentlig'")
        # Some closed spaces, as on the real forum.
        cur.execute(
            "UPDATE topics_category SET visibility = 'kommuner' "
            "WHERE slug = 'anskaffelser-og-avtaler'"
        )
        cur.execute("UPDATE topics_category SET visibility = 'innlogget' WHERE slug = 'om-forumet'")

    def drop_indexes_and_keys(self, cur) -> list[str]:
        """Drop foreign keys, unique constraints and secondary indexes; return how to rebuild.

        The statements that rebuild them are kept in a table until they have run, so an
        interrupted load is repaired by the next one.
        """
        cur.execute("CREATE TABLE IF NOT EXISTS loaddata_pending_ddl (seq serial, statement text)")
        cur.execute("SELECT statement FROM loaddata_pending_ddl ORDER BY seq")
        pending = [row[0] for row in cur.fetchall()]
        if pending:
            self.progress(f"repairing {len(pending)} indexes and keys left by an interrupted load")
            self.recreate(cur, pending)
        saved: list[str] = []
        cur.execute(
            """
            SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)
            FROM pg_constraint
            WHERE conrelid::regclass::text = ANY(%s) AND contype IN ('f', 'u')
            ORDER BY contype DESC
            """,
            [BULK_TABLES],
        )
        constraints = cur.fetchall()
        for table, name, definition in constraints:
            saved.append(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        cur.execute(
            """
            SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
            FROM pg_index i
            WHERE i.indrelid::regclass::text = ANY(%s) AND NOT i.indisprimary
              AND NOT EXISTS (
                SELECT 1 FROM pg_constraint c
                WHERE c.conindid = i.indexrelid AND c.contype IN ('u', 'p', 'x')
              )
            """,
            [BULK_TABLES],
        )
        indexes = cur.fetchall()
        saved[:0] = [
            definition.replace(" INDEX ", " INDEX IF NOT EXISTS ", 1)
            for _name, definition in indexes
        ]
        cur.execute("TRUNCATE loaddata_pending_ddl")
        with cur.copy("COPY loaddata_pending_ddl (statement) FROM STDIN") as copy:
            for statement in saved:
                copy.write_row((statement,))
        for table, name, _definition in constraints:
            cur.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _definition in indexes:
            cur.execute(f"DROP INDEX {name}")
        return saved

    def recreate(self, cur, saved: list[str]) -> None:
        indexes = [s for s in saved if not s.startswith("ALTER")]
        constraints = [s for s in saved if s.startswith("ALTER")]
        # Two connections build indexes side by side: one per core.
        queue = list(indexes)
        lock = threading.Lock()

        def worker() -> None:
            with self.connect() as conn, conn.cursor() as c:
                c.execute("SET maintenance_work_mem = '512MB'")
                while True:
                    with lock:
                        if not queue:
                            return
                        statement = queue.pop(0)
                    c.execute(statement)

        threads = [threading.Thread(target=worker) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.progress(f"rebuilt {len(indexes)} indexes")
        # Unique constraints first (foreign keys may rely on them), then the foreign keys.
        for statement in sorted(constraints, key=lambda s: "FOREIGN KEY" in s):
            # When repairing an interrupted load, some are back already.
            with contextlib.suppress(psycopg.errors.DuplicateObject, psycopg.errors.DuplicateTable):
                cur.execute(statement)
        cur.execute("TRUNCATE loaddata_pending_ddl")
        self.progress(f"re-added {len(constraints)} constraints")

    def reset_sequences(self, cur) -> None:
        for table in [*BULK_TABLES, "directory_system", "accounts_organisation", "auth_group"]:
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                f"COALESCE((SELECT max(id) FROM {table}), 1))"
            )

    # ---- organisations and members ---------------------------------------------------------

    def vendors_and_systems(self, cur) -> None:
        rng = self.rng
        cur.execute("SELECT id FROM accounts_organisation WHERE kind = 'leverandor' ORDER BY id")
        vendors = [row[0] for row in cur.fetchall()]
        names = set()
        while len(vendors) + len(names) < self.size.vendors:
            names.add(f"{rng.choice(_VENDOR_WORDS)}{rng.choice(_VENDOR_WORDS).lower()} AS")
        for name in sorted(names):
            slug = GENERATED_SLUG_PREFIX + name.lower().replace(" ", "-").replace("ø", "o")
            slug = slug.replace("å", "a").replace("æ", "ae")
            cur.execute(
                "INSERT INTO accounts_organisation (kind, name, slug, municipality_number, "
                "org_number, website) VALUES ('leverandor', %s, %s, '', '', '') RETURNING id",
                [name, slug],
            )
            vendors.append(cur.fetchone()[0])
        cur.execute("SELECT id FROM directory_sector ORDER BY position, id")
        self.sector_ids = [row[0] for row in cur.fetchall()]
        systems, system_sectors = [], []
        self.systems_by_sector: dict[int, list[int]] = {s: [] for s in self.sector_ids}
        system_id = 0
        for vendor in vendors:
            for k in range(SYSTEMS_PER_VENDOR):
                system_id += 1
                name = f"{rng.choice(_SYSTEM_WORDS)}{rng.choice(_SYSTEM_WORDS).lower()} {k + 1}"
                slug = f"system-{system_id}"
                systems.append(
                    (system_id, name, slug, self.text.sentence(12), "", True, END, vendor)
                )
                for sector in rng.sample(self.sector_ids, rng.randint(1, 3)):
                    system_sectors.append((system_id, sector))
                    self.systems_by_sector[sector].append(system_id)
        self.copy(
            cur,
            "directory_system",
            [
                "id",
                "name",
                "slug",
                "description",
                "website",
                "is_approved",
                "created_at",
                "vendor_id",
            ],
            systems,
        )
        self.copy(cur, "directory_system_sectors", ["system_id", "sector_id"], system_sectors)
        self.system_ids = [row[0] for row in systems]
        self.progress(f"{len(vendors)} vendors, {len(systems)} systems")

    def members(self, cur) -> None:
        rng = self.rng
        cur.execute("SELECT id, kind FROM accounts_organisation WHERE valid_to IS NULL ORDER BY id")
        by_kind: dict[str, list[int]] = {}
        for pk, kind in cur.fetchall():
            by_kind.setdefault(kind, []).append(pk)
        cur.execute(
            "SELECT id FROM accounts_organisation WHERE slug = %s",
            [settings.HOST_ORGANISATION_SLUG],
        )
        row = cur.fetchone()
        kartverket = row[0] if row else by_kind["statlig"][0]
        municipal = by_kind.get("kommune", []) + by_kind.get("fylkeskommune", [])
        n = self.size.members
        users, emails = [], []
        self.member_org: list[int | None] = [None]
        joined_span = YEARS * 365 * 86400
        for i in range(1, n + 1):
            if i <= MODERATORS:
                org = kartverket
            else:
                r = rng.random()
                org = (
                    rng.choice(municipal)
                    if r < 0.78
                    else rng.choice(by_kind["leverandor"])
                    if r < 0.92
                    else rng.choice(by_kind["statlig"] + by_kind.get("annen", []))
                    if r < 0.96
                    else None
                )
            self.member_org.append(org)
            email = f"medlem{i}@lastdata.example"
            name = f"{rng.choice(_FIRST_NAMES)} {rng.choice(_LAST_NAMES)}"
            joined = END - dt.timedelta(seconds=rng.randrange(joined_span))
            verified = org is not None
            users.append(
                (
                    i,
                    "!",
                    False,
                    False,
                    True,
                    joined,
                    email,
                    name,
                    "IT-rådgiver",
                    "domain" if verified else "",
                    joined if verified else None,
                    "",
                    org,
                    "",
                    "",
                    "",
                )
            )
            emails.append((i, email, True, True, i))
        self.copy(
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
                "organisation_verified_through",
                "organisation_id",
                "silence_reason",
                "suspension_reason",
                "avatar",
            ],
            users,
        )
        self.copy(
            cur, "account_emailaddress", ["id", "email", "verified", "primary", "user_id"], emails
        )
        cur.execute(
            "INSERT INTO auth_group (name) VALUES (%s) ON CONFLICT (name) DO NOTHING",
            [settings.MODERATOR_GROUP],
        )
        cur.execute(
            "INSERT INTO accounts_user_groups (user_id, group_id) "
            "SELECT u, g.id FROM generate_series(1, %s) u, auth_group g WHERE g.name = %s",
            [min(MODERATORS, n), settings.MODERATOR_GROUP],
        )
        # Activity follows a power law: a few members write much of the content.
        self.author_weights = _cumulative(1 / (i + 10) for i in range(n))
        self.progress(f"{n:,} members ({MODERATORS} moderators)")

    def author(self) -> int:
        return self.rng.choices(range(1, self.size.members + 1), cum_weights=self.author_weights)[0]

    # ---- topics and posts ------------------------------------------------------------------

    def reply_counts(self) -> list[int]:
        """Replies per topic: a few very long topics, the rest skewed and summing exactly."""
        rng, size = self.rng, self.size
        ordinary = size.topics - size.long_topics
        replies_left = size.posts - size.topics - size.long_topics * size.long_topic_replies
        mean = max(replies_left / max(ordinary, 1), 0.01)
        counts = [min(int(rng.expovariate(1 / mean)), 400) for _ in range(ordinary)]
        diff = replies_left - sum(counts)
        while diff:
            i = rng.randrange(ordinary)
            if diff > 0:
                step = min(diff, 10)
                counts[i] += step
                diff -= step
            elif counts[i] > 0:
                counts[i] -= 1
                diff += 1
        # The long topics sit at fixed places in the sequence, so ids are stable.
        stride = max(size.topics // size.long_topics, 1)
        for k in range(size.long_topics):
            counts.insert(min(k * stride + stride // 2, len(counts)), size.long_topic_replies)
        return counts

    def topics_and_posts(self, cur) -> None:
        rng, size = self.rng, self.size
        cur.execute("SELECT id, slug FROM topics_category ORDER BY position, id")
        categories = cur.fetchall()
        category_ids = [pk for pk, slug in categories if slug != "workshop-2018"]
        public_qa = next(pk for pk, slug in categories if slug == "sporsmal-og-svar")
        category_weights = _cumulative([30, 20, 15, 10, 3][: len(category_ids)] + [3] * 10)
        category_weights = category_weights[: len(category_ids)]
        counts = self.reply_counts()
        span = YEARS * 365 * 86400
        topic_rows, tag_rows, system_rows = [], [], []
        self.topic_posts: list[tuple[int, int, int]] = []  # (topic, first post id, posts)
        post_id = 0
        cur.execute(
            "CREATE UNLOGGED TABLE IF NOT EXISTS loaddata_post_stage (id bigint, topic_id bigint, "
            "author_id bigint, position int, body text, created_at timestamptz, "
            "useful_count int)"
        )
        cur.execute("TRUNCATE loaddata_post_stage")
        columns = ["id", "topic_id", "author_id", "position", "body", "created_at", "useful_count"]

        with cur.copy(f"COPY loaddata_post_stage ({', '.join(columns)}) FROM STDIN") as copy:
            for topic_id, replies in enumerate(counts, start=1):
                long = replies == size.long_topic_replies
                created = END - dt.timedelta(seconds=rng.randrange(span))
                # Long topics span years; ordinary ones a few days or weeks.
                gap = (END - created).total_seconds() / (replies + 2) if long else 6 * 3600
                author = self.author()
                at, last_author, first_post = created, author, post_id + 1
                useful_post, best = None, -1
                for position in range(1, replies + 2):
                    post_id += 1
                    if position > 1:
                        at = min(at + dt.timedelta(seconds=rng.expovariate(1 / gap)), END)
                        last_author = self.author()
                    useful = int(rng.expovariate(1.0)) if rng.random() < 0.2 else 0
                    if position > 1 and useful > best:
                        useful_post, best = post_id, useful
                    copy.write_row(
                        (
                            post_id,
                            topic_id,
                            author if position == 1 else last_author,
                            position,
                            self.text.sentence(rng.randint(20, 60)),
                            at,
                            useful,
                        )
                    )
                    if post_id % 100_000 == 0:
                        self.progress(f"posts: {post_id:,} of {size.posts:,}")
                kind = rng.choices(["sporsmal", "erfaring", "diskusjon"], [60, 25, 15])[0]
                solved = kind == "sporsmal" and replies > 0 and rng.random() < 0.45
                category = (
                    public_qa
                    if long
                    else rng.choices(category_ids, cum_weights=category_weights)[0]
                )
                title = self.text.sentence(rng.randint(4, 10)).rstrip(".")[:190]
                topic_rows.append(
                    (
                        topic_id,
                        title,
                        f"trad-{topic_id}",
                        category,
                        author,
                        kind,
                        created,
                        at,
                        last_author,
                        replies,
                        topic_id <= 3,
                        False,
                        "",
                        (useful_post or first_post + 1) if solved else None,
                        author if solved else None,
                        False,
                        topic_id % 5000 == 7,
                        True,
                        at if solved else None,
                        rng.choice(["positiv", "negativ", "blandet"]) if kind == "erfaring" else "",
                    )
                )
                self.topic_posts.append((topic_id, first_post, replies + 1))
                if rng.random() < 0.7:
                    for sector in rng.sample(self.sector_ids, rng.randint(1, 2)):
                        tag_rows.append((topic_id, sector))
                if rng.random() < 0.1:
                    system_rows.append((topic_id, rng.choice(self.system_ids)))
        self.progress(f"staged {post_id:,} posts")
        self.copy(
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
                "closed_reason",
                "solved_post_id",
                "solved_by_id",
                "is_pinned_in_category",
                "is_curated",
                "is_approved",
                "solved_at",
                "verdict",
            ],
            topic_rows,
        )
        self.copy(cur, "topics_taggedtopic", ["content_object_id", "tag_id"], tag_rows)
        self.copy(cur, "topics_topic_systems", ["topic_id", "system_id"], system_rows)
        self.progress(f"{len(topic_rows):,} topics, {len(tag_rows):,} sector tags")
        self.move_posts(post_id)

    def move_posts(self, last_id: int) -> None:
        """Posts with their search vectors (title A on the first post, body B), two at a time."""
        half = last_id // 2

        def insert(low: int, high: int) -> None:
            with self.connect() as conn, conn.cursor() as c:
                c.execute("SET synchronous_commit = off")
                c.execute(
                    """
                    INSERT INTO topics_post (id, topic_id, author_id, position, body, body_html,
                        created_at, is_hidden, hidden_reason, useful_count, is_approved,
                        search_vector)
                    SELECT s.id, s.topic_id, s.author_id, s.position, s.body,
                        '<p>' || s.body || '</p>', s.created_at, false, '', s.useful_count, true,
                        CASE WHEN s.position = 1
                             THEN setweight(to_tsvector('norwegian', t.title), 'A')
                             ELSE ''::tsvector END
                        || setweight(to_tsvector('norwegian', s.body), 'B')
                    FROM loaddata_post_stage s JOIN topics_topic t ON t.id = s.topic_id
                    WHERE s.id > %s AND s.id <= %s
                    """,
                    [low, high],
                )

        threads = [
            threading.Thread(target=insert, args=(0, half)),
            threading.Thread(target=insert, args=(half, last_id)),
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        with self.connect() as conn:
            conn.execute("DROP TABLE loaddata_post_stage")
        self.progress("posts and search vectors in place")

    # ---- directory, notifications ----------------------------------------------------------

    def usages(self, cur) -> None:
        rng = self.rng
        cur.execute(
            "SELECT id, valid_to IS NOT NULL FROM accounts_organisation "
            "WHERE kind IN ('kommune', 'fylkeskommune', 'ikt_samarbeid') ORDER BY id"
        )
        organisations = cur.fetchall()
        wanted = self.size.usages
        per_org = max(1, round(wanted / max(len(organisations), 1)))
        rows, seen = [], set()
        statuses = ["i_bruk", "valgt", "anskaffelse", "utfases"]
        for org, merged_away in organisations:
            for _ in range(per_org):
                sector = rng.choice(self.sector_ids)
                if not self.systems_by_sector[sector]:
                    continue
                system = rng.choice(self.systems_by_sector[sector])
                if (org, system, sector) in seen:
                    continue
                seen.add((org, system, sector))
                status = (
                    rng.choice(["avviklet", "utfases"])
                    if merged_away
                    else rng.choices(statuses, [70, 15, 8, 7])[0]
                )
                since = dt.date(rng.randint(2005, 2019), rng.randint(1, 12), 1)
                rows.append((len(rows) + 1, org, system, sector, status, since, "", False, END))
                if len(rows) >= wanted:
                    break
            if len(rows) >= wanted:
                break
        self.copy(
            cur,
            "directory_usage",
            [
                "id",
                "organisation_id",
                "system_id",
                "sector_id",
                "status",
                "since",
                "note",
                "is_example",
                "created_at",
            ],
            rows,
        )
        self.progress(f"{len(rows):,} directory usages")

    def notifications_and_watches(self, cur) -> None:
        rng, size = self.rng, self.size
        watches = [
            (topic_id, self_author, END) for topic_id, self_author in self._topic_authors(cur)
        ]
        self.copy(cur, "notifications_watch", ["topic_id", "user_id", "created_at"], watches)
        seen: set[tuple[int, int, str]] = set()
        rows = []
        # Recipients are skewed too: active members get many notifications.
        while len(rows) < size.notifications:
            topic_id, first_post, posts = self.topic_posts[rng.randrange(len(self.topic_posts))]
            post = first_post + rng.randrange(posts)
            recipient = self.author()
            kind = (
                "ny_trad"
                if post == first_post
                else rng.choices(["svar", "nevnt", "losning"], [90, 7, 3])[0]
            )
            if (recipient, post, kind) in seen:
                continue
            seen.add((recipient, post, kind))
            created = END - dt.timedelta(seconds=rng.randrange(YEARS * 365 * 86400))
            read = created + dt.timedelta(hours=rng.randint(1, 72)) if rng.random() < 0.85 else None
            rows.append((recipient, kind, topic_id, post, self.author(), created, read))
        self.copy(
            cur,
            "notifications_notification",
            ["recipient_id", "kind", "topic_id", "post_id", "actor_id", "created_at", "read_at"],
            rows,
        )
        self.progress(f"{len(watches):,} watches, {len(rows):,} notifications")

    def _topic_authors(self, cur) -> list[tuple[int, int]]:
        cur.execute("SELECT id, author_id FROM topics_topic ORDER BY id")
        return cur.fetchall()

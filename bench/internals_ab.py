"""Is a short cut past Django's internals worth it? Members' pages with it and without, A/B.

    python bench/internals_ab.py [--db reformforum_national] [--requests 600] [--members 40]

Issue 19 asks to keep a short cut past Django's internals only where the mixed load shows it
is worth more than 5 %. With other work on the machine, two separate runs of
bench/mixed_load.py differ by more than that from noise alone, so this benchmark asks the
question inside one process: for every request it draws a member (one of --members, every
kind) and a page from the mixed load's mix of members' pages (front page 10, category 10,
topic 50 — Zipf over the 3,000 most recently active topics, a fifth of them a later page —
search 10, system page 10), and serves it through the whole middleware stack (Django's test
client, production settings, Redis for the cache and sessions, fragment cache warm) twice:
once with the short cut and once without, in random order. The sum of the CPU time of each
side is compared, so drift in the machine's load falls on both alike.

Arms (each measured on its own; add one to weigh another short cut):
  redis   one redis-py client per connection pool (the former forum/cache.py) against
          Django's RedisCacheClient, which builds a client for every cache call.
  member  the signed-in member from SQL compiled once per process (accounts/backends.py)
          against the same query built by the ORM on every request.

Run on 4 December 2026 (national data set, other work on the machine), 400 requests a run:
the compiled member query was worth 8.7 %, 7.0 % and 8.0 % in three runs, so it stays; one
Redis client per pool 0.5 %, and an arm for remembered `reverse` (the former
forum/urls_cache.py, since deleted with its arm) -1.4 %, so both went.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time

from common import REDIS_URL, SECRET, database_url


def setup(db: str) -> None:
    static_root = tempfile.mkdtemp(prefix="rf-internals-static-")
    os.environ.update(
        DJANGO_STATIC_ROOT=static_root,
        DATABASE_URL=database_url(db),
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=SECRET,
        DJANGO_ALLOWED_HOSTS="testserver",
        DJANGO_SECURE_SSL_REDIRECT="0",
        REDIS_URL=REDIS_URL,
        DJANGO_LOG_LEVEL="ERROR",
        DJANGO_SETTINGS_MODULE="forum.settings",
        FORUM_RATE_LIMIT_SEARCH="1000000/m",
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("collectstatic", "--noinput", verbosity=0)


def arms() -> dict[str, tuple[object, str, object, object]]:
    """name -> (module, attribute, with the short cut, without it)."""
    from django.core.cache.backends.redis import RedisCacheClient

    from accounts import backends

    def one_client_per_pool(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        clients = self.__dict__.setdefault("_bench_clients", {})
        if (client := clients.get(id(pool))) is None:
            client = clients[id(pool)] = self._client(connection_pool=pool)
        return client

    return {
        "redis": (
            RedisCacheClient,
            "get_client",
            one_client_per_pool,
            RedisCacheClient.get_client,
        ),
        "member": (
            backends,
            "fetch_member",
            backends.fetch_member,
            lambda pk: backends.members_with_roles().filter(pk=pk).first(),
        ),
    }


def members(count: int) -> list:
    from django.conf import settings

    from accounts.models import User

    kinds = [
        User.objects.filter(organisation__kind="kommune").exclude(organisation_verification=""),
        User.objects.filter(organisation__kind="leverandor").exclude(organisation_verification=""),
        User.objects.filter(organisation_verification=""),
        User.objects.filter(groups__name=settings.MODERATOR_GROUP),
    ]
    shares = [0.78, 0.15, 0.04, 0.03]
    chosen: list = []
    for queryset, share in zip(kinds, shares, strict=True):
        chosen += list(queryset.order_by("pk")[: max(1, round(count * share))])
    return chosen[:count] if len(chosen) >= count else chosen


def pages(rng: random.Random, n: int) -> list[str]:
    from django.conf import settings

    from directory.models import System
    from topics.models import Topic

    topics = list(
        Topic.objects.filter(category__visibility="offentlig")
        .order_by("-last_activity_at")
        .values_list("pk", "slug", "reply_count")[:3000]
    )
    weights = [1 / (i + 1) for i in range(len(topics))]
    systems = [system.get_absolute_url() for system in System.objects.order_by("pk")[:500]]
    words = ["arkiv", "migrering", "sak", "lønn", "avtale", "skole", "kart", "plan"]
    mix = [("front", 10), ("category", 10), ("topic", 50), ("search", 10), ("system", 10)]
    kinds = rng.choices([k for k, _ in mix], weights=[w for _, w in mix], k=n)
    urls = []
    for kind in kinds:
        if kind == "front":
            urls.append("/")
        elif kind == "category":
            urls.append("/k/sporsmal-og-svar/")
        elif kind == "search":
            urls.append(f"/search/?q={rng.choice(words)}")
        elif kind == "system":
            urls.append(rng.choice(systems))
        else:
            pk, slug, replies = rng.choices(topics, weights=weights)[0]
            url = f"/t/{pk}/{slug}/"
            last = replies // settings.POSTS_PER_PAGE + 1
            if last > 1 and rng.random() < 0.2:
                url += f"?side={rng.randint(2, last)}"
            urls.append(url)
    return urls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default="reformforum_national")
    parser.add_argument("--requests", type=int, default=600)
    parser.add_argument("--members", type=int, default=40)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    setup(args.db)
    from django.test import Client

    rng = random.Random(args.seed)
    viewers = members(args.members)
    clients = []
    for member in viewers:
        client = Client()
        client.force_login(member)
        clients.append(client)
    urls = pages(rng, args.requests)
    for url in urls[:100]:  # warm the fragment cache and prepared statements
        clients[0].get(url)
    print(
        f"{len(urls)} members' requests, {len(viewers)} members, each served with and without "
        "the short cut in random order (CPU time of this process)"
    )
    for name, (module, attribute, with_it, without_it) in arms().items():
        spent = {True: [], False: []}
        statuses = set()
        for i, url in enumerate(urls):
            client = clients[i % len(clients)]
            order = [True, False]
            rng.shuffle(order)
            for on in order:
                setattr(module, attribute, with_it if on else without_it)
                started = time.process_time()
                response = client.get(url)
                spent[on].append(time.process_time() - started)
                statuses.add(response.status_code)
        setattr(module, attribute, with_it)
        total_on, total_off = sum(spent[True]), sum(spent[False])
        print(
            f"{name:8} with {total_on / len(urls) * 1000:6.2f} ms/request, "
            f"without {total_off / len(urls) * 1000:6.2f} ms/request: "
            f"worth {(total_off - total_on) / total_off * 100:5.1f} % "
            f"(median {statistics.median(spent[True]) * 1000:.2f} vs "
            f"{statistics.median(spent[False]) * 1000:.2f} ms; statuses {sorted(statuses)})"
        )
    sys.stdout.flush()


if __name__ == "__main__":
    main()

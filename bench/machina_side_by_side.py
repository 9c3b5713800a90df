"""Reformforum side by side with django-machina 1.3.1: the same data, the same load, one run.

    python bench/machina_side_by_side.py [--size small|national] [--seconds 10] [--workers 3]
        [--connections 8] [--rounds 1] [--json PATH]

1. Sets up django-machina 1.3.1 (Django 4.2, Python 3.11) in a virtualenv of its own outside
   the repository (--home, default ~/.cache/reformforum-bench/machina-1.3.1) and writes a
   minimal machina project there from the strings in this file: settings, URLs (machina's,
   plus /bench/ceiling/), and two management commands. Nothing of machina is in this
   repository: pip installs it, this script only configures it.
2. Copies Reformforum's data set of the chosen size into machina's models in a database of
   its own (machina_small, machina_national): the same members, the categories as forums
   (one machina category above them), every topic with its title and every post with its
   text and rendered HTML, so the reply count of each topic and the size of each post are
   Reformforum's. COPY from one database into the other; done again only when the source
   changed (or with --reload).
3. Runs each stack alone in turn, the same way: gunicorn with the same number of sync
   workers, DEBUG off, sessions in Redis (cached_db), PostgreSQL with persistent
   connections; wrk with the same threads, connections and seconds on equivalent pages, for
   a visitor and for the same member signed in (a real session cookie on each side).
4. Prints page x viewer: Reformforum req/s, machina req/s and the ratio, each stack's
   ceiling (the same tiny view through its middleware), the caches each used, and whether every
   page answered 200 with the expected content (one request after each warm-up).
"""

from __future__ import annotations

import argparse
import html
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
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

from common import (
    ROOT,
    bench_member,
    database_url,
    member_session_cookie,
    page_kinds,
    production_environment,
)

MACHINA_VERSION = "1.3.1"
# What machina 1.3.1 runs on (it supports Django 3.2 to 4.2, Python up to 3.11); psycopg 3 as
# on Reformforum's side; haystack for machina's search app (its simple backend: no index).
MACHINA_REQUIREMENTS = [
    f"django-machina=={MACHINA_VERSION}",
    "Django>=4.2,<5",
    "django-haystack>=3.2,<4",
    "psycopg[binary]>=3.1.8,<4",
    "redis>=4",
    "gunicorn>=21",
]
PYTHON_FALLBACKS = ["/root/.pyenv/versions/3.11.7/bin/python"]
RF_PORT = 8120
MACHINA_PORT = 8121
MACHINA_REDIS_URL = os.environ.get("BENCH_MACHINA_REDIS_URL", "redis://127.0.0.1:6379/11")
# Reformforum's page sizes, so that a page shows as many topics and posts on both sides
# (machina's defaults are 20 topics and 15 posts).
TOPICS_PER_PAGE = 25
POSTS_PER_PAGE = 20

# ---------------------------------------------------------------------------------------------
# The machina project, written into --home. Everything below is configuration of machina as
# its documentation describes it; none of machina's own code.

MACHINA_SETTINGS = r'''
"""Settings of the benchmark's machina project (written by bench/machina_side_by_side.py)."""

import os

from machina import MACHINA_MAIN_STATIC_DIR, MACHINA_MAIN_TEMPLATE_DIR

BASE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SECRET_KEY = os.environ["MACHINA_BENCH_SECRET"]
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "mptt",
    "haystack",
    "widget_tweaks",
    "machina",
    "machina.apps.forum",
    "machina.apps.forum_conversation",
    "machina.apps.forum_conversation.forum_attachments",
    "machina.apps.forum_conversation.forum_polls",
    "machina.apps.forum_feeds",
    "machina.apps.forum_moderation",
    "machina.apps.forum_search",
    "machina.apps.forum_tracking",
    "machina.apps.forum_member",
    "machina.apps.forum_permission",
    "benchsite",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "machina.apps.forum_permission.middleware.ForumPermissionMiddleware",
]

ROOT_URLCONF = "benchsite.urls"
WSGI_APPLICATION = "benchsite.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [MACHINA_MAIN_TEMPLATE_DIR],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "machina.core.context_processors.metadata",
            ],
        },
    },
]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": os.environ["MACHINA_BENCH_DB"],
        "USER": os.environ.get("BENCH_PGUSER", "postgres"),
        "HOST": os.environ.get("BENCH_PGHOST", "127.0.0.1"),
        "PORT": "5432",
        # As Reformforum's production settings: persistent connections, health checks, and
        # the planner's price of a random page read for data in memory.
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": {"options": "-c random_page_cost=1.1"},
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["MACHINA_BENCH_REDIS_URL"],
        "KEY_PREFIX": "machina-bench",
    },
    # Machina keeps the files of a post being written here (its documented setting).
    "machina_attachments": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.path.join(BASE_DIR, "attachments-cache"),
    },
}
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

HAYSTACK_CONNECTIONS = {"default": {"ENGINE": "haystack.backends.simple_backend.SimpleEngine"}}

LANGUAGE_CODE = "nb"
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [MACHINA_MAIN_STATIC_DIR]
STATIC_ROOT = os.path.join(BASE_DIR, "static-root")
MEDIA_URL = "/media/"
MEDIA_ROOT = os.path.join(BASE_DIR, "media")

MACHINA_FORUM_NAME = "Reformforum (machina)"
MACHINA_FORUM_TOPICS_NUMBER_PER_PAGE = int(os.environ.get("MACHINA_BENCH_TOPICS_PER_PAGE", "25"))
MACHINA_TOPIC_POSTS_NUMBER_PER_PAGE = int(os.environ.get("MACHINA_BENCH_POSTS_PER_PAGE", "20"))
# Every signed-in member may read every forum and write in it (Reformforum's bench member, a
# verified municipal member, reads every category); visitors get per-forum rights from
# bench_load, for the forums whose Reformforum category is public.
MACHINA_DEFAULT_AUTHENTICATED_USER_FORUM_PERMISSIONS = [
    "can_see_forum",
    "can_read_forum",
    "can_start_new_topics",
    "can_reply_to_topics",
    "can_edit_own_posts",
    "can_post_without_approval",
    "can_create_polls",
    "can_vote_in_polls",
    "can_download_file",
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
'''

MACHINA_URLS = r'''
"""URLs of the benchmark's machina project: machina's, and the ceiling view."""

from django.http import HttpResponse
from django.urls import include, path
from django.views.decorators.http import require_http_methods


@require_http_methods(["GET", "HEAD"])
def bench_ceiling(request):
    """The least a page can cost on this stack (same middleware, no database, no template)."""
    return HttpResponse(b"<!doctype html><title>ceiling</title><p>ok</p>")


urlpatterns = [
    path("bench/ceiling/", bench_ceiling),
    path("", include("machina.urls")),
]
'''

MACHINA_WSGI = r"""
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchsite.settings")
application = get_wsgi_application()
"""

MACHINA_MANAGE = r"""#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchsite.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
"""

# Copies Reformforum's data set into machina's tables.
MACHINA_LOAD_COMMAND = r'''
"""Copy a Reformforum data set into machina's models (bench/machina_side_by_side.py)."""

import json
import time

import psycopg
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

BIG_TABLES = ["auth_user", "forum_conversation_topic", "forum_conversation_post",
              "forum_member_forumprofile"]


def fingerprint(source):
    with source.cursor() as cur:
        cur.execute(
            "SELECT (SELECT count(*) FROM accounts_user), (SELECT max(id) FROM accounts_user),"
            " (SELECT count(*) FROM topics_topic), (SELECT max(id) FROM topics_topic),"
            " (SELECT count(*) FROM topics_post), (SELECT max(id) FROM topics_post),"
            " (SELECT count(*) FROM topics_category)"
        )
        row = cur.fetchone()
    keys = ["users", "max_user", "topics", "max_topic", "posts", "max_post", "categories"]
    return dict(zip(keys, row))


def copy_between(source, target, select_sql, target_table, columns):
    """COPY the rows of a query in the source into a table of the target, streamed."""
    started = time.monotonic()
    with source.cursor() as src, target.cursor() as dst:
        with src.copy(f"COPY ({select_sql}) TO STDOUT") as out, dst.copy(
            f"COPY {target_table} ({', '.join(columns)}) FROM STDIN"
        ) as into:
            for block in out:
                into.write(block)
        dst.execute(f"SELECT count(*) FROM {target_table}")
        count = dst.fetchone()[0]
    return count, time.monotonic() - started


class Command(BaseCommand):
    help = "Copy a Reformforum data set into this machina project's database."

    def add_arguments(self, parser):
        parser.add_argument("--source", required=True, help="Reformforum's database (a DSN).")
        parser.add_argument("--reload", action="store_true")

    def log(self, started, text):
        self.stdout.write(f"[{time.monotonic() - started:7.1f} s] {text}")
        self.stdout.flush()

    def handle(self, source, reload, **options):
        started = time.monotonic()
        db = settings.DATABASES["default"]
        name = db["NAME"]
        server = f"host={db['HOST']} port={db['PORT']} user={db['USER']}"
        with psycopg.connect(source, autocommit=True) as src:
            wanted = fingerprint(src)
        wanted["source"] = source
        with psycopg.connect(f"{server} dbname=postgres", autocommit=True) as admin:
            exists = admin.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [name]
            ).fetchone()
        if exists and not reload:
            with psycopg.connect(f"{server} dbname={name}", autocommit=True) as conn:
                has = conn.execute("SELECT to_regclass('bench_source')").fetchone()[0]
                stamp = has and conn.execute("SELECT stamp FROM bench_source").fetchone()
            if stamp and json.loads(stamp[0]) == wanted:
                self.stdout.write(f"{name} is up to date with {source}: not loaded again")
                return
        with psycopg.connect(f"{server} dbname=postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{name}"')
        self.log(started, f"created {name}")
        call_command("migrate", verbosity=0, interactive=False)
        self.log(started, "migrated machina's schema")
        with psycopg.connect(source) as src, psycopg.connect(f"{server} dbname={name}") as dst:
            self.load(started, src, dst)
            dst.execute("CREATE TABLE bench_source (stamp text NOT NULL)")
            dst.execute("INSERT INTO bench_source VALUES (%s)", [json.dumps(wanted)])
            dst.commit()
        with psycopg.connect(f"{server} dbname={name}", autocommit=True) as conn:
            for table in BIG_TABLES + ["forum_forum"]:
                conn.execute(f"VACUUM ANALYZE {table}")
        self.log(started, f"vacuumed and analysed; done in {time.monotonic() - started:.0f} s")

    def load(self, started, src, dst):
        # Foreign keys are not checked while loading (the source's are); indexes are built
        # at the end rather than row by row.
        dst.execute("SET session_replication_role = replica")
        dropped = dst.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' "
            "AND tablename = ANY(%s) AND indexname NOT LIKE '%%_pkey'",
            [BIG_TABLES],
        ).fetchall()
        constraints = dst.execute(
            "SELECT conname FROM pg_constraint WHERE contype = 'u' "
            "AND conrelid::regclass::text = ANY(%s)",
            [BIG_TABLES],
        ).fetchall()
        unique_indexes = {c for (c,) in constraints}
        for index, _definition in dropped:
            if index not in unique_indexes:
                dst.execute(f'DROP INDEX "{index}"')

        n, took = copy_between(
            src, dst,
            "SELECT id, '!', last_login, is_superuser, is_staff, is_active, date_joined,"
            " left(display_name, 130) || ' #' || id, '', '', email FROM accounts_user",
            "auth_user",
            ["id", "password", "last_login", "is_superuser", "is_staff", "is_active",
             "date_joined", "username", "first_name", "last_name", "email"],
        )
        self.log(started, f"{n:,} members ({took:.1f} s)")

        # The categories become forums, under one machina category (a forum of type 1).
        categories = src.execute(
            "SELECT id, name, slug, description, position, visibility FROM topics_category "
            "ORDER BY position, id"
        ).fetchall()
        now = "statement_timestamp()"
        dst.execute(
            "INSERT INTO forum_forum (id, name, slug, description, _description_rendered, "
            "link_redirects, type, direct_posts_count, direct_topics_count, "
            "link_redirects_count, display_sub_forum_list, created, updated, "
            "lft, rght, tree_id, level, parent_id) VALUES "
            f"(1, 'Reformforum', 'reformforum', '', '', false, 1, 0, 0, 0, true, {now}, {now},"
            f" 1, {2 * len(categories) + 2}, 1, 0, NULL)"
        )
        public = []
        for number, (cid, cname, slug, description, _position, visibility) in enumerate(
            categories
        ):
            dst.execute(
                "INSERT INTO forum_forum (id, name, slug, description, _description_rendered, "
                "link_redirects, type, direct_posts_count, direct_topics_count, "
                "link_redirects_count, display_sub_forum_list, created, updated, "
                "lft, rght, tree_id, level, parent_id) VALUES "
                f"(%s, %s, %s, %s, %s, false, 0, 0, 0, 0, true, {now}, {now}, %s, %s, 1, 1, 1)",
                [cid + 1, cname, slug[:255], description, f"<p>{description}</p>",
                 2 + 2 * number, 3 + 2 * number],
            )
            if visibility == "offentlig":
                public.append(cid + 1)
        self.log(started, f"{len(categories)} categories as forums ({len(public)} public)")

        n, took = copy_between(
            src, dst,
            "SELECT t.id, t.category_id + 1, t.author_id, t.title, left(t.slug, 255), "
            " CASE WHEN t.is_pinned THEN 1 ELSE 0 END,"
            " CASE WHEN t.is_locked THEN 1 ELSE 0 END,"
            " t.is_approved AND t.deleted_at IS NULL, coalesce(c.posts, 0), 0,"
            " t.last_activity_at, t.created_at, t.last_activity_at FROM topics_topic t"
            " LEFT JOIN (SELECT topic_id, count(*) AS posts FROM topics_post"
            "  WHERE is_approved AND NOT is_hidden GROUP BY topic_id) c ON c.topic_id = t.id",
            "forum_conversation_topic",
            ["id", "forum_id", "poster_id", "subject", "slug", "type", "status", "approved",
             "posts_count", "views_count", "last_post_on", "created", "updated"],
        )
        self.log(started, f"{n:,} topics ({took:.1f} s)")

        n, took = copy_between(
            src, dst,
            "SELECT p.id, p.topic_id, p.author_id, "
            " CASE WHEN p.position = 1 THEN t.title ELSE left('Re: ' || t.title, 255) END,"
            " p.body, p.body_html, p.is_approved AND NOT p.is_hidden, true, 0,"
            " p.created_at, coalesce(p.edited_at, p.created_at)"
            " FROM topics_post p JOIN topics_topic t ON t.id = p.topic_id",
            "forum_conversation_post",
            ["id", "topic_id", "poster_id", "subject", "content", "_content_rendered",
             "approved", "enable_signature", "updates_count", "created", "updated"],
        )
        self.log(started, f"{n:,} posts ({took:.1f} s)")

        for label, statement in [
            # Each topic's first and last post, each member's post count, each forum's
            # counters and last post: what machina keeps up to date on every write.
            ("topics' first and last posts",
            "UPDATE forum_conversation_topic t SET first_post_id = f.first, "
            " last_post_id = f.last FROM (SELECT topic_id, min(id) AS first, max(id) AS last"
            " FROM forum_conversation_post WHERE approved GROUP BY topic_id) f"
            " WHERE f.topic_id = t.id"),
            ("members' forum profiles and post counts",
            "INSERT INTO forum_member_forumprofile (user_id, posts_count, signature, "
            " _signature_rendered) SELECT u.id, coalesce(c.posts, 0), '', '' FROM auth_user u"
            " LEFT JOIN (SELECT poster_id, count(*) AS posts FROM forum_conversation_post"
            " WHERE approved GROUP BY poster_id) c ON c.poster_id = u.id"),
            ("forums' counters",
            "UPDATE forum_forum f SET direct_topics_count = c.topics, "
            " direct_posts_count = c.posts, last_post_on = c.last_on FROM ("
            " SELECT forum_id, count(*) AS topics, sum(posts_count) AS posts,"
            " max(last_post_on) AS last_on FROM forum_conversation_topic WHERE approved"
            " GROUP BY forum_id) c WHERE c.forum_id = f.id"),
            ("forums' last posts",
            "UPDATE forum_forum f SET last_post_id = c.last FROM (SELECT forum_id,"
            " max(last_post_id) AS last FROM forum_conversation_topic WHERE approved"
            " GROUP BY forum_id) c WHERE c.forum_id = f.id"),
            ("the category's last post",
            "UPDATE forum_forum f SET last_post_id = (SELECT max(c.last_post_id) FROM"
            " forum_forum c WHERE c.parent_id = f.id), last_post_on = (SELECT"
            " max(c.last_post_on) FROM forum_forum c WHERE c.parent_id = f.id)"
            " WHERE f.type = 1"),
        ]:
            took = time.monotonic()
            dst.execute(statement)
            self.log(started, f"{label} ({time.monotonic() - took:.1f} s)")

        # Visitors see and read the forums of Reformforum's public categories.
        for codename in ["can_see_forum", "can_read_forum"]:
            for forum_id in [1, *public]:
                dst.execute(
                    "INSERT INTO forum_permission_userforumpermission (has_perm, forum_id, "
                    " permission_id, user_id, anonymous_user, authenticated_user) SELECT true,"
                    " %s, id, NULL, true, false FROM forum_permission_forumpermission"
                    " WHERE codename = %s",
                    [forum_id, codename],
                )
        for table in ["auth_user", "forum_forum", "forum_conversation_topic",
                      "forum_conversation_post", "forum_member_forumprofile"]:
            dst.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                f" (SELECT coalesce(max(id), 0) + 1 FROM {table}), false)"
            )
        dst.execute("SET session_replication_role = origin")
        self.log(started, "permissions and sequences")
        for index, definition in dropped:
            if index not in unique_indexes:
                dst.execute(definition)
        self.log(started, f"rebuilt {len(dropped) - len(unique_indexes)} indexes")
'''

# Answers the orchestrating script: the pages' addresses and a member's session.
MACHINA_INFO_COMMAND = r'''
"""Addresses of the compared pages and a member's session (bench/machina_side_by_side.py)."""

import json

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.core.cache import cache
from django.core.management.base import BaseCommand
from django.urls import reverse
from django.utils.module_loading import import_string
from machina.apps.forum.models import Forum
from machina.apps.forum_conversation.models import Topic


class Command(BaseCommand):
    help = "Print the compared pages' addresses and a member's session cookie as JSON."

    def add_arguments(self, parser):
        parser.add_argument("--member", type=int, required=True)
        parser.add_argument("--forum-slug", required=True)
        parser.add_argument("--topic", type=int, action="append", default=[])

    def handle(self, member, forum_slug, topic, **options):
        cache.clear()
        forum = Forum.objects.get(slug=forum_slug, type=Forum.FORUM_POST)
        pages = {
            "forum": {
                "url": reverse("forum:forum", kwargs={"slug": forum.slug, "pk": forum.pk}),
                "expect": forum.name,
            },
            "topics": [],
        }
        for pk in topic:
            t = Topic.objects.select_related("forum").get(pk=pk)
            url = reverse("forum_conversation:topic", kwargs={
                "forum_slug": t.forum.slug, "forum_pk": t.forum.pk, "slug": t.slug, "pk": t.pk,
            })
            pages["topics"].append({"pk": pk, "url": url, "expect": t.subject,
                                    "posts": t.posts_count})
        user = get_user_model().objects.get(pk=member)
        store = import_string(f"{settings.SESSION_ENGINE}.SessionStore")()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.save()
        pages["cookie"] = f"{settings.SESSION_COOKIE_NAME}={store.session_key}"
        # machina's pages name no one in their header: a member's own link is the sign.
        pages["member"] = f'href="/member/profile/{user.pk}/posts/"'
        self.stdout.write(json.dumps(pages))
'''

PROJECT_FILES = {
    "manage.py": MACHINA_MANAGE,
    "benchsite/__init__.py": "",
    "benchsite/settings.py": MACHINA_SETTINGS,
    "benchsite/urls.py": MACHINA_URLS,
    "benchsite/wsgi.py": MACHINA_WSGI,
    "benchsite/management/__init__.py": "",
    "benchsite/management/commands/__init__.py": "",
    "benchsite/management/commands/bench_load.py": MACHINA_LOAD_COMMAND,
    "benchsite/management/commands/bench_info.py": MACHINA_INFO_COMMAND,
}


# ---------------------------------------------------------------------------------------------
# Setting up machina


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=["small", "national"], default="small")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers (each)")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="Measure both stacks this many times, alternating, and report medians.",
    )
    parser.add_argument("--json", help="Also write the results to this file.")
    parser.add_argument(
        "--home",
        type=Path,
        default=Path(
            os.environ.get(
                "MACHINA_BENCH_HOME",
                Path.home() / ".cache" / "reformforum-bench" / f"machina-{MACHINA_VERSION}",
            )
        ),
        help="Where machina's virtualenv and project live (outside the repository).",
    )
    parser.add_argument("--python", help="A Python 3.11 (or 3.10, 3.9) for machina's venv.")
    parser.add_argument("--reload", action="store_true", help="Copy machina's data again.")
    return parser.parse_args()


def log(text: str) -> None:
    print(f"[{datetime.now(UTC):%H:%M:%S}] {text}", flush=True)


def find_python(explicit: str | None) -> str:
    candidates = [explicit] if explicit else ["python3.11", *PYTHON_FALLBACKS]
    for candidate in candidates:
        path = shutil.which(candidate) or (candidate if Path(candidate).is_file() else None)
        if path:
            version = subprocess.run(
                [path, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                capture_output=True,
                text=True,
                check=False,
            ).stdout.strip()
            if version in {"3.9", "3.10", "3.11"}:
                return path
    sys.exit("machina 1.3.1 needs Python 3.9-3.11: none found (give one with --python)")


def ensure_venv(home: Path, python: str | None) -> Path:
    """machina's virtualenv under `home`, installed once (again when the requirements change)."""
    venv = home / "venv"
    marker = venv / "bench-requirements.txt"
    wanted = "\n".join(MACHINA_REQUIREMENTS) + "\n"
    venv_python = venv / "bin" / "python"
    if venv_python.exists() and marker.exists() and marker.read_text() == wanted:
        return venv_python
    started = time.monotonic()
    log(f"installing django-machina {MACHINA_VERSION} into {venv}")
    if venv.exists():
        shutil.rmtree(venv)
    venv.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([find_python(python), "-m", "venv", str(venv)], check=True)
    subprocess.run(
        [
            str(venv_python),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            *MACHINA_REQUIREMENTS,
        ],
        check=True,
    )
    marker.write_text(wanted)
    log(f"installed in {time.monotonic() - started:.0f} s")
    return venv_python


def write_project(home: Path) -> Path:
    project = home / "project"
    for name, text in PROJECT_FILES.items():
        path = project / name
        path.parent.mkdir(parents=True, exist_ok=True)
        content = text.lstrip("\n")
        if not path.exists() or path.read_text() != content:
            path.write_text(content)
    return project


def machina_environment(db: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "benchsite.settings",
        "MACHINA_BENCH_DB": db,
        "MACHINA_BENCH_SECRET": "machina-bench-only-secret-" + "x" * 40,
        "MACHINA_BENCH_REDIS_URL": MACHINA_REDIS_URL,
        "MACHINA_BENCH_TOPICS_PER_PAGE": str(TOPICS_PER_PAGE),
        "MACHINA_BENCH_POSTS_PER_PAGE": str(POSTS_PER_PAGE),
    }


def manage(venv_python: Path, project: Path, env: dict, *arguments: str, show=False) -> str:
    """A management command of the machina project; `show`: its output as it comes."""
    result = subprocess.run(
        [str(venv_python), "manage.py", *arguments],
        cwd=project,
        env=env,
        capture_output=not show,
        text=True,
        check=False,
    )
    if result.returncode:
        sys.exit(f"machina: manage.py {arguments[0]} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


# ---------------------------------------------------------------------------------------------
# Serving and measuring


class Server:
    """gunicorn, started the same way for both stacks, in a process group of its own."""

    def __init__(
        self,
        name: str,
        python: str,
        app: str,
        cwd: Path,
        env: dict,
        port: int,
        workers: int,
        log_dir: Path,
    ) -> None:
        self.name = name
        self.base = f"http://127.0.0.1:{port}"
        # The servers' own output (Reformforum logs a line per request) goes to a file, the
        # same for both, rather than into the table.
        self.log_path = log_dir / f"{name.lower()}.log"
        self.log_file = self.log_path.open("a")
        self.process = subprocess.Popen(
            [
                python,
                "-m",
                "gunicorn",
                app,
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "--worker-class",
                "sync",
                "--access-logfile",
                "/dev/null",
                "--log-level",
                "warning",
            ],
            cwd=cwd,
            env=env,
            stdout=self.log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        for _ in range(150):
            try:
                urllib.request.urlopen(f"{self.base}/bench/ceiling/", timeout=2)  # noqa: S310 (our own server)
                return
            except OSError:
                if self.process.poll() is not None:
                    sys.exit(
                        f"{name}: gunicorn exited ({self.process.returncode}), see {self.log_path}"
                    )
                time.sleep(0.2)
        self.stop()
        sys.exit(f"{name}: gunicorn did not answer on {self.base}")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)
        self.log_file.close()


def fetch(url: str, cookie: str | None) -> tuple[int, str, dict]:
    """One GET, not following redirects (a redirect is not the page)."""
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})  # noqa: S310
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, response.read().decode("utf-8", "replace"), response.headers
    except urllib.error.HTTPError as error:
        return error.code, "", error.headers


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


# How each stack marks a post and links a topic: to count what a page shows.
SHOWN = {
    "rf": {"posts": r'id="innlegg-(\d+)"', "topics": r'href="/t/(\d+)/'},
    "machina": {
        "posts": r'<div id="(\d+)" class="[^"]*\bpost\b',
        "topics": r'/topic/[^"/]*-(\d+)/"',
    },
}


def check_page(
    server: Server,
    path: str,
    cookie: str | None,
    expect: list[str],
    absent: list[str],
    shown: dict[str, str],
) -> dict:
    """One request before the load: 200, and the page shows what it should (a title, the
    member's name) and not what it should not (the member's name, signed out)."""
    status, body, headers = fetch(server.base + path, cookie)

    def on_page(text: str) -> bool:
        return text in body or html.escape(text) in body

    missing = [text for text in expect if not on_page(text)]
    unwanted = [text for text in absent if on_page(text)]
    return {
        "status": status,
        "bytes": len(body.encode()),
        **{what: len(set(re.findall(pattern, body))) for what, pattern in shown.items()},
        "missing": missing,
        "unwanted": unwanted,
        "x_page_cache": headers.get("X-Page-Cache"),
        "ok": status == 200 and not missing and not unwanted,
    }


def run_wrk(url: str, seconds: int, connections: int, cookie: str | None) -> dict:
    """wrk as in throughput_bench.py, also counting socket errors and time-outs; a response
    counts up to 10 s (wrk's default, 2 s, would drop machina's slowest pages uncounted)."""
    command = [
        "wrk",
        "-t2",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "--latency",
        url,
    ]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    requests = re.search(r"(\d+) requests in", out)
    p50 = re.search(r"50%\s+([\d.]+)(us|ms|s)\b", out)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    scale = {"us": 0.001, "ms": 1, "s": 1000}
    return {
        "rps": rps,
        "requests": int(requests.group(1)) if requests else 0,
        "p50_ms": float(p50.group(1)) * scale[p50.group(2)] if p50 else None,
        "non_2xx": int(non_2xx.group(1)) if non_2xx else 0,
        "socket_errors": sum(int(n) for n in errors.groups()) if errors else 0,
    }


def reformforum_side(db: str) -> dict:
    """Reformforum's production environment, its pages and the bench member's session."""
    static_root = tempfile.mkdtemp(prefix="rf-static-")
    env = {**os.environ, **production_environment(db, static_root), "FORUM_BENCH_VIEWS": "1"}
    env["FORUM_PAGE_CACHE_SECONDS"] = "300"
    os.environ.update(env)
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.urls import resolve, reverse

    from topics.models import Category, Post, Topic

    call_command("collectstatic", interactive=False, verbosity=0)
    kinds = {kind.name: kind for kind in page_kinds()}
    member = bench_member()
    cookie = member_session_cookie(member)
    cache.clear()
    category = Category.objects.get(slug="sporsmal-og-svar")
    topics = []
    for name in ["topic (10 posts)", "topic 5k p1"]:
        url = kinds[name].url
        topic = Topic.objects.get(pk=resolve(url.split("?")[0]).kwargs["pk"])
        topics.append(
            {
                "name": name,
                "url": url,
                "pk": topic.pk,
                "title": topic.title,
                "posts": topic.reply_count + 1,
            }
        )
    return {
        "env": env,
        "cookie": cookie,
        "member_pk": member.pk,
        "member_name": member.display_name,
        "member_sign": f'action="{reverse("account_logout")}"',
        "category": {"url": kinds["category"].url, "name": category.name, "slug": category.slug},
        "topics": topics,
        "counts": {
            "members": member.__class__.objects.count(),
            "categories": Category.objects.count(),
            "topics": Topic.objects.count(),
            "posts": Post.objects.count(),
        },
        "database": connection.settings_dict["NAME"],
    }


def pages_of(rf: dict, machina: dict) -> list[dict]:
    """The compared pages: (name, Reformforum's path and text, machina's path and text)."""
    rows = [
        {
            "name": "front page",
            "rf": "/",
            "rf_expect": [rf["category"]["name"]],
            "machina": "/",
            "machina_expect": [rf["category"]["name"]],
            "first_visit": True,
        },
        {
            "name": "category",
            "rf": rf["category"]["url"],
            "rf_expect": [rf["category"]["name"]],
            "machina": machina["forum"]["url"],
            "machina_expect": [machina["forum"]["expect"]],
        },
    ]
    for ours, theirs in zip(rf["topics"], machina["topics"], strict=True):
        rows.append(
            {
                "name": ours["name"],
                "rf": ours["url"],
                "rf_expect": [ours["title"]],
                "machina": theirs["url"],
                "machina_expect": [theirs["expect"]],
            }
        )
    return rows


def measure_stack(
    stack: str,
    server: Server,
    pages: list[dict],
    cookies: dict,
    member: dict,
    args: argparse.Namespace,
    results: dict,
    checks: dict,
) -> None:
    """Every page of one stack, for each viewer: a check of the page, a warm-up, then wrk."""

    def one(name: str, viewer: str, path: str, cookie: str | None, expect: list[str]) -> None:
        key = (name, viewer)
        run_wrk(server.base + path, 2, args.connections, cookie)  # workers, caches, plans
        if (stack, key) not in checks:
            # After the warm-up, so that the cache header is what the load gets. Signed in,
            # the page must show the member; signed out, it must not.
            wanted, absent = list(expect), []
            if name != "ceiling view":
                if viewer == "signed in":
                    wanted += member["shown"]
                else:
                    absent += member["sign"]
            checks[(stack, key)] = check_page(server, path, cookie, wanted, absent, SHOWN[stack])
        figures = run_wrk(server.base + path, args.seconds, args.connections, cookie)
        results.setdefault(key, {}).setdefault(stack, []).append(figures)

    one("ceiling view", "signed out", "/bench/ceiling/", cookies["visitor"], ["ok"])
    one("ceiling view", "signed in", "/bench/ceiling/", cookies["member"], ["ok"])
    for page in pages:
        path, expect = page[stack], page[f"{stack}_expect"]
        one(page["name"], "signed out", path, cookies["visitor"], expect)
        one(page["name"], "signed in", path, cookies["member"], expect)
        if page.get("first_visit"):
            one(page["name"], "first visit", path, None, expect)


def visitor_cookie(server: Server) -> str | None:
    """The cookies a browser keeps from its first page (machina: its anonymous session)."""
    _status, _body, headers = fetch(server.base + "/", None)
    set_cookies = headers.get_all("Set-Cookie") or []
    kept = [header.split(";", 1)[0] for header in set_cookies if "sessionid=" in header]
    return "; ".join(kept) or None


def require_database(db: str, size: str) -> None:
    import psycopg

    try:
        psycopg.connect(database_url(db), connect_timeout=5).close()
    except psycopg.OperationalError as error:
        option = " --size small" if size == "small" else ""
        sys.exit(
            f"{db}: {error}\nGenerate it first: DATABASE_URL={database_url(db)} "
            f"python manage.py generate_load_data{option} --yes"
        )


def main() -> None:
    args = parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk")
    started = datetime.now(UTC)
    rf_db, machina_db = f"reformforum_{args.size}", f"machina_{args.size}"
    home = args.home.expanduser().resolve()
    if ROOT in home.parents or home == ROOT:
        sys.exit("--home must be outside the repository (machina is installed there)")
    require_database(rf_db, args.size)
    venv_python = ensure_venv(home, args.python)
    project = write_project(home)
    menv = machina_environment(machina_db)
    log(f"copying {rf_db} into {machina_db} (if it changed)")
    load_started = time.monotonic()
    pg = f"host={os.environ.get('BENCH_PGHOST', '127.0.0.1')} port=5432"
    pg += f" user={os.environ.get('BENCH_PGUSER', 'postgres')} dbname={rf_db}"
    manage(
        venv_python,
        project,
        menv,
        "bench_load",
        "--source",
        pg,
        *(["--reload"] if args.reload else []),
        show=True,
    )
    load_seconds = time.monotonic() - load_started

    rf = reformforum_side(rf_db)
    machina = json.loads(
        manage(
            venv_python,
            project,
            menv,
            "bench_info",
            "--member",
            str(rf["member_pk"]),
            "--forum-slug",
            rf["category"]["slug"],
            *[f"--topic={t['pk']}" for t in rf["topics"]],
        )
    )
    for ours, theirs in zip(rf["topics"], machina["topics"], strict=True):
        if ours["posts"] != theirs["posts"]:
            sys.exit(
                f"topic {ours['pk']}: {ours['posts']} posts here, {theirs['posts']} in machina"
            )
    pages = pages_of(rf, machina)
    stacks = {
        "rf": {
            "label": "Reformforum",
            "start": lambda: Server(
                "Reformforum",
                sys.executable,
                "forum.wsgi:application",
                ROOT,
                rf["env"],
                RF_PORT,
                args.workers,
                log_dir,
            ),
            "cookies": {"visitor": None, "member": rf["cookie"]},
            # Signed in: the member's name and the sign-out form in the header (Reformforum);
            # the link to the member's own posts (machina, whose header names no one).
            # Signed out: no such sign.
            "member": {
                "shown": [rf["member_name"], rf["member_sign"]],
                "sign": [rf["member_sign"]],
            },
        },
        "machina": {
            "label": "machina",
            "start": lambda: Server(
                "machina",
                str(venv_python),
                "benchsite.wsgi:application",
                project,
                menv,
                MACHINA_PORT,
                args.workers,
                log_dir,
            ),
            "cookies": {"visitor": None, "member": machina["cookie"]},
            "member": {"shown": [machina["member"]], "sign": [machina["member"]]},
        },
    }
    log_dir = Path(tempfile.mkdtemp(prefix="side-by-side-"))
    results: dict = {}
    checks: dict = {}
    for number in range(args.rounds):
        order = ["rf", "machina"] if number % 2 == 0 else ["machina", "rf"]
        for stack in order:
            spec = stacks[stack]
            log(f"round {number + 1}: {spec['label']} alone on 127.0.0.1")
            server = spec["start"]()
            try:
                if number == 0:
                    spec["cookies"]["visitor"] = visitor_cookie(server)
                measure_stack(
                    stack, server, pages, spec["cookies"], spec["member"], args, results, checks
                )
            finally:
                server.stop()
    finished = datetime.now(UTC)
    report(args, rf, machina, stacks, results, checks, started, finished, load_seconds)
    print(f"The servers' output: {log_dir}")


CACHES_USED = {
    "rf": "Reformforum: its production settings (a log line per request); signed out, the signed-out page cache (whole pages in Redis, "
    "FORUM_PAGE_CACHE_SECONDS=300, X-Page-Cache seen: {rf_out}); signed in, no stored pages, "
    "only the rendered fragments shared by every reader (in each process's memory) "
    "(X-Page-Cache seen: {rf_in}); sessions cached_db in Redis.",
    "machina": "machina: its defaults, which store no pages and no fragments (Django's cached "
    "template loader only); sessions cached_db in Redis, as Reformforum's. Visitors get an "
    "anonymous session on their first page (machina's forum key), which 'signed out' sends "
    "back as a browser would; 'first visit' sends no cookie, so each request makes a new "
    "session. Each topic page view also writes (views_count; a member's read marks).",
}


def report(args, rf, machina, stacks, results, checks, started, finished, load_seconds) -> None:
    rows = []
    for (name, viewer), by_stack in results.items():
        row = {"page": name, "viewer": viewer}
        for stack in ["rf", "machina"]:
            runs = by_stack.get(stack, [])
            row[stack] = {
                "rps": statistics.median(r["rps"] for r in runs),
                "p50_ms": statistics.median(r["p50_ms"] or 0 for r in runs),
                "requests": sum(r["requests"] for r in runs),
                "non_2xx": sum(r["non_2xx"] for r in runs),
                "socket_errors": sum(r["socket_errors"] for r in runs),
                "rounds": [r["rps"] for r in runs],
                "check": checks[(stack, (name, viewer))],
            }
        row["ratio"] = row["rf"]["rps"] / row["machina"]["rps"] if row["machina"]["rps"] else None
        rows.append(row)
    ceilings = {
        stack: {
            viewer: next(
                r[stack]["rps"]
                for r in rows
                if r["page"] == "ceiling view" and r["viewer"] == viewer
            )
            for viewer in ["signed out", "signed in"]
        }
        for stack in ["rf", "machina"]
    }
    load = os.getloadavg()
    counts = rf["counts"]
    print()
    print(
        f"Reformforum and django-machina {MACHINA_VERSION} side by side, both in the same run "
        f"({started:%Y-%m-%d %H:%M}-{finished:%H:%M} UTC), each server alone on the machine "
        "in turn"
        + (f", {args.rounds} rounds alternating, medians" if args.rounds > 1 else "")
        + "."
    )
    print(
        f"Data: {args.size} ({rf['database']} -> machina_{args.size}: {counts['members']:,} "
        f"members, {counts['categories']} categories as forums, {counts['topics']:,} topics, "
        f"{counts['posts']:,} posts, the same text); gunicorn {args.workers} sync workers each; "
        f"wrk 2 threads, {args.connections} connections, {args.seconds} s per page after 2 s "
        f"of warm-up (time-out 10 s); load {load[0]:.1f} on {os.cpu_count()} cores"
    )
    print(f"Pages of {TOPICS_PER_PAGE} topics and {POSTS_PER_PAGE} posts on both sides.")
    header = (
        f"{'page':<17} {'viewer':<12} {'Reformforum':>11} {'machina':>8} {'ratio':>6}  "
        f"{'RF ceil':>7} {'m ceil':>6}  {'RF p50':>6} {'m p50':>6}  {'non-2xx':>7}  "
        f"{'RF kB':>5} {'m kB':>5}  check"
    )
    print(header)
    for row in rows:
        ours, theirs = row["rf"], row["machina"]
        viewer = "signed in" if row["viewer"] == "signed in" else "signed out"
        share_ours = ours["rps"] / ceilings["rf"][viewer]
        share_theirs = theirs["rps"] / ceilings["machina"][viewer]
        ok = ours["check"]["ok"] and theirs["check"]["ok"]
        failures = (
            ours["non_2xx"] + ours["socket_errors"],
            theirs["non_2xx"] + theirs["socket_errors"],
        )
        ratio = f"{row['ratio']:5.2f}x" if row["ratio"] else "     -"
        print(
            f"{row['page']:<17} {row['viewer']:<12} {ours['rps']:11.0f} {theirs['rps']:8.0f} "
            f"{ratio}  {share_ours:7.0%} {share_theirs:6.0%}  {ours['p50_ms']:6.1f} "
            f"{theirs['p50_ms']:6.1f}  {failures[0]:>3}/{failures[1]:<3}  "
            f"{ours['check']['bytes'] / 1000:5.0f} {theirs['check']['bytes'] / 1000:5.0f}  "
            + (
                f"200, {ours['check']['posts']}/{theirs['check']['posts']} posts, "
                f"{ours['check']['topics']}/{theirs['check']['topics']} topics"
                if ok
                else f"FAILED {ours['check']} {theirs['check']}"
            )
        )
    print(
        "(req/s: wrk's requests per second; ratio: Reformforum / machina; RF ceil, m ceil: the "
        "share of that stack's own ceiling view for the same viewer; p50 in ms; non-2xx: "
        "non-2xx responses and socket errors over all requests, Reformforum/machina; kB: the "
        "page's size; check: one request after the warm-up answered 200 with the page's title "
        "(for the front page: the first category's name), signed in with the "
        "member's sign in the header and signed out without, and showed so many posts and "
        "linked so many topics, Reformforum/machina)"
    )
    seen = {
        viewer: sorted(
            {
                c.get("x_page_cache") or "none"
                for (stack, (page, v)), c in checks.items()
                if stack == "rf" and v == viewer and page != "ceiling view"
            }
        )
        for viewer in ["signed out", "signed in"]
    }
    print(
        "Caches: "
        + CACHES_USED["rf"].format(
            rf_out=", ".join(seen["signed out"]), rf_in=", ".join(seen["signed in"])
        )
    )
    print("        " + CACHES_USED["machina"])
    kept = {
        stack: (spec["cookies"]["visitor"] or "none").split("=")[0]
        for stack, spec in stacks.items()
    }
    print(
        f"Cookies a visitor kept from its first page: Reformforum {kept['rf']}, machina "
        f"{kept['machina']}. machina's data: {load_seconds:.0f} s to copy or find up to date."
    )
    if args.json:
        with open(args.json, "w") as out:
            json.dump(
                {
                    "same_run": True,
                    "started": started.isoformat(),
                    "finished": finished.isoformat(),
                    "size": args.size,
                    "reformforum_db": rf["database"],
                    "machina_db": f"machina_{args.size}",
                    "machina_version": MACHINA_VERSION,
                    "counts": counts,
                    "workers": args.workers,
                    "connections": args.connections,
                    "seconds": args.seconds,
                    "rounds": args.rounds,
                    "load_average": load[0],
                    "ceilings": ceilings,
                    "visitor_cookies": kept,
                    "machina_load_seconds": load_seconds,
                    "caches": {"rf": seen, "notes": CACHES_USED},
                    "rows": rows,
                },
                out,
                indent=1,
            )


if __name__ == "__main__":
    main()

"""Shared set-up for the page benchmarks: which database, which pages, which viewers."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/8")
SECRET = "bench-only-secret-key-" + "x" * 40


def database_url(db: str) -> str:
    host = os.environ.get("BENCH_PGHOST", "127.0.0.1")
    user = os.environ.get("BENCH_PGUSER", "postgres")
    return f"postgres://{user}@{host}:5432/{db}"


def production_environment(db: str, static_root: str) -> dict[str, str]:
    """The environment of a production process (DEBUG off), pointed at the bench database."""
    return {
        "DATABASE_URL": database_url(db),
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": SECRET,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_STATIC_ROOT": static_root,
        "REDIS_URL": REDIS_URL,
        "DJANGO_LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "forum.settings",
        # One reader asking for the search page hundreds of times a minute is what the search
        # rate limit (30 a minute) exists to stop; lifted here, or the figures count 429 pages.
        "FORUM_RATE_LIMIT_SEARCH": "1000000/m",
    }


@dataclass(frozen=True)
class PageKind:
    name: str
    url: str
    signed_out: bool = True  # False: the page needs a member (signed out it redirects)


def page_kinds() -> list[PageKind]:
    """The pages to measure, found in the generated data (Django must be set up)."""
    from django.conf import settings
    from django.db.models import Count

    from accounts.models import County, Organisation
    from directory import queries
    from directory.models import System
    from topics.models import Topic

    long_topic = Topic.objects.order_by("-reply_count", "pk").first()
    last_page = (long_topic.reply_count // settings.POSTS_PER_PAGE) + 1
    ordinary = Topic.objects.filter(category__slug="sporsmal-og-svar", reply_count=9).order_by("pk")
    system = System.objects.annotate(n=Count("usages")).order_by("-n", "pk").first()
    county = County.objects.annotate(n=Count("organisations")).order_by("-n", "pk").first()
    merger = queries.mergers_2020()[0]
    assert Organisation.objects.filter(pk=merger.pk).exists()
    return [
        PageKind("front page", "/"),
        PageKind("category", "/k/sporsmal-og-svar/"),
        PageKind("topic (10 posts)", ordinary.first().get_absolute_url()),
        PageKind("topic 5k p1", long_topic.get_absolute_url()),
        PageKind("topic 5k last", f"{long_topic.get_absolute_url()}?side={last_page}"),
        PageKind("new-topic form", "/ny/", signed_out=False),
        PageKind("search", "/search/?q=arkivet+migrering"),
        PageKind("system page", system.get_absolute_url()),
        PageKind("county matrix", f"/katalog/fylke/{county.number}/"),
        PageKind("merger view", f"/katalog/sammenslaing/{merger.slug}/"),
        PageKind("notifications", "/varsler/", signed_out=False),
    ]


def bench_member():
    """A verified municipal member with notifications: the typical signed-in reader."""
    from django.db.models import Count

    from accounts.models import User

    return (
        User.objects.filter(organisation__kind="kommune", organisation__valid_to__isnull=True)
        .exclude(organisation_verification="")
        .annotate(n=Count("notifications"))
        .order_by("-n", "pk")
        .first()
    )


def member_session_cookie(member) -> str:
    """A real signed-in session for `member` in the configured session store, as the
    Cookie header a browser would send (Django must be set up)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.utils.module_loading import import_string

    store = import_string(f"{settings.SESSION_ENGINE}.SessionStore")()
    store[SESSION_KEY] = str(member.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = member.get_session_auth_hash()
    store.save()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def start_gunicorn(
    env: dict[str, str], port: int, workers: int, worker_class: str = "sync", log=None
) -> subprocess.Popen:
    """gunicorn serving the forum on loopback with `env` (its own process group, so that
    `stop_server` ends the master and its workers and nothing else); its output (the
    request log, errors) to the file `log` if given."""
    return subprocess.Popen(
        [
            sys.executable, "-m", "gunicorn", "forum.wsgi:application",
            "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
            "--worker-class", worker_class, "--access-logfile", "/dev/null",
            "--log-level", "warning",
        ],
        cwd=ROOT, env=env, start_new_session=True, stdout=log, stderr=log,
    )  # fmt: skip


def wait_until_serving(server: subprocess.Popen, url: str, workers: int, timeout: float = 60):
    """Until `url` answers and all `workers` are up; their process ids."""
    deadline = time.monotonic() + timeout
    while True:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn stopped (exit status {server.returncode})")
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 (our own server)
            pids = worker_pids(server.pid)
            if len(pids) >= workers:
                return pids
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"gunicorn did not answer {url} within {timeout:.0f} s")
        time.sleep(0.2)


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def worker_pids(master_pid: int) -> list[int]:
    """The processes gunicorn's master has started (its workers)."""
    try:
        return sorted(
            int(pid) for pid in _read(f"/proc/{master_pid}/task/{master_pid}/children").split()
        )
    except OSError:  # a kernel without that file: look for the children by their parent
        found = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    ppid = int(_read(f"/proc/{entry.name}/stat").rpartition(")")[2].split()[1])
                except (OSError, IndexError, ValueError):
                    continue
                if ppid == master_pid:
                    found.append(int(entry.name))
        return sorted(found)


def cpu_seconds(pid: int) -> float:
    """CPU time a process has used so far (user and system, all its threads), from the
    scheduler's nanosecond account; the clock-tick figures of /proc/<pid>/stat (10 ms
    steps) when that is missing."""
    try:
        return (
            sum(
                int(_read(f"{task}/schedstat").split()[0])
                for task in Path(f"/proc/{pid}/task").iterdir()
            )
            / 1e9
        )
    except (OSError, ValueError):
        fields = _read(f"/proc/{pid}/stat").rpartition(")")[2].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _read(path: str) -> str:
    with open(path) as file:
        return file.read()

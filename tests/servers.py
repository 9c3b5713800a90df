"""Real processes for the fault and scale-out tests: a throwaway PostgreSQL cluster,
gunicorn app servers with production settings, the task worker, and a tiny HTTP client.

Everything listens on loopback only and is stopped by the test that started it.
"""

from __future__ import annotations

import http.client
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import pytest

ROOT = Path(__file__).resolve().parent.parent
PG_BIN = Path("/usr/lib/postgresql/15/bin")


def needs(available: bool, reason: str) -> pytest.MarkDecorator:
    """Skip without the service, except where REQUIRE_SERVICE_TESTS is set (CI): there a
    missing service is a failure, not a silent skip."""
    if not available and os.environ.get("REQUIRE_SERVICE_TESTS"):
        pytest.fail(f"REQUIRE_SERVICE_TESTS is set, but this test {reason}", pytrace=False)
    return pytest.mark.skipif(not available, reason=reason)


def redis_available(url: str) -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(url, socket_timeout=1).ping())
    except Exception:
        return False


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(predicate, timeout: float, interval: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False


class ThrowawayPostgres:
    """A PostgreSQL cluster of its own in a temp folder, on its own port."""

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="rf-pg-"))
        self.data = self.dir / "data"
        self.port = free_port()
        self.as_root = os.geteuid() == 0

    @staticmethod
    def available() -> bool:
        return (PG_BIN / "initdb").exists() and (PG_BIN / "pg_ctl").exists()

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        command = list(args)
        if self.as_root:  # initdb refuses to run as root
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, check=check, capture_output=True, text=True, timeout=60)

    def init(self) -> None:
        if self.as_root:
            shutil.chown(self.dir, "postgres", "postgres")
        self._run(
            str(PG_BIN / "initdb"),
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "-A",
            "trust",
            "--no-sync",
            "-E",
            "UTF8",
        )
        self.start()
        self._run(
            "psql",
            "-h",
            "127.0.0.1",
            "-p",
            str(self.port),
            "-U",
            "postgres",
            "-c",
            "CREATE DATABASE forum",
        )

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c max_connections=200"
        )
        self._run(
            str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-o", options, "-l",
            str(self.dir / "log"), "-w", "start",
        )  # fmt: skip

    def stop(self, mode: str = "immediate") -> None:
        self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")

    def destroy(self) -> None:
        self._run(
            str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop", check=False
        )
        shutil.rmtree(self.dir, ignore_errors=True)

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/forum"


def production_env(database_url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "EMAIL_"))}
    env.pop("REDIS_URL", None)
    env.update(
        DATABASE_URL=database_url,
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=SECRET_KEY,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_CONN_MAX_AGE="60",
        DJANGO_LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
        # The load tests post far faster than a person may.
        FORUM_RATE_LIMIT_POST="100000/m",
    )
    env.update(extra)
    return env


SECRET_KEY = secrets.token_urlsafe(50)


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@dataclass
class Process:
    popen: subprocess.Popen
    log: Path

    def stop(self) -> None:
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()

    def output(self) -> str:
        return self.log.read_text(errors="replace")


def start_gunicorn(env: dict[str, str], port: int, log_dir: Path, workers: int = 2) -> Process:
    log = log_dir / f"gunicorn-{port}.log"
    popen = subprocess.Popen(
        [
            sys.executable, "-m", "gunicorn", "forum.wsgi:application",
            "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--timeout", "30",
            "--graceful-timeout", "5", "--error-logfile", "-",
        ],
        cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    process = Process(popen, log)
    if not wait_for(lambda: Client(port).healthy_or_503(), timeout=30):
        process.stop()
        raise RuntimeError(f"gunicorn on {port} did not start:\n{process.output()}")
    return process


def start_worker(env: dict[str, str], log_dir: Path) -> Process:
    log = log_dir / "worker.log"
    popen = subprocess.Popen(
        [
            sys.executable, "manage.py", "db_worker", "--no-reload", "--interval", "0.2",
            "--no-startup-delay", "--queue-name", "*",
        ],
        cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    return Process(popen, log)


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    text: str


@dataclass
class Client:
    """A browser-like client: keeps cookies, sends the CSRF token with every form."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)
    csrf: str = field(default_factory=lambda: secrets.token_hex(16))

    def request(
        self, method: str, path: str, form: dict[str, str] | None = None, timeout: float = 10
    ) -> Response:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        cookies = {"csrftoken": self.csrf, **self.cookies}
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}
        body = None
        if form is not None:
            body = urlencode({**form, "csrfmiddlewaretoken": self.csrf})
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            raw = connection.getresponse()
            text = raw.read().decode(errors="replace")
            for header, value in raw.getheaders():
                if header.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    if name == "csrftoken":
                        self.csrf = rest.split(";", 1)[0]
                    else:
                        self.cookies[name] = rest.split(";", 1)[0]
            return Response(raw.status, {k.lower(): v for k, v in raw.getheaders()}, text)
        finally:
            connection.close()

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def post(self, path: str, form: dict[str, str]) -> Response:
        return self.request("POST", path, form)

    def healthy_or_503(self) -> bool:
        try:
            return self.get("/healthz").status in {200, 503}
        except OSError:
            return False


def sign_in(client: Client, email: str, password: str) -> None:
    response = client.post("/konto/login/", {"login": email, "password": password})
    assert response.status == 302, response.text[-2000:]
    assert "sessionid" in client.cookies


SEED_SCRIPT = """
from tests import factories
from topics.models import Category
category = Category.objects.order_by("pk").first()
# Verified members of Drammen post straight away (no approval of first posts).
factories.organisation(name="Drammen", slug="drammen", domain="drammen.kommune.no")
author = factories.member(email="start@drammen.kommune.no")
topic = factories.topic(author=author, category=category, title="Lasttest")
for n in range({members}):
    factories.member(email=f"skriver{{n}}@drammen.kommune.no")
print("TOPIC", topic.pk)
"""


def seed(env: dict[str, str], members: int) -> int:
    """A topic and `members` members (password factories.PASSWORD); returns the topic id."""
    output = manage(env, "shell", "-c", SEED_SCRIPT.format(members=members))
    return int(output.split("TOPIC", 1)[1].split()[0])

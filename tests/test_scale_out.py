"""Two app servers, one task worker, one PostgreSQL and one Redis, all separate processes
on loopback: the app servers are stateless, so it does not matter which one a member hits."""

from __future__ import annotations

import os
import time
import uuid

import pytest
from django.db import connection

from tests import factories
from tests.servers import (
    Client,
    ThrowawayPostgres,
    free_port,
    manage,
    needs,
    production_env,
    redis_available,
    seed,
    sign_in,
    start_gunicorn,
    start_worker,
    wait_for,
)

REDIS_URL = os.environ.get("SCALE_OUT_REDIS_URL", "redis://127.0.0.1:6379/5")


pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="runs with the PostgreSQL suite only (set DATABASE_URL), like CI",
    ),
    needs(
        ThrowawayPostgres.available(),
        "needs PostgreSQL 15's initdb and pg_ctl (/usr/lib/postgresql/15/bin)",
    ),
    needs(redis_available(REDIS_URL), f"needs Redis at {REDIS_URL}"),
]


@pytest.fixture
def stack(tmp_path):
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    pg = ThrowawayPostgres()
    pg.init()
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    env = production_env(
        pg.url,
        REDIS_URL=REDIS_URL,
        EMAIL_FILE_PATH=str(mail_dir),
        DJANGO_STATIC_ROOT=str(tmp_path / "static"),
        FORUM_RATE_LIMIT_POST="6/m",
    )
    processes = []
    try:
        manage(env, "migrate", "--noinput")
        manage(env, "collectstatic", "--noinput", "--verbosity", "0")
        topic_id = seed(env, members=1)
        ports = [free_port(), free_port()]
        processes += [start_gunicorn(env, port, tmp_path, workers=2) for port in ports]
        processes.append(start_worker(env, tmp_path))
        yield {"ports": ports, "topic": topic_id, "mail": mail_dir, "processes": processes}
    finally:
        for process in processes:
            process.stop()
        pg.destroy()
        redis.Redis.from_url(REDIS_URL).flushdb()


def test_two_app_servers_share_sessions_cache_and_one_worker(stack):
    port_a, port_b = stack["ports"]
    topic = f"/t/{stack['topic']}/"
    for port in (port_a, port_b):
        assert Client(port).get("/healthz").text == (
            '{"status": "ok", "database": "ok", "cache": "ok"}'
        )

    # Signing in on one server and continuing on the other (sessions live in the database).
    member = Client(port_a)
    sign_in(member, "skriver0@drammen.kommune.no", factories.PASSWORD)
    member.port = port_b
    profile = member.get("/profil/")
    assert profile.status == 200
    assert "Min profil" in profile.text

    # A reply posted on one shows at once on the other, also to signed-out readers.
    reader_b = Client(port_b)
    assert "Skrevet på server A" not in reader_b.get(topic).text
    member.port = port_a
    written = time.monotonic()
    reply = member.post(
        f"{topic}svar/", {"body": "Skrevet på server A", "client_token": str(uuid.uuid4())}
    )
    assert reply.status == 302
    page = reader_b.get(reader_b.get(topic).headers.get("location", topic))
    assert "Skrevet på server A" in page.text
    seen_after = time.monotonic() - written

    # The shared cache counts rate limits across servers: 6 posts a minute, wherever sent.
    statuses = []
    for n in range(6):
        member.port = (port_b, port_a)[n % 2]
        statuses.append(
            member.post(
                f"{topic}svar/", {"body": f"Svar {n}", "client_token": str(uuid.uuid4())}
            ).status
        )
    assert statuses == [302, 302, 302, 302, 302, 429]

    # Whatever either server queues is done by the one worker, exactly once: each of the
    # 6 replies sends the topic's starter (who watches it) one notification e-mail, and
    # each password reset asked for on either server sends one e-mail.
    for port in (port_a, port_b):
        anonymous = Client(port)
        response = anonymous.post(
            "/konto/password/reset/", {"email": "skriver0@drammen.kommune.no"}
        )
        assert response.status == 302, response.text[-1500:]
    expected = 6 + 2

    def sent() -> list[str]:
        # The file mailer writes each connection's messages to one file, one after another.
        text = "".join(path.read_text() for path in stack["mail"].iterdir())
        return ["Message-ID:" + part for part in text.split("Message-ID:")[1:]]

    assert wait_for(lambda: len(sent()) >= expected, timeout=30), stack["processes"][-1].output()
    time.sleep(2)  # a duplicate would arrive now
    messages = "".join(path.read_text() for path in stack["mail"].iterdir())
    assert len(sent()) == expected
    assert messages.count("To: skriver0@drammen.kommune.no") == 2
    assert messages.count("/konto/password/reset/key/") == 2
    assert messages.count("To: start@drammen.kommune.no") == 6
    assert len({m.split()[1] for m in sent()}) == expected  # distinct Message-IDs
    print(f"\nscale-out: reply seen on the other server {seen_after:.2f} s after posting")

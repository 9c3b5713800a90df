"""The database stops under load and comes back: friendly 503s meanwhile, no acknowledged
post lost, and the app servers recover on their own (CONN_HEALTH_CHECKS), no restart."""

from __future__ import annotations

import json
import re
import threading
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
    seed,
    sign_in,
    start_gunicorn,
)

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
]

WRITERS = 4


@pytest.fixture
def cluster():
    pg = ThrowawayPostgres()
    pg.init()
    yield pg
    pg.destroy()


def test_database_outage_under_load_loses_no_acknowledged_post(cluster, tmp_path):
    env = production_env(cluster.url, DJANGO_STATIC_ROOT=str(tmp_path / "static"))
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    topic_id = seed(env, members=WRITERS)
    port = free_port()
    server = start_gunicorn(env, port, tmp_path, workers=2)
    try:
        clients = []
        for n in range(WRITERS):
            client = Client(port)
            sign_in(client, f"skriver{n}@drammen.kommune.no", factories.PASSWORD)
            clients.append(client)

        acknowledged: dict[str, int] = {}  # body -> post id
        outage_answers: list[str] = []
        stop = threading.Event()
        lock = threading.Lock()

        def write(n: int, client: Client) -> None:
            i = 0
            while not stop.is_set():
                body = f"Innlegg {i} fra skriver {n}"
                token = str(uuid.uuid4())
                # Like a member pressing «Prøv å sende igjen» until the post is saved.
                while True:
                    try:
                        response = client.post(
                            f"/t/{topic_id}/svar/", {"body": body, "client_token": token}
                        )
                    except OSError:
                        time.sleep(0.1)
                        continue
                    if response.status == 302:
                        post_id = int(
                            re.search(r"/innlegg/(\d+)/", response.headers["location"])[1]
                        )
                        with lock:
                            acknowledged[body] = post_id
                        break
                    with lock:
                        outage_answers.append(f"{response.status} {response.text}")
                    if stop.is_set() and response.status != 503:
                        return
                    time.sleep(0.1)
                i += 1

        threads = [threading.Thread(target=write, args=(n, c)) for n, c in enumerate(clients)]
        for thread in threads:
            thread.start()
        time.sleep(2)
        before_outage = len(acknowledged)

        cluster.stop("immediate")
        reader = Client(port)
        time.sleep(0.5)
        page = reader.get(f"/t/{topic_id}/")
        health = reader.get("/healthz")
        time.sleep(2)

        cluster.start()
        restarted = time.monotonic()
        while reader.get("/healthz").status != 200:
            time.sleep(0.05)
        recovered_after = time.monotonic() - restarted
        time.sleep(2)
        stop.set()
        for thread in threads:
            thread.join(timeout=30)

        # While the database was away: a friendly 503, no stack trace.
        assert page.status == 503
        assert "midlertidig utilgjengelig" in page.text
        assert "Traceback" not in page.text
        assert page.headers["retry-after"] == "30"
        assert health.status == 503
        failed_posts = [a for a in outage_answers if a.startswith("503")]
        assert failed_posts, "no post was tried while the database was down"
        assert all("ble ikke lagret" in a for a in failed_posts)
        assert all(a.startswith("503") for a in outage_answers), outage_answers[:1]

        # Every acknowledged post is there, once, and the counters are exact.
        check = manage(
            env,
            "shell",
            "-c",
            "from topics.models import Post, Topic; import json; "
            f"t = Topic.objects.get(pk={topic_id}); "
            "print(json.dumps({'reply_count': t.reply_count, 'posts': dict("
            "Post.objects.filter(topic=t, position__gt=1).values_list('body', 'pk'))}))",
        )
        stored = json.loads(check.strip().splitlines()[-1])
        assert stored["posts"] == acknowledged
        assert stored["reply_count"] == len(acknowledged)
        assert len(acknowledged) > before_outage
        # Outages are logged (with their tracebacks, for the operators); nothing was a 500.
        assert '"status": 500' not in server.output()
        print(
            f"\nfault: {len(acknowledged)} posts acknowledged and stored "
            f"({len(failed_posts)} answers 503 while down), "
            f"recovered {recovered_after:.2f} s after the database returned"
        )
    finally:
        server.stop()

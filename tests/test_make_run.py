"""`make run` as a newcomer meets it: scripts/serve.sh with DEVELOPMENT=1 starts the
development server beside the task worker (no immediate task backend), and the verification
mail of a sign-up is printed to the console, readable, within seconds (issue 20)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.servers import ROOT, Client, free_port, manage, wait_for

pytestmark = pytest.mark.slow


@pytest.fixture
def make_run(tmp_path: Path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    port = free_port()
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'forum.sqlite3'}",
        DEVELOPMENT="1",
        PYTHON=sys.executable,
        HOST="127.0.0.1",
        PORT=str(port),
        SSO_MOCK_PORT=str(free_port()),
        PYTHONUNBUFFERED="1",
    )
    manage(env, "migrate", "--noinput")
    manage(env, "load_reference_data")
    log = tmp_path / "console.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            ["scripts/serve.sh"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    client = Client(port)
    try:
        assert wait_for(lambda: _answers(client), timeout=30), log.read_text()
        yield client, log
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _answers(client: Client) -> bool:
    try:
        return client.get("/konto/signup/").status == 200
    except OSError:
        return False


def test_sign_up_mail_is_printed_by_the_worker_with_a_link_that_works(make_run):
    client, log = make_run
    started = time.monotonic()
    response = client.post(
        "/konto/signup/",
        {
            "email": "nina.nyansatt@drammen.kommune.no",
            "display_name": "Nina Nyansatt",
            "password1": "Walk-the-forum-2026",
            "password2": "Walk-the-forum-2026",
        },
    )
    assert response.status in {200, 302}, response.text[:2000]

    def link() -> str | None:
        found = re.findall(r"http://127\.0\.0\.1:\d+/konto/confirm-email/\S+/", log.read_text())
        return found[-1] if found else None

    assert wait_for(link, timeout=15), log.read_text()[-3000:]
    seconds = time.monotonic() - started
    console = log.read_text()
    assert "Subject: [Reformforum]" in console
    assert "To: nina.nyansatt@drammen.kommune.no" in console
    assert "=C3=A5" not in console  # not the raw quoted-printable MIME
    path = re.sub(r"^http://127\.0\.0\.1:\d+", "", link())
    confirm = client.get(path)
    assert confirm.status == 200 and "nina.nyansatt@drammen.kommune.no" in confirm.text
    assert seconds < 15

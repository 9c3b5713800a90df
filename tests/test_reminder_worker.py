"""A bookmark's reminder, sent by the real task worker at its time (the database backend's
`run_after`), not before: the rest of the suite runs tasks at once (forum/settings_test.py)."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

from tests.servers import manage, start_worker, wait_for

pytestmark = pytest.mark.slow

SET_UP = """
from datetime import timedelta
from django.db import transaction
from django.utils import timezone
from accounts.models import User
from topics import actions, bookmarks
from topics.models import Category
member = User.objects.create_user(email="kari@example.org", password="x", display_name="Kari")
topic = actions.create_topic(
    author=member, category=Category.objects.first(), title="Arkivplan", body="Tekst",
    check_permission=False,
)
with transaction.atomic():
    found = bookmarks.bookmark(member=member, topic=topic)
    bookmarks.update_bookmark(
        bookmark=found, note="", remind_at=timezone.now() + timedelta(seconds=%(seconds)s)
    )
"""
COUNT = (
    "from notifications.models import Notification; "
    "print(Notification.objects.filter(kind='paminnelse').count())"
)


def _reminders(env: dict[str, str]) -> str:
    return manage(env, "shell", "--no-imports", "-c", COUNT).strip().splitlines()[-1]


def test_the_worker_sends_a_reminder_at_its_time_and_not_before(tmp_path: Path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'forum.sqlite3'}",
        DEVELOPMENT="1",
        PYTHON=sys.executable,
        PYTHONUNBUFFERED="1",
    )
    manage(env, "migrate", "--noinput")
    worker = start_worker(env, tmp_path)
    try:
        queued_at = time.monotonic()
        manage(env, "shell", "-c", SET_UP % {"seconds": 8})
        # Well before its time, the worker has the task and leaves it.
        time.sleep(1)
        if time.monotonic() - queued_at < 6:
            assert _reminders(env) == "0", worker.output()
        assert wait_for(lambda: _reminders(env) == "1", timeout=40, interval=0.5), worker.output()
        assert time.monotonic() - queued_at >= 6
    finally:
        worker.stop()

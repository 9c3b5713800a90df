"""Backup and restore round-trip the demo data, on PostgreSQL (pg_dump) and SQLite."""

from __future__ import annotations

import hashlib
import time

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.models import Organisation, User
from directory.models import Sector
from tests.conftest import restore_migration_data
from topics.models import Category, Post, PostRevision, Topic, WorkshopTopic

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def fingerprint() -> dict[str, object]:
    digest = hashlib.sha256()
    for body, html in Post.objects.order_by("pk").values_list("body", "body_html"):
        digest.update(body.encode() + html.encode())
    return {
        "organisations": Organisation.objects.count(),
        "users": sorted(User.objects.values_list("email", "display_name", "organisation_id")),
        "categories": Category.objects.count(),
        "sectors": Sector.objects.count(),
        "topics": sorted(Topic.objects.values_list("pk", "title", "reply_count")),
        "posts": digest.hexdigest(),
        "revisions": PostRevision.objects.count(),
        "workshop": WorkshopTopic.objects.count(),
    }


def test_backup_and_restore_round_trip_the_demo_data(tmp_path):
    restore_migration_data()  # an earlier transactional test may have emptied the tables
    call_command("load_reference_data", verbosity=0)
    call_command("import_workshop", verbosity=0)
    call_command("load_demo_data", "--force", verbosity=0)
    before = fingerprint()
    assert before["topics"] and before["workshop"] == 18

    path = tmp_path / "forum.backup"
    started = time.monotonic()
    call_command("backup", str(path), verbosity=0)
    backup_seconds = time.monotonic() - started
    assert path.stat().st_size > 10_000

    # Lose and change things after the backup.
    Post.objects.filter(position__gt=1).delete()
    Topic.objects.update(title="Ødelagt")
    User.objects.filter(email__startswith="kari").update(display_name="Feil")
    assert fingerprint() != before

    started = time.monotonic()
    call_command("restore", str(path), "--yes", verbosity=0)
    restore_seconds = time.monotonic() - started
    assert fingerprint() == before
    print(f"\nbackup {backup_seconds:.1f} s, restore {restore_seconds:.1f} s")


def test_restore_refuses_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="No such backup"):
        call_command("restore", str(tmp_path / "nope.dump"), "--yes")

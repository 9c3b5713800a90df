"""The benchmark data generator (bench/loaddata.py) still fits the schema.

It writes with COPY into named columns, so a new NOT NULL column without a database default
breaks it (issue 21's `organisation_verified_through` did, and nothing noticed until a
benchmark was due). A tiny data set is generated into the test database and read back.
"""

import io

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.db import connection

from accounts.models import User
from tests.conftest import restore_migration_data
from topics.models import Post, Topic

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="generate_load_data needs PostgreSQL"
    ),
]


def test_generate_load_data_fills_a_forum_that_serves_pages(client):
    restore_migration_data()  # an earlier transactional test may have emptied the sectors
    call_command("load_reference_data", verbosity=0)
    call_command("generate_load_data", "--scale", "0.0005", "--yes", stdout=io.StringIO())

    assert User.objects.count() > 10
    topic = Topic.objects.visible_to(AnonymousUser()).order_by("-last_activity_at").first()
    assert topic is not None
    assert Post.objects.filter(topic=topic).exists()
    assert client.get(topic.get_absolute_url()).status_code == 200

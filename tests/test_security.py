"""Security headers, a strict Content Security Policy, and production cookies."""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.django_db

# Runs in a separate process with the production settings (DEBUG off) and an in-memory
# database, and prints the headers of a few pages as JSON.
PRODUCTION_PROBE = """
import json, django
django.setup()
from django.db import connection
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
connection.creation.create_test_db(verbosity=0)
client = Client()
out = {}
for path in ["/", "/konto/login/", "/healthz"]:
    response = client.get(path, secure=True, headers={"host": "forum.example.no"})
    out[path] = {"status": response.status_code, "headers": dict(response.headers),
                 "cookies": {k: dict(v) for k, v in response.cookies.items()}}
plain = client.get("/", headers={"host": "forum.example.no"})
out["http"] = {"status": plain.status_code, "location": plain.headers.get("Location", "")}
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def production_responses() -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "EMAIL_"))}
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(60),
        DJANGO_ALLOWED_HOSTS="forum.example.no",
        DJANGO_SETTINGS_MODULE="forum.settings",
        DJANGO_TESTING="1",
        DATABASE_URL="sqlite://:memory:",
    )
    result = subprocess.run(
        [sys.executable, "-c", PRODUCTION_PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_pages_send_every_security_header(production_responses):
    for path in ["/", "/konto/login/"]:
        response = production_responses[path]
        assert response["status"] == 200, path
        headers = {k.lower(): v for k, v in response["headers"].items()}
        assert headers["strict-transport-security"] == (
            "max-age=31536000; includeSubDomains; preload"
        )
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "same-origin"
        assert headers["cross-origin-opener-policy"] == "same-origin"
        assert headers["x-frame-options"] == "DENY"
        csp = headers["content-security-policy"]
        assert "frame-ancestors 'none'" in csp
        assert re.search(r"script-src 'self' 'nonce-[A-Za-z0-9_\-+/=]{16,}'", csp)
        assert "unsafe-inline" not in csp
        assert "unsafe-eval" not in csp


def test_production_redirects_plain_http_to_https(production_responses):
    assert production_responses["http"]["status"] == 301
    assert production_responses["http"]["location"].startswith("https://forum.example.no/")


def test_production_cookies_are_secure_and_http_only(production_responses):
    cookies = production_responses["/konto/login/"]["cookies"]
    csrf = cookies["csrftoken"]
    assert csrf["secure"] is True
    assert csrf["samesite"] == "Lax"


def test_session_cookie_settings_in_production(production_responses):
    from django.conf import settings

    assert settings.SESSION_COOKIE_HTTPONLY is True
    assert production_responses["/healthz"]["status"] == 200


def test_csp_has_a_fresh_nonce_and_no_inline_code(client, topic):
    first = client.get("/")
    second = client.get("/")
    policy = first.headers["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
    assert nonce not in second.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in policy
    for page in [first, client.get(topic.get_absolute_url()), client.get("/konto/login/")]:
        html = page.text
        # Every script is a file from our own origin; there are no inline handlers or styles.
        for tag in re.findall(r"<script[^>]*>", html):
            assert 'src="/static/' in tag or f'nonce="{nonce}"' in tag, tag
        assert not re.search(r"\son[a-z]+\s*=", html), "inline event handler"
        assert "style=" not in html
        assert "<style" not in html

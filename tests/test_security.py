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

from tests import factories
from tests.conftest import login

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
for path in ["/", "/healthz", "/healthz/", "/konto/login/"]:
    plain = client.get(path, headers={"host": "forum.example.no"})
    out["http " + path] = {"status": plain.status_code, "location": plain.get("Location", "")}
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def production_responses() -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "EMAIL_"))}
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(60),
        DJANGO_ALLOWED_HOSTS="forum.example.no",
        DJANGO_SETTINGS_MODULE="forum.settings_test",
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
    for path in ["/", "/konto/login/", "/healthz/"]:
        assert production_responses[f"http {path}"]["status"] == 301, path
        assert production_responses[f"http {path}"]["location"] == f"https://forum.example.no{path}"


def test_the_load_balancers_plain_http_probe_of_healthz_gets_200(production_responses):
    assert production_responses["http /healthz"] == {"status": 200, "location": ""}


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


# ---- The Django admin signs in only through the forum's sign-in -------------------------


@pytest.fixture
def staff_member(kartverket):
    from django.core.cache import cache

    cache.clear()  # the sign-in limits count in the shared cache; start from none
    user = factories.member(email="drift@kartverket.no")
    user.is_staff = user.is_superuser = True
    user.save(update_fields=["is_staff", "is_superuser"])
    return factories.two_factor(user)  # staff must have a second factor


def test_the_admin_login_checks_no_password_and_sends_to_the_forum_sign_in(client, staff_member):
    for _ in range(3):
        response = client.post(
            "/admin/login/?next=/admin/",
            {"username": staff_member.email, "password": factories.PASSWORD, "next": "/admin/"},
        )
        assert response.status_code == 302
        assert response["Location"] == "/konto/login/?next=%2Fadmin%2F"
        assert "_auth_user_id" not in client.session
    response = client.get("/admin/login/", {"next": "/admin/topics/topic/"})
    assert response["Location"] == "/konto/login/?next=%2Fadmin%2Ftopics%2Ftopic%2F"
    assert client.get("/admin/login/", {"next": "https://evil.example/"})["Location"] == (
        "/konto/login/?next=%2Fadmin%2F"
    )
    # A signed-out visitor who opens the admin ends at the forum's sign-in.
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0] == "/konto/login/?next=%2Fadmin%2F"
    # Signed in there, with the second factor, the staff member reaches the admin.
    response = client.post(
        "/konto/login/?next=%2Fadmin%2F",
        {"login": staff_member.email, "password": factories.PASSWORD},
    )
    assert response["Location"] == "/konto/2fa/authenticate/"
    assert client.get("/admin/").status_code == 302  # not signed in until the code is given
    import pyotp

    code = pyotp.TOTP(factories.TOTP_SECRET).now()
    response = client.post("/konto/2fa/authenticate/", {"code": code})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_a_member_without_staff_rights_gets_no_admin_and_no_redirect_loop(client, municipal_member):
    login(client, municipal_member)
    response = client.get("/admin/", follow=True)
    assert response.status_code == 404
    assert len(response.redirect_chain) == 1


def test_wrong_passwords_meant_for_the_admin_meet_the_forum_sign_in_limits(client, staff_member):
    target = client.get("/admin/login/", {"next": "/admin/"})["Location"]
    for _ in range(6):
        response = client.post(target, {"login": staff_member.email, "password": "feil"})
    assert "For mange" in response.text
    client.post(target, {"login": staff_member.email, "password": factories.PASSWORD})
    assert "_auth_user_id" not in client.session

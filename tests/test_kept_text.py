"""A member whose session ended while they wrote sends the form, signs in again through the
real sign-in form, and finds their text in the form; nobody else ever sees it."""

from __future__ import annotations

import html
import re
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.contrib.sessions.backends.cached_db import SessionStore
from django.test import Client, override_settings

from tests import factories
from topics.models import Post, Topic

pytestmark = pytest.mark.django_db

LONG_TEXT = "Vi har brukt tre uker på å kartlegge arkivene. " * 40


def sign_in(client: Client, email: str, next_url: str = "") -> str:
    """Through the sign-in form, as a person would; the address it sends them to."""
    url = "/konto/login/" + (f"?next={next_url}" if next_url else "")
    assert client.get(url).status_code == 200
    response = client.post(url, {"login": email, "password": factories.PASSWORD})
    assert response.status_code == 302, response.text[:500]
    return response.url


def end_session(client: Client) -> None:
    """The session ends on the server (expired, or signed out elsewhere); the browser still
    sends its old cookie."""
    SessionStore(session_key=client.cookies[settings.SESSION_COOKIE_NAME].value).delete()


def textarea(page: str, name: str = "body") -> str:
    match = re.search(rf'<textarea name="{name}"[^>]*>(.*?)</textarea>', page, re.S)
    assert match, f"no textarea {name}"
    return html.unescape(match.group(1)).strip()


def login_url_and_next(response) -> tuple[str, str]:
    assert response.status_code == 302
    parts = urlsplit(response.url)
    return parts.path, parse_qs(parts.query)["next"][0]


def test_a_reply_sent_after_the_session_ended_is_in_the_form_after_signing_in(topic, vendor_member):
    browser = Client()
    sign_in(browser, vendor_member.email)
    assert browser.get(topic.get_absolute_url()).status_code == 200
    end_session(browser)

    sent = browser.post(f"/t/{topic.pk}/svar/", {"body": LONG_TEXT})
    login_path, back = login_url_and_next(sent)
    assert login_path == "/konto/login/"
    assert back.startswith(f"/t/{topic.pk}/svar/")
    assert not Post.objects.filter(author=vendor_member).exists()
    assert "Den er tatt vare på" in browser.get(sent.url).text

    assert sign_in(browser, vendor_member.email, next_url=back) == back
    form = browser.get(back)
    assert form.status_code == 200
    assert textarea(form.text) == LONG_TEXT.strip()
    assert "Her er teksten du skrev" in form.text
    assert "private" in form["Cache-Control"] and "no-store" in form["Cache-Control"]
    # Shown once: the kept text is gone after that.
    assert textarea(browser.get(back).text) == ""


def test_a_new_topic_sent_after_the_session_ended_is_back_with_its_title(
    municipal_member, category
):
    browser = Client()
    sign_in(browser, municipal_member.email)
    end_session(browser)
    sent = browser.post(
        "/ny/",
        {
            "title": "Erfaringer med arkivuttrekk",
            "category": category.pk,
            "kind": "erfaring",
            "body": LONG_TEXT,
        },
    )
    _login, back = login_url_and_next(sent)
    assert not Topic.objects.filter(title="Erfaringer med arkivuttrekk").exists()

    sign_in(browser, municipal_member.email, next_url=back)
    page = browser.get(back).text
    assert textarea(page) == LONG_TEXT.strip()
    assert 'value="Erfaringer med arkivuttrekk"' in page
    assert re.search(rf'<option value="{category.pk}" selected>', page)
    assert re.search(r'value="erfaring"[^>]*checked', page)


def test_an_edit_sent_after_the_session_ended_is_back_with_the_version_it_was_opened_on(
    topic, municipal_member
):
    post = factories.first_post(topic)
    browser = Client()
    sign_in(browser, municipal_member.email)
    end_session(browser)
    sent = browser.post(
        f"/innlegg/{post.pk}/rediger/",
        {"body": LONG_TEXT, "title": topic.title, "version": "1", "topic_version": "1"},
    )
    _login, back = login_url_and_next(sent)

    sign_in(browser, municipal_member.email, next_url=back)
    page = browser.get(back).text
    assert textarea(page) == LONG_TEXT.strip()
    assert 'name="version" value="1"' in page
    assert Post.objects.get(pk=post.pk).body == "Hva gjør dere med dette?"


def test_kept_text_is_never_shown_in_another_browser(topic, vendor_member, municipal_member):
    browser = Client()
    sign_in(browser, vendor_member.email)
    end_session(browser)
    _login, back = login_url_and_next(browser.post(f"/t/{topic.pk}/svar/", {"body": LONG_TEXT}))

    someone_else = Client()
    sign_in(someone_else, municipal_member.email, next_url=back)
    assert textarea(someone_else.get(back).text) == ""
    # ... and the owner still gets it.
    sign_in(browser, vendor_member.email, next_url=back)
    assert textarea(browser.get(back).text) == LONG_TEXT.strip()


def test_a_new_topic_page_with_kept_text_is_not_stored_for_other_members(
    municipal_member, category, kommune
):
    colleague = factories.member(email="per@drammen.kommune.no")
    browser = Client()
    sign_in(browser, municipal_member.email)
    end_session(browser)
    _login, back = login_url_and_next(
        browser.post("/ny/", {"title": "Hemmelig utkast", "body": LONG_TEXT})
    )
    sign_in(browser, municipal_member.email, next_url=back)
    browser.get("/")  # shows the "signed in" message: a page with messages is never stored
    with override_settings(FORUM_PAGE_CACHE_SECONDS=300):
        assert "Hemmelig utkast" in browser.get(back).text
        other = Client()
        other.force_login(colleague)
        assert "Hemmelig utkast" not in other.get(back).text
        assert "Hemmelig utkast" not in other.get("/ny/").text


def test_kept_text_expires(topic, vendor_member, monkeypatch):
    from forum import kept_text

    browser = Client()
    sign_in(browser, vendor_member.email)
    end_session(browser)
    _login, back = login_url_and_next(browser.post(f"/t/{topic.pk}/svar/", {"body": LONG_TEXT}))
    later = time.time() + kept_text.MAX_AGE + 1
    monkeypatch.setattr(kept_text.time, "time", lambda: later)
    sign_in(browser, vendor_member.email, next_url=back)
    assert textarea(browser.get(back).text) == ""

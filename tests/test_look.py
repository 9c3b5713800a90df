"""The look and layout, as far as server-rendered HTML and the shipped static files show it:
the header and its menus, the logo, the font (issue 20). What only a browser shows is in
tests/test_browser_look.py."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

from notifications.models import Notification
from tests import factories
from tests.conftest import login

STATIC = Path(settings.BASE_DIR) / "static"
INTER = STATIC / "vendor" / "inter"

pytestmark = pytest.mark.django_db


def header(html: str) -> str:
    return html[html.index('<header class="site-header">') : html.index("</header>")]


def phone_menu(html: str) -> str:
    start = html.index('<details class="site-menu"')
    return html[start : html.index("</details>", start)]


def test_signed_out_header_has_logo_menus_and_the_way_in(client):
    html = header(client.get("/").text)
    # The mark is decoration beside the forum's name, which is the link's text.
    assert re.search(r'<img class="site-header__mark" src="[^"]*logo\.svg" alt=""', html)
    assert f'<span class="site-header__name">{settings.SITE_NAME}</span>' in html
    # The wide row's menu and the phone's disclosure carry the same links.
    assert html.count('aria-label="Hovedmeny"') == 2
    for label in ("Tråder", "Ubesvarte", "Workshop 2018", "Systemkatalog", "Oppfølging"):
        assert html.count(f">{label}</a>") == 2, label
    assert "Moderering" not in html
    assert "Ny tråd" not in html
    assert html.count("Logg inn</a>") == 2
    assert html.count("Bli medlem</a>") == 2
    # One search form on each, each field labelled, with a placeholder short enough to show.
    assert '<label class="visually-hidden" for="site-search">Søk i forumet</label>' in html
    assert '<label class="visually-hidden" for="site-search-menu">Søk i forumet</label>' in html
    assert html.count('placeholder="Søk i forumet"') == 2
    # The phone menu is a <details>: it opens without JavaScript.
    menu = phone_menu(html)
    assert '<summary class="site-menu__toggle ds-button"' in menu
    assert "Meny" in menu


def test_current_section_is_marked_in_the_menu(client):
    html = header(client.get("/katalog/").text)
    assert html.count('aria-current="page">Systemkatalog</a>') == 2
    assert 'aria-current="page">Tråder' not in html
    html = header(client.get("/").text)
    assert html.count('aria-current="page">Tråder</a>') == 2


def test_member_with_notifications_sees_the_count_and_their_menu(
    client, municipal_member, vendor_member, category
):
    topic = factories.topic(author=municipal_member, category=category)
    Notification.objects.create(
        recipient=municipal_member, kind="svar", topic=topic, actor=vendor_member
    )
    Notification.objects.create(
        recipient=municipal_member, kind="nevnt", topic=topic, actor=vendor_member
    )
    login(client, municipal_member)
    html = header(client.get("/").text)
    bell = re.search(r'<a class="header-notifications".*?</a>', html, re.S).group(0)
    assert 'href="/varsler/"' in bell
    assert '<span class="header-notifications__label">Varsler</span>' in bell
    assert 'data-count="2"' in bell
    assert "2 uleste" in bell
    name = municipal_member.display_name
    assert f'<span class="account-menu__name visually-hidden">{name}</span>' in html
    assert f'<p class="account-menu__who">{name}</p>' in html
    assert f'<p class="site-menu__who">{name}</p>' in html
    organisation_url = municipal_member.organisation.get_absolute_url()
    assert html.count(f'<a href="{organisation_url}">Min organisasjon</a>') == 2
    assert html.count('<a href="/ny/">Ny tråd</a>') == 2
    assert html.count('action="/konto/logout/"') == 2
    assert "Logg inn</a>" not in html
    assert "Moderering" not in html


def test_moderator_gets_the_moderation_link_in_both_menus(client, moderator):
    login(client, moderator)
    html = header(client.get("/").text)
    assert html.count('<a href="/moderering/">Moderering</a>') == 2


def test_header_in_english(client, municipal_member):
    login(client, municipal_member)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = header(client.get("/").text)
    for label in ("Threads", "System directory", "My organisation", "Sign out", "Menu"):
        assert label in html, label
    assert 'placeholder="Search the forum"' in html


def test_logo_is_an_svg_with_the_forum_name():
    svg = (STATIC / "logo.svg").read_text()
    assert svg.startswith("<svg")
    assert f"<title>{settings.SITE_NAME}</title>" in svg
    assert "<script" not in svg


def test_inter_is_shipped_with_its_licence_and_no_network():
    css = (INTER / "inter.css").read_text()
    faces = re.findall(r"@font-face\s*{[^}]*}", css)
    assert len(faces) == 4  # Latin and Latin Extended, upright and italic
    for face in faces:
        assert "font-family: 'Inter';" in face  # the name the Designsystemet theme uses
        (url,) = re.findall(r"url\(([^)]*)\)", face)
        assert re.fullmatch(r"\./inter-[a-z-]+\.woff2", url), url
        assert (INTER / url.removeprefix("./")).read_bytes()[:4] == b"wOF2"
    licence = (INTER / "OFL.txt").read_text()
    assert "SIL Open Font License" in licence
    assert "Inter Project Authors" in licence
    assert "@fontsource-variable/inter" in (INTER / "VERSION").read_text()


def test_every_page_loads_the_font_before_the_theme(client):
    html = client.get("/").text
    inter = html.index("vendor/inter/inter.css")
    assert inter < html.index("vendor/designsystemet/theme.css")
    assert re.search(
        r'<link rel="preload" href="[^"]*inter-latin-wght-normal\.woff2" as="font" '
        r'type="font/woff2" crossorigin>',
        html,
    )


def test_make_css_refreshes_the_font_too():
    makefile = (Path(settings.BASE_DIR) / "Makefile").read_text()
    assert "css:\n\tscripts/update-designsystemet.sh" in makefile
    script = (Path(settings.BASE_DIR) / "scripts" / "update-designsystemet.sh").read_text()
    assert '"@fontsource-variable/inter@${INTER_VERSION}"' in script
    assert 'INTER_DEST="$ROOT/static/vendor/inter"' in script


# ---- Forms (issue 20) --------------------------------------------------------------------


def test_question_posted_with_a_verdict_is_saved_without_it(client, municipal_member, category):
    # Without JavaScript the «Vurdering» field shows on every kind, saying it is for
    # experiences; the server ignores it for the others.
    from topics.models import Topic

    login(client, municipal_member)
    form = client.get("/ny/").text
    assert "Bare for erfaringer: var erfaringen positiv, negativ eller blandet?" in form
    data = {"title": "Hvem drifter Elements?", "category": category.pk, "body": "Hvem?"}
    response = client.post("/ny/", {**data, "kind": "sporsmal", "verdict": "positiv"})
    assert response.status_code == 302
    assert Topic.objects.get(title="Hvem drifter Elements?").verdict == ""


def test_new_topic_form_has_no_empty_box_under_the_title(client, municipal_member):
    login(client, municipal_member)
    html = client.get("/ny/").text
    # Empty means no text at all: .similar-panel:empty then takes no room.
    assert re.search(r'<section class="similar-panel"[^>]*></section>', html)


@pytest.mark.parametrize(
    ("url", "data", "password_fields"),
    [
        ("/konto/login/", {"login": "kari@drammen.kommune.no", "password": "feil"}, 1),
        (
            "/konto/signup/",
            {"email": "ny@drammen.kommune.no", "password1": "kort", "password2": "annet"},
            2,
        ),
    ],
)
def test_after_an_error_the_page_says_why_the_password_is_empty(
    client, municipal_member, url, data, password_fields
):
    response = client.post(url, data)
    html = response.text
    assert 'class="ds-error-summary"' in html
    assert html.count("Av sikkerhetshensyn fyller vi aldri inn et passord på nytt") == 1
    assert html.count("Feltet er tømt: skriv passordet på nytt.") == password_fields
    assert 'value="feil"' not in html and 'value="kort"' not in html
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "we never fill in a password again" in client.post(url, data).text


def test_a_form_without_errors_says_nothing_about_passwords(client):
    html = client.get("/konto/login/").text
    assert "Feltet er tømt" not in html
    assert "Av sikkerhetshensyn" not in html


# ---- Category and sector names in English (issue 20) ---------------------------------


def test_categories_and_sectors_have_english_names_in_the_english_ui(client, municipal_member):
    from directory.models import Sector
    from topics import actions
    from topics.models import Category

    questions = Category.objects.get(slug="sporsmal-og-svar")
    records = Sector.objects.get(slug="sak-arkiv")
    # The migrations give the starting vocabulary its English names.
    assert questions.name_en == "Questions and answers"
    assert records.name_en == "Case and records management"
    assert not Sector.objects.filter(name_en="").exists()
    topic = actions.create_topic(
        author=municipal_member,
        category=questions,
        title="Noark 5-uttrekk",
        body="Hvordan?",
        sectors=[records],
    )
    pages = [
        topic.get_absolute_url(),
        "/",
        records.get_absolute_url(),
        questions.get_absolute_url(),
    ]
    for url in pages:
        norwegian = client.get(url).text
        assert "Questions and answers" not in norwegian, url
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for url in pages:
        english = client.get(url).text
        assert "Questions and answers" in english or "Case and records management" in english, url
    assert "Case and records management" in client.get(topic.get_absolute_url()).text
    assert '<h1 class="ds-heading" data-size="lg">Case and records management</h1>' in (
        client.get(records.get_absolute_url()).text
    )
    login(client, municipal_member)
    form = client.get("/ny/").text
    assert "Case and records management" in form and ">Questions and answers<" in form

"""Norwegian Bokmål and English: complete catalogues, the language switcher, formats, slugs.

The msgids are Norwegian Bokmål. A catalogue is complete when every msgid that
makemessages extracts from the templates and the Python code is in it, not fuzzy, with
every msgstr (both plural forms) written. That holds for nb too: nb's msgstr is the
Norwegian text itself, so that plural forms and contexts get real Norwegian, and a
changed Norwegian source string shows up as fuzzy in nb.po and must be looked at.
See docs/translations.md.
"""

from __future__ import annotations

import ast
import datetime
import gettext
import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.template import Context, Template
from django.test import override_settings
from django.utils import timezone, translation

from directory.models import Sector
from forum.text import norwegian_slugify
from tests import factories
from topics import actions
from topics.models import Category, Post, Topic

LANGUAGES = ("en", "nb")
LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
MAKEMESSAGES_IGNORE = [".venv", "node_modules", "staticfiles"]
FIX = (
    "Run `python manage.py makemessages -l en -l nb --no-obsolete --add-location=file "
    "--ignore=.venv --ignore=node_modules --ignore=staticfiles`, translate what is new or "
    "fuzzy in both catalogues (see docs/translations.md), then `python manage.py "
    "compilemessages --ignore=.venv`."
)


# --- Reading .po files --------------------------------------------------------------------


@dataclass
class Entry:
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)

    @property
    def key(self) -> str:
        """The key the entry has in a compiled catalogue (context, EOT, msgid)."""
        return f"{self.msgctxt}\x04{self.msgid}" if self.msgctxt is not None else self.msgid

    def describe(self) -> str:
        context = f" (context {self.msgctxt!r})" if self.msgctxt is not None else ""
        return f"{self.msgid!r}{context}"


_PO_LINE = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")$')


def read_po(path: Path) -> list[Entry]:
    """The entries of a .po file, header excluded and obsolete (#~) entries skipped."""
    entries: list[Entry] = []
    entry = Entry()
    target: tuple[str, int] | None = None
    for raw in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = raw.strip()
        if not line:
            if target is not None:
                entries.append(entry)
            entry, target = Entry(), None
            continue
        if line.startswith("#~"):
            continue
        if line.startswith("#,"):
            entry.flags.update(flag.strip() for flag in line[2:].split(","))
            continue
        if line.startswith("#"):
            continue
        if match := _PO_LINE.match(line):
            keyword, index, value = match.group(1), match.group(2), ast.literal_eval(match.group(3))
            if keyword.startswith("msgstr"):
                target = ("msgstr", int(index) if index else 0)
                entry.msgstr[target[1]] = value
            else:
                target = (keyword, 0)
                setattr(entry, keyword, value)
        elif line.startswith('"') and target is not None:
            value = ast.literal_eval(line)
            if target[0] == "msgstr":
                entry.msgstr[target[1]] += value
            else:
                setattr(entry, target[0], (getattr(entry, target[0]) or "") + value)
    return [e for e in entries if e.msgid]


def catalogue(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / "django.po"


_PLACEHOLDER = re.compile(r"%\([a-zA-Z_]+\)[sd]|\{[a-zA-Z_]+\}|%%")


def problems(entries: list[Entry]) -> list[str]:
    """What keeps a catalogue from being complete: fuzzy, empty, or broken placeholders."""
    found = []
    for entry in entries:
        forms = 2 if entry.msgid_plural is not None else 1
        if "fuzzy" in entry.flags:
            found.append(f"fuzzy: {entry.describe()}")
        elif len(entry.msgstr) != forms or not all(entry.msgstr.values()):
            found.append(f"untranslated: {entry.describe()}")
        else:
            wanted = sorted(set(_PLACEHOLDER.findall(entry.msgid_plural or entry.msgid)))
            for text in entry.msgstr.values():
                got = sorted(set(_PLACEHOLDER.findall(text)))
                # A singular may leave out %(counter)s ("one reply"), nothing else.
                if got != wanted and sorted({*got, "%(counter)s"}) != wanted:
                    found.append(f"placeholders {got} instead of {wanted}: {entry.describe()}")
    return found


# --- Catalogues: complete, in step with the source, compiled --------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_committed_catalogue_is_complete(language):
    entries = read_po(catalogue(language))
    assert len(entries) > 900
    assert problems(entries) == [], FIX


def require_gettext(*tools: str) -> None:
    """Skip without GNU gettext, unless REQUIRE_GETTEXT is set (as in CI): then fail."""
    missing = [tool for tool in tools if shutil.which(tool) is None]
    if missing:
        reason = f"GNU gettext ({', '.join(missing)}) is not installed: apt-get install gettext"
        if os.environ.get("REQUIRE_GETTEXT"):
            pytest.fail(f"REQUIRE_GETTEXT is set, but {reason}")
        pytest.skip(reason)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> dict[str, list[Entry]]:
    """Run makemessages over the project into a copy of locale/, as the lead would."""
    require_gettext("xgettext", "msgmerge")
    # makemessages writes to the first "locale" folder it meets in the tree it walks, so it
    # walks a copy of the project (sources only) with a copy of the catalogues.
    project = tmp_path_factory.mktemp("project")
    shutil.copytree(
        settings.BASE_DIR,
        project,
        dirs_exist_ok=True,
        ignore=shutil.ignore_patterns(
            *MAKEMESSAGES_IGNORE, ".git", "static", "media", "__pycache__", "*.sqlite3*"
        ),
    )
    copy = project / "locale"
    cwd = Path.cwd()
    os.chdir(project)
    try:
        with override_settings(LOCALE_PATHS=[copy]):
            call_command(
                "makemessages",
                locale=list(LANGUAGES),
                ignore_patterns=MAKEMESSAGES_IGNORE,
                no_obsolete=True,
                add_location="file",
                verbosity=0,
            )
    finally:
        os.chdir(cwd)
    return {
        language: read_po(copy / language / "LC_MESSAGES" / "django.po") for language in LANGUAGES
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_in_the_source_is_translated(extracted, language):
    """Fails when a template or Python string lacks a translation (or is new, or changed)."""
    assert problems(extracted[language]) == [], FIX


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_has_no_strings_the_source_no_longer_uses(extracted, language):
    committed = {entry.key for entry in read_po(catalogue(language))}
    in_source = {entry.key for entry in extracted[language]}
    assert sorted(in_source - committed) == [], FIX
    assert sorted(committed - in_source) == [], FIX


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_passes_msgfmt_check(language):
    """msgfmt --check: python-format placeholders and plural forms agree with the msgid."""
    require_gettext("msgfmt")
    result = subprocess.run(
        ["msgfmt", "--check", "-o", os.devnull, str(catalogue(language))],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogue_matches_the_po_file(language):
    """The committed .mo says exactly what the .po says, so nobody needs gettext to run the site."""
    with (LOCALE_DIR / language / "LC_MESSAGES" / "django.mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)._catalog
    expected: dict[object, str] = {}
    for entry in read_po(catalogue(language)):
        if "fuzzy" in entry.flags:
            continue
        if entry.msgid_plural is not None:
            for index, text in entry.msgstr.items():
                expected[(entry.key, index)] = text
        elif entry.msgstr.get(0):
            expected[entry.key] = entry.msgstr[0]
    compiled = {key: value for key, value in compiled.items() if key != ""}
    assert compiled == expected, "The .mo files are stale: run `python manage.py compilemessages`."


# --- The language a page is in --------------------------------------------------------------


@pytest.fixture
def erfaringer(db) -> Category:
    return Category.objects.get_or_create(slug="erfaringer", defaults={"name": "Erfaringer"})[0]


def test_pages_are_norwegian_by_default(client, erfaringer):
    response = client.get("/k/erfaringer/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    html = response.content.decode()
    assert '<html lang="nb"' in html
    assert response.headers["Content-Language"] == "nb"
    assert "Hopp til hovedinnhold" in html


def test_language_switcher_keeps_the_page(client, erfaringer):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/k/erfaringer/"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/k/erfaringer/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"

    html = client.get("/k/erfaringer/").content.decode()
    assert '<html lang="en"' in html
    assert "Skip to main content" in html
    assert "Hopp til hovedinnhold" not in html
    # The switcher itself: English selected, each language named in its own language.
    assert '<option value="en" lang="en" selected>English</option>' in html
    assert '<option value="nb" lang="nb">Norsk bokmål</option>' in html

    client.post("/i18n/setlang/", {"language": "nb", "next": "/k/erfaringer/"})
    assert '<html lang="nb"' in client.get("/k/erfaringer/").content.decode()


def test_switcher_form_posts_the_current_page_as_next(client, erfaringer):
    html = client.get("/k/erfaringer/?side=1").content.decode()
    assert 'action="/i18n/setlang/"' in html
    assert '<input type="hidden" name="next" value="/k/erfaringer/?side=1">' in html


def test_switcher_refuses_to_redirect_off_site(client, erfaringer):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "https://example.com/"})
    assert response.headers["Location"] == "/"


# --- Dates, numbers and plural forms on real pages --------------------------------------------


@pytest.fixture
def busy_topic(municipal_member, vendor_member, erfaringer) -> Topic:
    topic = factories.topic(
        author=municipal_member, category=erfaringer, title="Arkivuttrekk", replies=0
    )
    first = actions.reply(author=vendor_member, topic=topic, body="Ett svar.")
    second = actions.reply(author=vendor_member, topic=topic, body="Et annet svar.")
    written = timezone.make_aware(datetime.datetime(2026, 11, 27, 14, 5))
    Post.objects.filter(topic=topic).update(created_at=written)
    Post.objects.filter(pk=first.pk).update(useful_count=1)
    Post.objects.filter(pk=second.pk).update(useful_count=3)
    # A large count, to see the thousands separator in the topic list.
    Topic.objects.filter(pk=topic.pk).update(reply_count=12345)
    return Topic.objects.get(pk=topic.pk)


def in_language(client, language: str):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def test_topic_page_dates_and_plurals_in_norwegian(client, busy_topic):
    html = in_language(client, "nb").get(busy_topic.get_absolute_url()).content.decode()
    assert "27. november 2026 kl. 14:05" in html
    assert "1 synes dette er nyttig" in html
    assert "3 synes dette er nyttig" in html


def test_topic_page_dates_and_plurals_in_english(client, busy_topic):
    html = in_language(client, "en").get(busy_topic.get_absolute_url()).content.decode()
    assert "27 November 2026, 14:05" in html
    assert "1 person finds this useful" in html
    assert "3 people find this useful" in html
    assert "november" not in html


def test_topic_list_numbers_and_relative_times_in_norwegian(client, busy_topic):
    Topic.objects.filter(pk=busy_topic.pk).update(
        last_activity_at=timezone.now() - datetime.timedelta(hours=3)
    )
    html = in_language(client, "nb").get("/k/erfaringer/").content.decode()
    assert "<dd>12\xa0345</dd>" in html
    assert "3 timer siden" in html


def test_topic_list_numbers_and_relative_times_in_english(client, busy_topic):
    Topic.objects.filter(pk=busy_topic.pk).update(
        last_activity_at=timezone.now() - datetime.timedelta(hours=3)
    )
    html = in_language(client, "en").get("/k/erfaringer/").content.decode()
    assert "<dd>12,345</dd>" in html
    assert "3\xa0hours ago" in html


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("nb", ["27. november 2026", "27.11.2026 14:05", "november 2026"]),
        ("en", ["27 November 2026", "27/11/2026 14:05", "November 2026"]),
    ],
)
def test_named_formats_follow_the_language(language, expected):
    when = timezone.make_aware(datetime.datetime(2026, 11, 27, 14, 5))
    template = Template(
        '{{ when|date:"DATE_FORMAT" }}|{{ when|date:"SHORT_DATETIME_FORMAT" }}|'
        '{{ when|date:"YEAR_MONTH_FORMAT" }}'
    )
    with translation.override(language):
        assert template.render(Context({"when": when})).split("|") == expected


@pytest.mark.parametrize(
    ("count", "nb", "en"),
    [
        (1, "1 svar", "1 reply"),
        (2, "2 svar", "2 replies"),
        (0, "0 svar", "0 replies"),
    ],
)
def test_plural_forms_in_both_languages(count, nb, en):
    template = Template(
        "{% load i18n %}{% blocktranslate count counter=n %}{{ counter }} svar"
        "{% plural %}{{ counter }} svar{% endblocktranslate %}"
    )
    for language, expected in (("nb", nb), ("en", en)):
        with translation.override(language):
            assert template.render(Context({"n": count})) == expected


def test_words_with_two_meanings_are_translated_by_context(client, busy_topic):
    html = in_language(client, "en").get(busy_topic.get_absolute_url()).content.decode()
    assert 'id="reply-heading">Reply</h2>' in html
    assert ">Original post</a>" in html


# --- Slugs -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Økonomisystem på Våler", "okonomisystem-paa-vaaler"),
        ("Særlige behov i Bø", "saerlige-behov-i-bo"),
        ("ÆØÅ æøå", "aeoaa-aeoaa"),
        ("Å migrere sak/arkiv til Noark 5", "aa-migrere-sakarkiv-til-noark-5"),
        ("Kárášjohka", "karasjohka"),
    ],
)
def test_topic_slugs_fold_norwegian_letters(municipal_member, erfaringer, title, slug):
    topic = actions.create_topic(
        author=municipal_member, category=erfaringer, title=title, body="Hvordan gjør dere det?"
    )
    assert topic.slug == slug
    assert topic.get_absolute_url() == f"/t/{topic.pk}/{slug}/"


def test_sector_and_category_slugs_use_the_same_folding(db):
    assert Sector.objects.create(name="Kart og oppmåling").slug == "kart-og-oppmaaling"
    assert Sector.objects.get(name="Økonomi").slug == "okonomi"
    assert Sector.objects.get(name="HR og lønn").slug == "hr-og-lonn"
    merging = Category.objects.get(slug="sammenslaaing-og-migrering")
    assert norwegian_slugify(merging.name) == merging.slug


def test_norwegian_catalogue_translates_every_string_to_itself():
    """nb msgids are the Norwegian source text; a msgstr that differs is a stale fuzzy match."""
    mo = Path(settings.BASE_DIR) / "locale/nb/LC_MESSAGES/django.mo"
    with mo.open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)._catalog
    singular = {k: v for k, v in catalog.items() if isinstance(k, str) and k and "\x04" not in k}
    assert len(singular) > 500
    wrong = {k: v for k, v in singular.items() if k != v}
    assert not wrong, wrong


def test_no_module_translates_at_import():
    """A text translated when its module is imported is in whatever language was active then
    (Norwegian), whatever the reader chose: module-level texts must be `gettext_lazy`."""
    eager_names = {"gettext", "ngettext", "pgettext", "npgettext"}
    found = []
    for path in sorted(Path(settings.BASE_DIR).rglob("*.py")):
        parts = path.relative_to(settings.BASE_DIR).parts
        if parts[0] in {".venv", "tests", "bench"} or "migrations" in parts:
            continue
        tree = ast.parse(path.read_text())
        eager = {
            alias.asname or alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation"
            for alias in node.names
            if alias.name in eager_names
        }
        functions = [
            node
            for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
        ]
        inside = {id(n) for f in functions for n in ast.walk(f)}
        found += [
            f"{path.relative_to(settings.BASE_DIR)}:{node.lineno}"
            for node in ast.walk(tree)
            if isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in eager
            and id(node) not in inside
        ]
    assert not found, found

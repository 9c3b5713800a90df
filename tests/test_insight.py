"""The status pages (insight/): the stored counts, the map, the charts, the moderators'
reports, what each viewer sees, and query counts that do not grow with the data."""

from __future__ import annotations

import csv
import datetime
import io
import json
import re

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Organisation
from directory.models import Sector
from followup import actions as followup_actions
from insight import actions, maps
from insight.models import FiguresRefresh, MunicipalityFigures, WeeklyActivity
from tests import directory_factories as df
from tests import factories
from tests.conftest import login
from topics import actions as topic_actions
from topics.models import Category, Topic

pytestmark = pytest.mark.django_db

SECRET_TITLE = "Hemmelig anbud i Drammen"


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def drammen(kommune):
    kommune.county = df.county("30", "Viken")
    kommune.save(update_fields=["county"])
    return kommune


@pytest.fixture
def status_world(drammen, municipal_member, moderator, vendor_member, category):
    """Drammen with a system in use, a proposal, a public question answered by a vendor, a
    topic in a municipal-only space, and an action item on each."""
    websak = df.system(vendor=vendor_member.organisation, name="Acos WebSak")
    df.usage(organisation=drammen, system=websak, status="i_bruk")
    df.usage(organisation=drammen, system=websak, sector_slug="hr-og-lonn", status="anskaffelse")
    # A usage of a system that went back to being a proposal (as a vendor's proposal is).
    proposal = df.system(vendor=vendor_member.organisation, name="Forslaget")
    df.usage(organisation=drammen, system=proposal, sector_slug="okonomi", status="i_bruk")
    proposal.is_approved = False
    proposal.save(update_fields=["is_approved"])
    question = topic_actions.create_topic(
        author=municipal_member,
        category=category,
        title="Hvordan flytte arkivet?",
        body="Vi trenger hjelp.",
        sectors=[Sector.objects.get(slug="sak-arkiv")],
        systems=[websak],
    )
    topic_actions.reply(author=vendor_member, topic=question, body="Slik gjør du det.")
    closed = Category.objects.create(
        name="Bare kommuner", slug="kommuner", visibility=Category.Visibility.KOMMUNER
    )
    secret = topic_actions.create_topic(
        author=municipal_member, category=closed, title=SECRET_TITLE, body="Ikke for alle."
    )
    for topic in (question, secret):
        followup_actions.create_action_item(
            topic=topic,
            by=moderator,
            text=f"Følg opp {topic.title}",
            responsible_organisation=drammen,
        )
    return {"question": question, "secret": secret, "system": websak}


def test_refresh_counts_only_what_a_signed_out_visitor_may_read(status_world, drammen):
    actions.refresh_figures()
    figures = MunicipalityFigures.objects.get(organisation=drammen)
    # The proposal's usage is not counted; the usage under procurement is registered, not decided.
    assert (figures.sectors_registered, figures.sectors_decided, figures.usages) == (2, 1, 2)
    assert figures.public_topics == 1  # not the municipal-only topic
    assert figures.open_action_items == 1  # not the item on the municipal-only topic
    assert figures.last_change_at is not None
    assert FiguresRefresh.objects.count() == 1


def test_weekly_activity_counts_public_questions_answers_and_time_to_answer(status_world):
    question = status_world["question"]
    Topic.objects.filter(pk=question.pk).update(
        created_at=question.posts.get(position=2).created_at - datetime.timedelta(hours=3)
    )
    actions.refresh_figures()
    week = actions.monday(timezone.localdate())
    overall = WeeklyActivity.objects.get(week=week, sector__isnull=True)
    assert (overall.topics, overall.questions, overall.answered, overall.replies) == (1, 1, 1, 1)
    assert overall.median_first_answer_hours == 3.0
    archive = WeeklyActivity.objects.get(week=week, sector__slug="sak-arkiv")
    assert (archive.topics, archive.answered) == (1, 1)
    assert not WeeklyActivity.objects.filter(sector__slug="hr-og-lonn").exists()


def test_a_question_answered_only_by_its_author_is_not_answered(municipal_member, category):
    question = factories.topic(author=municipal_member, category=category, replies=1)
    actions.refresh_figures()
    overall = WeeklyActivity.objects.get(sector__isnull=True)
    assert (overall.questions, overall.answered, overall.replies) == (1, 0, 1)
    assert question.reply_count == 1


def test_refresh_command_runs_here_or_through_the_worker(status_world):
    out = io.StringIO()
    call_command("refresh_insight", "--now", stdout=out)
    assert "refreshed" in out.getvalue()
    MunicipalityFigures.objects.all().delete()
    call_command("refresh_insight", stdout=io.StringIO())  # the immediate backend runs it
    assert MunicipalityFigures.objects.exists()


# ---- The map ----------------------------------------------------------------------


def test_map_data_has_every_2020_municipality():
    with open("accounts/data/kommuner_2020.csv", encoding="utf-8") as f:
        numbers = {row["number"] for row in csv.DictReader(f)}
    shapes = maps.shapes()["municipalities"]
    assert set(shapes) == numbers
    assert all(re.fullmatch(r"(M-?\d+ -?\d+[^M]*z)+", s["d"]) for s in shapes.values())


def test_colour_classes_cover_zero_to_the_maximum():
    bounds = maps.classes(10, percent=False)
    assert bounds == [3, 6, 9, 12]
    assert maps.colour_for(None, bounds) == maps.NO_VALUE
    assert maps.colour_for(0, bounds) == maps.SCALE[0]
    assert maps.colour_for(3, bounds) == maps.SCALE[1]
    assert maps.colour_for(10, bounds) == maps.SCALE[4]
    labels = [entry.label for entry in maps.legend(maps.classes(100, percent=True), percent=True)]
    assert labels[:3] == ["0 %", "1–25 %", "26–50 %"]


def test_overview_draws_the_map_with_a_title_per_municipality_and_the_table(
    client, status_world, drammen
):
    actions.refresh_figures()
    response = client.get("/status/")
    assert response.status_code == 200
    page = response.text
    svg = re.search(r'<svg class="insight-map".*?</svg>', page, re.S).group(0)
    assert 'role="img"' in svg and 'aria-labelledby="kart-tittel"' in svg
    assert svg.count("<path") == 356
    assert "<title>Drammen (3005): 17 %</title>" in svg  # 2 of 12 sectors
    assert 'id="kart-tittel"' in page
    assert re.search(r"3005 Drammen</a></td><td>Viken</td><td class=\"numeric\">17 %", page)
    assert "CC BY 4.0" in page and "Kartverket" in page
    assert "<script" not in svg
    assert "Ingen sammenslåinger registrert." in page
    assert '<option value="acos-websak">Acos WebSak (Acos)</option>' in page


def test_the_map_shows_the_users_of_a_chosen_system(client, status_world):
    actions.refresh_figures()
    response = client.get("/status/", {"maal": "system", "system": "acos-websak"})
    assert response.status_code == 200
    assert "<title>Drammen (3005): 2</title>" in response.text
    assert "Acos WebSak" in response.text


@pytest.mark.parametrize(
    ("params", "error"),
    [
        ({"maal": "system"}, "Velg hvilket system"),
        ({"maal": "ukjent"}, "Velg et gyldig valg"),
        ({"maal": "system", "system": "finnes-ikke"}, "Velg et gyldig valg"),
    ],
)
def test_a_bad_measure_is_a_field_error_and_the_default_map(client, status_world, params, error):
    response = client.get("/status/", params)
    assert response.status_code == 200
    assert error in response.text
    assert response.context["measure"].slug == "dekning"
    assert 'class="insight-map"' in response.text


def test_every_viewer_gets_the_same_map_of_public_counts(
    client, status_world, municipal_member, moderator
):
    """A moderator may read the municipal-only topic, yet the map (cached for everyone)
    counts only the public one."""
    actions.refresh_figures()
    signed_out = client.get("/status/", {"maal": "trader"}).context["map_svg"]
    assert "<title>Drammen (3005): 1</title>" in signed_out
    for member in (municipal_member, moderator):
        login(client, member)
        assert client.get("/status/", {"maal": "trader"}).context["map_svg"] == signed_out


def test_a_drawn_map_is_cached_by_what_it_shows(monkeypatch):
    drawn = []
    real = maps._draw
    monkeypatch.setattr(maps, "_draw", lambda **kw: drawn.append(kw) or real(**kw))
    for value in (4, 4, 5, 4):
        maps.draw(measure="x", values={"3005": value}, names={}, title_id="t", percent=False)
    assert [kw["values"]["3005"] for kw in drawn] == [4, 5]


def _queries(client, url) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _more_of_everything(n: int, world: dict) -> None:
    """More municipalities, systems, usages, topics and action items, Drammen's too."""
    county = df.county("30", "Viken")
    vendor = df.vendor()
    drammen = Organisation.objects.get(municipality_number="3005")
    question = world["question"]
    moderator = Organisation.objects.get(slug="kartverket").members.first()
    for i in range(n):
        system = df.system(vendor=vendor, sectors=("sak-arkiv", "okonomi"))
        org = df.municipality(county=county, number=f"{3100 + i}", slug=f"k-{3100 + i}")
        df.usage(organisation=org, system=system)
        df.usage(organisation=drammen, system=system, sector_slug="okonomi", status="valgt")
        topic = factories.topic(author=question.author, category=question.category, replies=1)
        followup_actions.create_action_item(
            topic=topic, by=moderator, text=f"Punkt {i}", responsible_organisation=drammen
        )


@pytest.mark.parametrize("url", ["/status/", "/status/aktivitet/", "/status/kommune/3005/"])
def test_status_pages_run_a_fixed_number_of_queries(client, status_world, url):
    actions.refresh_figures()
    few = _queries(client, url)
    _more_of_everything(8, status_world)
    actions.refresh_figures()
    assert _queries(client, url) == few
    assert few <= 12


# ---- A municipality's page ------------------------------------------------------


def test_municipality_page_by_number_and_by_address(client, status_world, drammen):
    by_number = client.get("/status/kommune/3005/")
    by_slug = client.get("/status/kommune/drammen/")
    assert by_number.status_code == by_slug.status_code == 200
    page = by_number.text
    assert "Status for Drammen" in page
    assert 'href="/katalog/system/acos-websak/"' in page
    assert 'href="/katalog/system/forslaget/"' not in page  # usages of approved systems only
    assert "Hvordan flytte arkivet?" in page
    assert "Følg opp Hvordan flytte arkivet?" in page
    assert client.get("/status/kommune/9999/").status_code == 404
    assert client.get("/status/kommune/acos/").status_code == 404  # a vendor is no municipality


def test_municipality_page_shows_private_topics_only_to_who_may_read_them(
    client, status_world, municipal_member, vendor_member
):
    assert SECRET_TITLE not in client.get("/status/kommune/3005/").text
    login(client, vendor_member)
    assert SECRET_TITLE not in client.get("/status/kommune/3005/").text
    login(client, municipal_member)
    page = client.get("/status/kommune/3005/").text
    assert SECRET_TITLE in page
    assert f"Følg opp {SECRET_TITLE}" in page


def test_a_merged_municipality_shows_its_merger(client):
    viken = df.county()
    old = [
        df.municipality(
            county=viken, number=n, slug=f"old-{n}", valid_to=datetime.date(2019, 12, 31)
        )
        for n in ("0602", "0625")
    ]
    new = df.municipality(
        county=viken, number="3005", name="Drammen", slug="ny", valid_from=datetime.date(2020, 1, 1)
    )
    new.predecessors.set(old)
    system = df.system(vendor=df.vendor())
    df.usage(organisation=old[0], system=system, status="avviklet")
    page = client.get("/status/kommune/3005/").text
    assert "Sammenslåingen i 2020" in page
    assert "1 er ikke bestemt" in page
    client.cookies["django_language"] = "en"
    english = client.get("/status/kommune/3005/").text
    assert "The 2020 merger" in english and "1 is undecided" in english and "|||" not in english
    client.cookies["django_language"] = "nb"
    old_page = client.get("/status/kommune/old-0602/").text
    assert "Kommunen finnes ikke lenger" in old_page and "/status/kommune/ny/" in old_page


# ---- Activity over time -----------------------------------------------------------


def test_activity_page_draws_charts_with_their_numbers(client, status_world):
    actions.refresh_figures()
    response = client.get("/status/aktivitet/")
    assert response.status_code == 200
    page = response.text
    assert page.count('class="insight-chart"') == 4
    for chart_id in ("nye-traader", "svar", "besvart", "svartid"):
        assert f'aria-labelledby="{chart_id}"' in page and f'id="{chart_id}"' in page
    assert len(response.context["weeks"]) == actions.WEEKS
    assert response.context["weeks"][-1].topics == 1
    sector = client.get("/status/aktivitet/", {"sektor": "hr-og-lonn"})
    assert sector.context["weeks"][-1].topics == 0
    bad = client.get("/status/aktivitet/", {"sektor": "<script>"})
    assert bad.status_code == 200 and "Velg et gyldig valg" in bad.text
    assert "<script>" not in bad.text


# ---- Moderators' reports ------------------------------------------------------------


def test_reports_are_for_moderators_only(client, municipal_member, moderator):
    for url in ("/moderering/rapporter/", "/moderering/rapporter/ubesvarte.csv"):
        assert client.get(url).status_code == 302
        login(client, municipal_member)
        assert client.get(url).status_code == 403
        client.logout()
    login(client, moderator)
    assert client.get("/moderering/rapporter/").status_code == 200
    assert client.get("/moderering/rapporter/finnes-ikke.csv").status_code == 404


def test_reports_count_everything_and_download_as_csv(client, status_world, moderator):
    from topics.models import Report

    secret = status_world["secret"]
    post = secret.posts.get(position=1)
    report = Report.objects.create(post=post, reporter=moderator, reason="rude")
    Report.objects.filter(pk=report.pk).update(
        status=Report.Status.DISMISSED, resolved_at=report.created_at + datetime.timedelta(hours=2)
    )
    login(client, moderator)
    page = client.get("/moderering/rapporter/")
    tables = {t.slug: t for t in page.context["tables"]}
    # Two questions without an accepted answer, one of them in a closed space.
    assert sum(row[-1] for row in tables["ubesvarte"].rows) == 2
    assert tables["rapporter"].rows[0][2:4] == [1, 2.0]
    assert tables["organisasjoner"].rows[0][:1] == ["Drammen"]
    assert tables["leverandorer"].rows == [["Acos", 1, 1, 100]]
    response = client.get("/moderering/rapporter/leverandorer.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="reformforum-leverandorer.csv"'
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeffLeverandør,")
    assert list(csv.reader(io.StringIO(body[1:])))[1] == ["Acos", "1", "1", "100"]


def test_reports_page_runs_a_fixed_number_of_queries(client, status_world, moderator):
    login(client, moderator)
    few = _queries(client, "/moderering/rapporter/")
    for _ in range(5):
        factories.topic(author=moderator, category=Category.objects.get(slug="sporsmal"))
    assert _queries(client, "/moderering/rapporter/") == few


def test_map_file_is_small_and_names_its_source():
    data = json.loads(maps.DATA.read_text(encoding="utf-8"))
    assert maps.DATA.stat().st_size < 300_000
    assert data["licence"] == "CC BY 4.0" and "Kartverket" in data["source"]
    assert Organisation  # imported for the factories' kinds


@pytest.mark.usefixtures("page_cache_on")
def test_a_refresh_makes_the_stored_status_pages_stale(
    client, status_world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        actions.refresh_figures()
    for url in ("/status/?maal=trader", "/status/aktivitet/", "/status/kommune/3005/"):
        assert client.get(url).headers.get("X-Page-Cache") != "hit"
        assert client.get(url).headers.get("X-Page-Cache") == "hit", url
    factories.topic(
        author=status_world["question"].author, category=status_world["question"].category
    )
    with django_capture_on_commit_callbacks(execute=True):
        actions.refresh_figures()
    fresh = client.get("/status/?maal=trader")
    assert fresh.headers.get("X-Page-Cache") != "hit"
    assert "<title>Drammen (3005): 2</title>" in fresh.text

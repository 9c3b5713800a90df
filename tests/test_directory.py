"""The system directory: reading, who may edit, history, systems and threads, mergers, open data."""

from __future__ import annotations

import csv
import datetime
import io
import json
import re

import pytest

from accounts.models import Organisation
from directory import actions
from directory.models import System, Usage, UsageChange
from tests import directory_factories as df
from tests import factories
from tests.conftest import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def acos_websak(vendor_org: Organisation) -> System:
    return df.system(vendor=vendor_org, name="Acos WebSak")


@pytest.fixture
def drammen_usage(kommune: Organisation, acos_websak: System) -> Usage:
    return df.usage(organisation=kommune, system=acos_websak, since=datetime.date(2015, 3, 1))


def _usage_post(system: System, **extra: str) -> dict[str, str]:
    data = {"system": system.pk, "sector": df.sector().pk, "status": "i_bruk", "since": "2016-01"}
    data.update(extra)
    return data


# ---- Reading -------------------------------------------------------------------------


def test_signed_out_visitor_reads_every_directory_page(client, kommune, drammen_usage, vendor_org):
    urls = [
        "/katalog/",
        f"/katalog/kommune/{kommune.slug}/",
        f"/katalog/system/{drammen_usage.system.slug}/",
        f"/katalog/leverandor/{vendor_org.slug}/",
        "/katalog/sammenslaing/",
        "/katalog/apne-data/",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
    assert "Acos WebSak" in client.get(f"/katalog/kommune/{kommune.slug}/").text


def test_home_filters_by_sector_vendor_and_status_with_counts(client, kommune, acos_websak):
    other_vendor = df.vendor("Visma")
    enterprise = df.system(vendor=other_vendor, name="Visma Enterprise", sectors=("hr-og-lonn",))
    df.usage(organisation=kommune, system=acos_websak)
    df.usage(organisation=kommune, system=enterprise, sector_slug="hr-og-lonn", status="utfases")

    response = client.get("/katalog/", {"vendor": other_vendor.slug})
    assert "Visma Enterprise" in response.text
    assert response.context["totals"]["usages"] == 1

    response = client.get("/katalog/", {"status": "i_bruk", "sector": "sak-arkiv"})
    assert response.context["totals"]["usages"] == 1
    assert [u.system.name for u in response.context["usages"]] == ["Acos WebSak"]

    counts = {value: n for value, _, n in client.get("/katalog/").context["status_counts"]}
    assert counts["i_bruk"] == 1 and counts["utfases"] == 1


def test_unknown_filter_value_shows_the_form_error_not_a_500(client):
    response = client.get("/katalog/", {"status": "finnes-ikke", "vendor": "ukjent"})
    assert response.status_code == 200
    assert response.context["form"].errors


def test_example_usages_are_marked_and_real_ones_are_not(client, kommune, acos_websak):
    other = factories.organisation(name="Lier", slug="lier", municipality_number="3049")
    df.usage(organisation=kommune, system=acos_websak, is_example=True)
    df.usage(organisation=other, system=acos_websak)

    assert "Eksempeldata." in client.get(f"/katalog/kommune/{kommune.slug}/").text
    assert "Eksempeldata." not in client.get("/katalog/kommune/lier/").text
    assert "Eksempeldata." in client.get(f"/katalog/system/{acos_websak.slug}/").text


# ---- Who may edit --------------------------------------------------------------------


def test_verified_member_adds_a_usage_to_own_organisation_with_history(
    client, municipal_member, kommune, acos_websak
):
    login(client, municipal_member)
    response = client.post(f"/katalog/kommune/{kommune.slug}/ny/", _usage_post(acos_websak))
    assert response.status_code == 302
    usage = Usage.objects.get(organisation=kommune)
    assert usage.since == datetime.date(2016, 1, 1)
    assert usage.confirmed_by == municipal_member
    change = UsageChange.objects.get(usage=usage)
    assert change.action == UsageChange.Action.CREATED
    assert change.changed_by == municipal_member
    assert change.changes["system"] == ["", "Acos WebSak"]


def test_member_cannot_edit_another_organisations_usage(client, municipal_member, acos_websak):
    other = factories.organisation(name="Lier", slug="lier", municipality_number="3049")
    usage = df.usage(organisation=other, system=acos_websak)
    login(client, municipal_member)

    response = client.post(
        f"/katalog/bruk/{usage.pk}/endre/", _usage_post(acos_websak, status="avviklet")
    )
    assert response.status_code == 403
    assert "Bare verifiserte medlemmer av Lier" in response.text
    assert client.post("/katalog/kommune/lier/ny/", _usage_post(acos_websak)).status_code == 403
    assert client.post(f"/katalog/bruk/{usage.pk}/slett/").status_code == 403
    assert client.post(f"/katalog/bruk/{usage.pk}/bekreft/").status_code == 403
    usage.refresh_from_db()
    assert usage.status == "i_bruk"
    assert UsageChange.objects.filter(usage=usage).count() == 1


def test_unverified_and_signed_out_users_cannot_edit(
    client, kommune, unverified_member, drammen_usage
):
    response = client.get(f"/katalog/kommune/{kommune.slug}/ny/")
    assert response.status_code == 302 and "/konto/login/" in response["Location"]
    unverified_member.organisation = kommune
    unverified_member.save()
    login(client, unverified_member)
    assert client.get(f"/katalog/kommune/{kommune.slug}/ny/").status_code == 403
    assert client.get(f"/katalog/bruk/{drammen_usage.pk}/endre/").status_code == 403


def test_vendor_staff_cannot_edit_a_municipalitys_usages(client, vendor_member, drammen_usage):
    login(client, vendor_member)
    assert client.get(f"/katalog/bruk/{drammen_usage.pk}/endre/").status_code == 403


def test_moderator_edits_any_usage_and_history_records_the_diff(client, moderator, drammen_usage):
    login(client, moderator)
    response = client.post(
        f"/katalog/bruk/{drammen_usage.pk}/endre/",
        _usage_post(
            drammen_usage.system,
            status="utfases",
            since="2015-03",
            until="2021-06",
            note="Byttes ut",
        ),
    )
    assert response.status_code == 302
    change = UsageChange.objects.filter(usage=drammen_usage).first()
    assert change.action == UsageChange.Action.UPDATED
    assert change.changed_by == moderator
    assert change.changes == {
        "status": ["I bruk", "Utfases"],
        "until": ["", "2021-06"],
        "note": ["", "Byttes ut"],
    }
    page = client.get(f"/katalog/kommune/{drammen_usage.organisation.slug}/").text
    assert "Endringslogg" in page and "Ingrid Moderator" in page and "Utfases" in page


def test_saving_unchanged_confirms_and_confirm_button_records_it(
    client, municipal_member, drammen_usage
):
    login(client, municipal_member)
    client.post(f"/katalog/bruk/{drammen_usage.pk}/bekreft/")
    change = UsageChange.objects.filter(usage=drammen_usage).first()
    assert change.action == UsageChange.Action.CONFIRMED
    drammen_usage.refresh_from_db()
    assert drammen_usage.confirmed_by == municipal_member


def test_delete_keeps_the_history(client, municipal_member, drammen_usage, kommune):
    login(client, municipal_member)
    assert client.get(f"/katalog/bruk/{drammen_usage.pk}/slett/").status_code == 200
    assert client.post(f"/katalog/bruk/{drammen_usage.pk}/slett/").status_code == 302
    assert not Usage.objects.exists()
    deleted = UsageChange.objects.get(action=UsageChange.Action.DELETED)
    assert deleted.usage is None and deleted.organisation == kommune
    assert deleted.summary == "Acos WebSak (Sak/arkiv)"
    assert "Slettet" in client.get(f"/katalog/kommune/{kommune.slug}/").text


def test_member_editing_example_data_makes_it_real(client, municipal_member, kommune, acos_websak):
    usage = df.usage(organisation=kommune, system=acos_websak, is_example=True)
    login(client, municipal_member)
    client.post(f"/katalog/bruk/{usage.pk}/endre/", _usage_post(acos_websak, status="valgt"))
    usage.refresh_from_db()
    assert not usage.is_example


# ---- Bad input in the form -----------------------------------------------------------


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        ({"since": "2020-05", "until": "2019-01"}, "until", "«Til» kan ikke være før «fra»."),
        ({"status": "i-bruk-kanskje"}, "status", "Velg en av statusene i listen."),
        ({"since": "mars 2019"}, "since", "Skriv år og måned, f.eks. 2019-06."),
        ({"since": "2019-13"}, "since", "Skriv år og måned, f.eks. 2019-06."),
    ],
)
def test_bad_usage_input_shows_error_beside_field_and_stores_nothing(
    client, municipal_member, kommune, acos_websak, extra, field, message
):
    login(client, municipal_member)
    response = client.post(
        f"/katalog/kommune/{kommune.slug}/ny/", _usage_post(acos_websak, **extra)
    )
    assert response.status_code == 400
    assert message in response.context["form"].errors[field]
    assert 'aria-invalid="true"' in response.text or "ds-validation-message" in response.text
    assert not Usage.objects.exists()
    assert not UsageChange.objects.exists()


def test_duplicate_usage_is_refused(client, municipal_member, drammen_usage, kommune):
    login(client, municipal_member)
    response = client.post(
        f"/katalog/kommune/{kommune.slug}/ny/", _usage_post(drammen_usage.system)
    )
    assert response.status_code == 400
    assert "har allerede Acos WebSak" in response.text
    assert Usage.objects.count() == 1


def test_action_refuses_unknown_status_and_reversed_dates(kommune, acos_websak, moderator):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        actions.create_usage(
            by=moderator,
            organisation=kommune,
            system=acos_websak,
            sector=df.sector(),
            status="kanskje",
            since=datetime.date(2020, 1, 1),
            until=datetime.date(2019, 1, 1),
        )
    assert set(exc.value.message_dict) == {"status", "until"}
    assert not Usage.objects.exists()


# ---- Systems: proposals and approval -------------------------------------------------


def test_vendor_staff_propose_own_system_which_a_moderator_approves(
    client, vendor_member, vendor_org, moderator
):
    login(client, vendor_member)
    response = client.post(
        "/katalog/system/ny/",
        {
            "name": "Acos Innsyn",
            "vendor": vendor_org.pk,
            "sectors": [df.sector().pk],
            "standards": "Noark 5, Fiks",
        },
    )
    assert response.status_code == 302
    system = System.objects.get(name="Acos Innsyn")
    assert not system.is_approved
    assert sorted(system.standards.names()) == ["Fiks", "Noark 5"]

    client.logout()
    assert client.get(f"/katalog/system/{system.slug}/").status_code == 404
    assert "Acos Innsyn" not in client.get(f"/katalog/leverandor/{vendor_org.slug}/").text

    login(client, moderator)
    assert "Acos Innsyn" in client.get("/katalog/").text  # waiting for approval
    client.post(f"/katalog/system/{system.slug}/vurder/", {"action": "approve"})
    client.logout()
    assert client.get(f"/katalog/system/{system.slug}/").status_code == 200


def test_vendor_staff_cannot_propose_for_another_vendor(client, vendor_member):
    visma = df.vendor("Visma")
    login(client, vendor_member)
    response = client.post("/katalog/system/ny/", {"name": "Visma Lønn", "vendor": visma.pk})
    assert response.status_code == 400
    assert not System.objects.filter(name="Visma Lønn").exists()


def test_municipal_member_cannot_propose_systems(client, municipal_member):
    login(client, municipal_member)
    assert client.get("/katalog/system/ny/").status_code == 403


def test_usage_of_a_pending_system_is_refused(kommune, vendor_member, vendor_org, moderator):
    from django.core.exceptions import ValidationError

    pending = actions.create_system(by=vendor_member, vendor=vendor_org, name="Nytt")
    with pytest.raises(ValidationError):
        actions.create_usage(
            by=moderator, organisation=kommune, system=pending, sector=df.sector(), status="i_bruk"
        )


def test_vendor_page_counts_users_and_lists_answers_by_staff(
    client, vendor_org, vendor_member, kommune, acos_websak, topic
):
    df.usage(organisation=kommune, system=acos_websak)
    from topics import actions as topic_actions

    topic_actions.reply(author=vendor_member, topic=topic, body="Vi kan hjelpe med migreringen.")
    response = client.get(f"/katalog/leverandor/{vendor_org.slug}/")
    assert [s.organisations for s in response.context["systems"]] == [1]
    assert "Noark 5-migrering" in response.text


# ---- Threads and systems -------------------------------------------------------------


def test_ask_someone_who_uses_it_prefills_the_system_and_links_the_topic(
    client, municipal_member, category, drammen_usage
):
    system = drammen_usage.system
    login(client, municipal_member)
    response = client.get(f"/ny/?system={system.slug}")
    assert response.context["form"].initial["systems"] == [system]
    response = client.post(
        "/ny/",
        {
            "title": "Hvordan arkiverer dere e-post i WebSak?",
            "category": category.pk,
            "kind": "sporsmal",
            "systems": [system.pk],
            "body": "Vi lurer på dette.",
        },
    )
    assert response.status_code == 302
    topic_page = client.get(response["Location"]).text
    assert "Systemer" in topic_page and system.get_absolute_url() in topic_page
    system_page = client.get(system.get_absolute_url())
    assert "Hvordan arkiverer dere e-post i WebSak?" in system_page.text
    assert f"/ny/?system={system.slug}" in system_page.text


def test_municipality_page_lists_threads_its_members_started(client, kommune, topic):
    assert "Noark 5-migrering" in client.get(f"/katalog/kommune/{kommune.slug}/").text


def test_organisation_page_links_to_the_directory(client, kommune):
    assert f"/katalog/kommune/{kommune.slug}/" in client.get(f"/org/{kommune.slug}/").text


# ---- Mergers -------------------------------------------------------------------------


@pytest.fixture
def nye_drammen(acos_websak):
    viken = df.county()
    reform = datetime.date(2020, 1, 1)
    old = [
        df.municipality(
            county=viken, number=n, name=name, slug=f"old-{n}", valid_to=datetime.date(2019, 12, 31)
        )
        for n, name in [("0602", "Drammen"), ("0625", "Nedre Eiker"), ("0711", "Svelvik")]
    ]
    new = df.municipality(
        county=viken, number="3005", name="Drammen", slug="ny-drammen", valid_from=reform
    )
    new.predecessors.set(old)
    public360 = df.system(vendor=df.vendor("Tieto"), name="Public 360°")
    hr = df.system(vendor=df.vendor("Visma"), name="Visma Enterprise", sectors=("hr-og-lonn",))
    df.usage(organisation=old[0], system=public360, status="avviklet")
    df.usage(organisation=old[1], system=acos_websak, status="avviklet")
    df.usage(organisation=old[2], system=acos_websak, status="avviklet")
    for org in old:
        df.usage(organisation=org, system=hr, sector_slug="hr-og-lonn", status="avviklet")
    df.usage(organisation=new, system=public360, status="valgt")
    return new


def test_merger_view_marks_differences_and_the_choice(client, nye_drammen):
    response = client.get("/katalog/sammenslaing/ny-drammen/")
    summary = response.context["summary"]
    rows = {row.sector.slug: row for row in summary.rows}
    assert rows["sak-arkiv"].differs and rows["sak-arkiv"].decided
    assert not rows["hr-og-lonn"].differs and not rows["hr-og-lonn"].decided
    assert (summary.sectors, summary.undecided, summary.differing) == (2, 1, 1)
    assert "Ulike systemer: et valg" in response.text
    assert "Valgt for ny kommune" in response.text


def test_merger_list_counts_undecided_sectors(client, nye_drammen):
    response = client.get("/katalog/sammenslaing/")
    [summary] = response.context["summaries"]
    assert summary.municipality == nye_drammen and summary.undecided == 1
    assert client.get("/katalog/sammenslaing/finnes-ikke/").status_code == 404


# ---- Open data -----------------------------------------------------------------------


def test_csv_and_json_downloads_state_the_licence_and_carry_the_rows(client, drammen_usage):
    drammen_usage.organisation.org_number = "939214895"
    drammen_usage.organisation.save()
    response = client.get("/katalog/systemkatalog.csv")
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode()
    assert text.startswith("# Norsk lisens for offentlige data (NLOD)")
    rows = list(csv.DictReader(io.StringIO(text.split("\n", 1)[1])))
    assert rows == [
        {
            "organisasjonsnummer": "939214895",
            "kommunenummer": "3005",
            "organisasjon": "Drammen",
            "system": "Acos WebSak",
            "leverandor": "Acos",
            "sektor": "Sak/arkiv",
            "status": "i_bruk",
            "fra": "2015-03",
            "til": "",
            "merknad": "",
            "sist_bekreftet": drammen_usage.confirmed_at.date().isoformat(),
            "eksempeldata": "nei",
        }
    ]
    document = json.loads(client.get("/katalog/systemkatalog.json").content)
    assert document["lisens"].startswith("Norsk lisens for offentlige data (NLOD)")
    assert document["rader"] == rows


def test_exported_csv_imports_back_unchanged(client, drammen_usage):
    content = client.get("/katalog/systemkatalog.csv").content
    report = actions.import_usages(by=None, content=content)
    assert report.ok, report.errors
    assert (report.created, report.updated, report.unchanged) == (0, 0, 1)


def test_county_matrix_shows_each_municipality_s_systems_by_sector(client):
    county = df.county("31", "Østfold")
    halden = df.municipality(county=county, number="3101", name="Halden")
    sarpsborg = df.municipality(county=county, number="3105", name="Sarpsborg")
    df.municipality(
        county=county, number="0101", name="Gamle Halden", valid_to=datetime.date(2019, 12, 31)
    )
    vendor = df.vendor("Leverandør <b>& co</b>")
    websak = df.system(vendor=vendor, name="WebSak")
    hostile = df.system(vendor=vendor, name='<img src=x onerror="alert(1)">')
    df.usage(organisation=halden, system=websak)
    df.usage(organisation=halden, system=hostile, status=Usage.Status.UTFASES, is_example=True)
    page = client.get("/katalog/fylke/31/").text
    assert page.index("Halden") < page.index("Sarpsborg")
    assert (
        f'<span class="matrix-cell"><a href="/katalog/system/{websak.slug}/">WebSak</a></span>'
        in page
    )
    assert (
        '<span class="matrix-cell matrix-cell--utfases">'
        f'<a href="/katalog/system/{hostile.slug}/">&lt;img src=x onerror=&quot;alert(1)&quot;&gt;</a>'
        ' <span class="meta">(utfases)</span><sup class="example-mark" title="Eksempeldata">*</sup>'
        "</span>"
    ) in page
    assert "<img src=x" not in page
    assert page.count('aria-label="ikke registrert">–</span>') > 0  # Sarpsborg has nothing
    assert sarpsborg.name in page
    assert '<span class="meta">0101 (til 2019)</span>' in page  # merged away: marked as such


# ---- The home page's defaults, counts and tables (issue 20) ----------------------------


def _ended(name: str, number: str) -> Organisation:
    return factories.organisation(
        name=name, municipality_number=number, valid_to=datetime.date(2019, 12, 31)
    )


def test_home_lists_todays_organisations_and_a_filter_shows_the_ended_ones(
    client, kommune, acos_websak
):
    agdenes = _ended("Agdenes", "5016")
    df.usage(organisation=kommune, system=acos_websak)
    df.usage(organisation=agdenes, system=acos_websak, status="avviklet")

    def listed(**query: str) -> list[str]:
        response = client.get("/katalog/", query)
        names = [u.organisation.name for u in response.context["usages"]]
        assert response.context["totals"]["usages"] == len(names)
        return names

    assert listed() == [kommune.name]
    assert listed(organisations="avviklet") == ["Agdenes"]
    assert sorted(listed(organisations="alle")) == sorted(["Agdenes", kommune.name])
    assert "Tallene og listen gjelder dagens organisasjoner" in client.get("/katalog/").text


def test_summary_counts_agree_with_the_filters(client, kommune, acos_websak, vendor_org):
    # The issue saw «Systemer 13» beside a system list of 15: the summary counted systems
    # with registrations, the list offered every approved system (two had none).
    unused = df.system(vendor=vendor_org, name="Ingen bruker meg")
    visma = df.system(vendor=df.vendor("Visma"), name="Visma Enterprise", sectors=("hr-og-lonn",))
    lier = factories.organisation(name="Lier", slug="lier", municipality_number="3049")
    df.usage(organisation=kommune, system=acos_websak)
    df.usage(organisation=lier, system=acos_websak)
    df.usage(organisation=kommune, system=visma, sector_slug="hr-og-lonn")
    df.usage(organisation=_ended("Agdenes", "5016"), system=visma, sector_slug="hr-og-lonn")

    def options(response) -> dict[str, str]:
        html = response.text
        select = html[
            html.index('<select name="system"') : html.index(
                "</select>", html.index('<select name="system"')
            )
        ]
        return dict(re.findall(r'<option value="([^"]+)"[^>]*>([^<]*)</option>', select))

    response = client.get("/katalog/")
    totals = response.context["totals"]
    assert totals == {"usages": 3, "organisations": 2, "systems": 2, "examples": 0}
    offered = options(response)
    assert offered == {
        acos_websak.slug: "Acos WebSak (2)",
        unused.slug: "Ingen bruker meg (0)",
        visma.slug: "Visma Enterprise (1)",  # Agdenes ended in 2019: not counted by default
    }
    with_any = [label for label in offered.values() if not label.endswith("(0)")]
    assert len(with_any) == totals["systems"]
    assert sum(int(re.search(r"\((\d+)\)$", label)[1]) for label in offered.values()) == 3
    assert sum(n for _, _, n in response.context["status_counts"]) == totals["usages"]

    # Choosing a system leaves the other systems' numbers as they were (what you would get).
    response = client.get("/katalog/", {"system": visma.slug})
    assert response.context["totals"]["systems"] == 1
    assert options(response) == offered
    # Another filter changes them the same way it changes the summary.
    response = client.get("/katalog/", {"sector": "hr-og-lonn", "organisations": "alle"})
    assert response.context["totals"] == {
        "usages": 2,
        "organisations": 2,
        "systems": 1,
        "examples": 0,
    }
    assert options(response)[visma.slug] == "Visma Enterprise (2)"
    assert options(response)[acos_websak.slug] == "Acos WebSak (0)"


def test_member_reaches_their_organisation_in_one_click(client, municipal_member, kommune):
    login(client, municipal_member)
    html = client.get("/katalog/").text
    assert (
        f'<a class="ds-link" href="/katalog/kommune/{kommune.slug}/">Din organisasjon: {kommune.name}</a>'
        in html
    )
    assert client.get(f"/katalog/kommune/{kommune.slug}/").status_code == 200


def test_wide_tables_scroll_in_a_labelled_region_with_a_hint(
    client, kommune, drammen_usage, vendor_org
):
    pages = [
        "/katalog/",
        f"/katalog/kommune/{kommune.slug}/",
        f"/katalog/leverandor/{vendor_org.slug}/",
    ]
    for url in pages:
        html = client.get(url).text
        regions = re.findall(r'<div class="table-scroll[^"]*"([^>]*)>', html)
        assert regions, url
        for attributes in regions:
            assert 'tabindex="0"' in attributes and 'role="region"' in attributes, url
            assert re.search(r'aria-label="[^"]+kan rulles sidelengs"', attributes), url
        assert html.count("data-scroll-hint") == len(regions), url
        assert "rull sidelengs for å se alle kolonnene" in html


def test_system_page_shows_its_web_address_without_breaking_words(client, acos_websak):
    acos_websak.website = "https://www.acos.no/produkter/websak/"
    acos_websak.save(update_fields=["website"])
    html = client.get(acos_websak.get_absolute_url()).text
    assert (
        '<a class="ds-link" href="https://www.acos.no/produkter/websak/" rel="noopener">'
        '<span class="web-address"><span>acos.no</span><wbr><span>/produkter</span><wbr>'
        "<span>/websak</span></span></a>"
    ) in html

"""Bulk loading usages from CSV: every bad row reported by line, and a bad file changes nothing."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from directory import actions
from directory.models import Usage, UsageChange
from tests import directory_factories as df
from tests import factories
from tests.conftest import login

pytestmark = pytest.mark.django_db

HEADER = "organisasjonsnummer,kommunenummer,organisasjon,system,leverandor,sektor,status,fra,til,merknad\n"


@pytest.fixture
def setup(kommune, vendor_org):
    kommune.org_number = "939214895"
    kommune.save()
    factories.organisation(name="Lier", slug="lier", municipality_number="3049")
    visma = df.vendor("Visma")
    df.system(vendor=vendor_org, name="Acos WebSak")
    df.system(vendor=visma, name="Visma Enterprise", sectors=("hr-og-lonn",))
    return kommune


GOOD_ROWS = (
    "939214895,,Drammen,Acos WebSak,Acos,Sak/arkiv,i_bruk,2015-03,,Hovedsystem\n"
    ",3049,Lier,Visma Enterprise,Visma,HR og lønn,Utfases,2012-01,2021-06,\n"
)


def test_good_file_creates_usages_with_history(setup, moderator):
    report = actions.import_usages(by=moderator, content=(HEADER + GOOD_ROWS).encode())
    assert report.ok and (report.created, report.updated) == (2, 0)
    lier = Usage.objects.get(organisation__slug="lier")
    assert lier.status == "utfases"
    assert (lier.since, lier.until) == (datetime.date(2012, 1, 1), datetime.date(2021, 6, 1))
    assert UsageChange.objects.filter(changed_by=moderator, action="created").count() == 2


def test_second_import_updates_only_what_changed(setup, moderator):
    actions.import_usages(by=moderator, content=(HEADER + GOOD_ROWS).encode())
    changed = GOOD_ROWS.replace("i_bruk,2015-03", "utfases,2015-03")
    report = actions.import_usages(by=moderator, content=(HEADER + changed).encode())
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    change = UsageChange.objects.filter(action="updated").get()
    assert change.changes == {"status": ["I bruk", "Utfases"]}


def test_dry_run_changes_nothing(setup, moderator):
    report = actions.import_usages(
        by=moderator, content=(HEADER + GOOD_ROWS).encode(), dry_run=True
    )
    assert report.ok and report.rows == 2
    assert not Usage.objects.exists()


def test_semicolon_and_byte_order_mark_from_excel_are_accepted(setup):
    content = ("\ufeff" + HEADER + GOOD_ROWS).replace(",", ";").encode("utf-8")
    report = actions.import_usages(by=None, content=content)
    assert report.ok, report.errors
    assert Usage.objects.count() == 2


def test_every_bad_row_is_reported_with_line_and_reason_and_nothing_changes(setup, moderator):
    bad = (
        HEADER
        + GOOD_ROWS  # lines 2 and 3 are fine
        + "999999999,,X,Acos WebSak,Acos,Sak/arkiv,i_bruk,,,\n"  # 4
        + ",9999,X,Acos WebSak,Acos,Sak/arkiv,i_bruk,,,\n"  # 5
        + ",3049,Lier,Acos WebSak,Visma,Sak/arkiv,i_bruk,,,\n"  # 6
        + ",3049,Lier,Acos WebSak,Acos,Sak/arkiv,i_bruk,2020-05,2019-01,\n"  # 7
        + ",3049,Lier,Acos WebSak,Acos,Sak/arkiv,kanskje,,,\n"  # 8
        + "939214895,,Drammen,Acos WebSak,Acos,Sak/arkiv,utfases,,,\n"  # 9: duplicate of 2
        + ",3049,Lier,Ukjent,Acos,Sak/arkiv,i_bruk,,,\n"  # 10
        + ",3049,Lier,Acos WebSak,Acos,Fiskeri,i_bruk,,,\n"  # 11
        + ",3049,Lier,Acos WebSak,Acos,Sak/arkiv,i_bruk,mars,,\n"  # 12
        + ",,Lier,Acos WebSak,Acos,Sak/arkiv,i_bruk,,,\n"  # 13
    )
    report = actions.import_usages(by=moderator, content=bad.encode())
    errors = dict(report.errors)
    assert sorted(errors) == list(range(4, 14))
    assert "Ukjent organisasjonsnummer «999999999»" in errors[4]
    assert "Ukjent kommunenummer «9999»" in errors[5]
    assert "er fra Acos, ikke fra Visma" in errors[6]
    assert "«til» (2019-01) er før «fra» (2020-05)" in errors[7]
    assert "Ukjent status «kanskje»" in errors[8]
    assert "Samme organisasjon, system og sektor som linje 2" in errors[9]
    assert "Ukjent system «Ukjent»" in errors[10]
    assert "Ukjent sektor «Fiskeri»" in errors[11]
    assert "ÅÅÅÅ-MM" in errors[12]
    assert "mangler både organisasjonsnummer og kommunenummer" in errors[13]
    assert not Usage.objects.exists()
    assert not UsageChange.objects.exists()


def test_wrong_encoding_is_refused(setup):
    report = actions.import_usages(by=None, content=(HEADER + GOOD_ROWS).encode("latin-1"))
    [(line, reason)] = report.errors
    assert line == 0 and "ikke UTF-8" in reason
    assert not Usage.objects.exists()


def test_missing_columns_are_named(setup):
    content = b"kommunenummer,system,sektor\n3049,Acos WebSak,Sak/arkiv\n"
    [(line, reason)] = actions.import_usages(by=None, content=content).errors
    assert line == 1
    assert "organisasjonsnummer" in reason and "leverandor" in reason and "status" in reason


def test_command_reports_bad_rows_and_changes_nothing(setup, tmp_path, capsys):
    path = tmp_path / "bruk.csv"
    path.write_text(
        HEADER + GOOD_ROWS + ",9999,X,Acos WebSak,Acos,Sak/arkiv,i_bruk,,,\n", encoding="utf-8"
    )
    with pytest.raises(CommandError, match="1 bad row"):
        call_command("import_usages", str(path))
    assert f"{path}:4: Ukjent kommunenummer" in capsys.readouterr().err
    assert not Usage.objects.exists()


def test_command_dry_run_then_real_run(setup, tmp_path, capsys, moderator):
    path = tmp_path / "bruk.csv"
    path.write_text(HEADER + GOOD_ROWS, encoding="utf-8")
    call_command("import_usages", str(path), "--dry-run")
    assert "Dry run: all 2 rows are valid" in capsys.readouterr().out
    assert not Usage.objects.exists()
    call_command("import_usages", str(path), "--by", moderator.email)
    assert Usage.objects.count() == 2
    assert set(UsageChange.objects.values_list("changed_by", flat=True)) == {moderator.pk}


def test_import_form_is_for_moderators_only(client, setup, municipal_member):
    login(client, municipal_member)
    upload = SimpleUploadedFile("bruk.csv", (HEADER + GOOD_ROWS).encode(), content_type="text/csv")
    assert client.post("/katalog/import/", {"file": upload}).status_code == 403
    assert not Usage.objects.exists()


def test_import_form_shows_errors_by_line_then_imports(client, setup, moderator):
    login(client, moderator)
    bad = SimpleUploadedFile(
        "bruk.csv", (HEADER + ",9999,X,Acos WebSak,Acos,Sak/arkiv,i_bruk,,,\n").encode()
    )
    response = client.post("/katalog/import/", {"file": bad})
    assert response.status_code == 400
    assert "Linje 2" in response.text and "Ukjent kommunenummer" in response.text

    good = SimpleUploadedFile("bruk.csv", (HEADER + GOOD_ROWS).encode())
    response = client.post("/katalog/import/", {"file": good, "dry_run": "on"})
    assert response.status_code == 200 and "alle 2 rader er i orden" in response.text
    assert not Usage.objects.exists()

    good.seek(0)
    response = client.post("/katalog/import/", {"file": good})
    assert response.status_code == 302
    assert Usage.objects.count() == 2

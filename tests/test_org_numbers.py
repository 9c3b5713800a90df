"""Organisation numbers: the registry's modulus-11 check, the import from Enhetsregisteret."""

from __future__ import annotations

import gzip
import io
import shutil
from importlib import import_module
from pathlib import Path

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from accounts.models import Organisation
from accounts.orgnumber import is_valid_org_number, validate_org_number
from tests import factories

DATA = Path(__file__).parent / "data"


@pytest.mark.parametrize("number", ["939214895", "958935420", "964338531", "971040238"])
def test_real_organisation_numbers_pass_the_check(number):
    assert is_valid_org_number(number)


@pytest.mark.parametrize(
    "number",
    ["939214894", "964338532", "12345678", "1234567890", "93921489x", "９３９２１４８９５"],
)
def test_wrong_organisation_numbers_fail_the_check(number):
    assert not is_valid_org_number(number)
    with pytest.raises(ValidationError):
        validate_org_number(number)


def test_a_number_whose_check_digit_would_be_ten_is_never_valid():
    # 1·3 + 0·2 + … : the weighted sum 12 leaves remainder 1, so the check digit would be 10.
    assert not any(is_valid_org_number(f"00000006{d}") for d in "0123456789")


def test_organisation_with_a_bad_number_does_not_validate(db):
    org = factories.organisation(name="Feil")
    org.org_number = "939214894"
    with pytest.raises(ValidationError) as caught:
        org.full_clean()
    assert "kontrollsifferet" in str(caught.value.message_dict["org_number"])


def test_admin_form_shows_the_check_digit_error_by_the_field(client, db):
    from accounts.models import User

    admin = factories.two_factor(
        User.objects.create_superuser(email="admin@kartverket.no", display_name="Admin")
    )
    client.force_login(admin)
    response = client.post(
        "/admin/accounts/organisation/add/",
        {"kind": "kommune", "name": "Feilby", "slug": "feilby", "org_number": "939214894"},
    )
    assert response.status_code == 200
    assert "kontrollsifferet stemmer ikke" in response.content.decode()
    assert not Organisation.objects.filter(slug="feilby").exists()


def test_migration_reports_stored_bad_numbers_without_failing(db, capsys):
    org = factories.organisation(name="Gammel feil")
    Organisation.objects.filter(pk=org.pk).update(org_number="939214894")
    migration = import_module("accounts.migrations.0005_org_number_check_digit")
    migration.report_bad_org_numbers(apps, None)
    out = capsys.readouterr().out
    assert "Gammel feil" in out and "939214894" in out
    assert Organisation.objects.get(pk=org.pk).org_number == "939214894"


@pytest.fixture
def municipalities(db):
    return {
        "drammen": factories.organisation(
            name="Drammen", slug="drammen", municipality_number="3005"
        ),
        "oslo": factories.organisation(name="Oslo", slug="oslo", municipality_number="0301"),
        "bergen": factories.organisation(
            name="Bergen", slug="bergen", municipality_number="4601", org_number="964338531"
        ),
        "kinn": factories.organisation(name="Kinn", slug="kinn", municipality_number="4602"),
    }


def _run(path: Path, *args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_enhetsregisteret", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.parametrize("name", ["enhetsregisteret_enheter.json", "enhetsregisteret_enheter.csv"])
def test_import_records_municipal_numbers_by_kommunenummer(municipalities, name):
    out, err = _run(DATA / name)
    numbers = dict(Organisation.objects.values_list("slug", "org_number"))
    assert numbers["drammen"] == "939214895"
    assert numbers["oslo"] == "958935420"
    assert numbers["bergen"] == "964338531"  # already right: unchanged
    assert numbers["kinn"] == ""  # the registry row's check digit is wrong: skipped, reported
    assert "2 recorded, 1 unchanged, 2 skipped" in out
    assert "964338532 FEILSIFFER KOMMUNE: not a valid organisation number" in err
    assert "kommunenummer «9999»" in err
    # Not a municipality: Kartverket's unit is not matched by its address's kommunenummer.
    assert "STATENS KARTVERK" not in out + err
    # Our names stay; the registry's legal name is only shown.
    assert Organisation.objects.get(slug="drammen").name == "Drammen"
    assert _run(DATA / name)[0].endswith("0 recorded, 3 unchanged, 2 skipped.\n")


def test_import_reads_gzip_and_the_api_search_result(municipalities, tmp_path):
    import json

    units = json.loads((DATA / "enhetsregisteret_enheter.json").read_text(encoding="utf-8"))
    search = tmp_path / "kommuner.json.gz"
    with gzip.open(search, "wt", encoding="utf-8") as handle:
        json.dump({"_embedded": {"enheter": units[:1]}, "page": {"totalElements": 1}}, handle)
    out, _ = _run(search)
    assert "1 recorded" in out
    assert Organisation.objects.get(slug="drammen").org_number == "939214895"


def test_import_dry_run_changes_nothing(municipalities):
    out, _ = _run(DATA / "enhetsregisteret_enheter.csv", "--dry-run")
    assert "2 would be recorded" in out
    assert Organisation.objects.get(slug="drammen").org_number == ""


def test_import_never_gives_one_number_to_two_organisations(municipalities):
    factories.organisation(name="Noen andre", slug="andre", org_number="939214895")
    _, err = _run(DATA / "enhetsregisteret_enheter.json")
    assert "939214895 DRAMMEN KOMMUNE: already given to organisation" in err
    assert Organisation.objects.get(slug="drammen").org_number == ""


@pytest.mark.parametrize("content", ["[not json", '"a string"', "navn;kode\nx;y\n"])
def test_import_refuses_a_file_in_another_format_with_a_message(db, tmp_path, content):
    path = tmp_path / ("units.csv" if ";" in content else "units.json")
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError):
        _run(path)


def test_import_refuses_a_missing_file_or_unknown_extension(db, tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        _run(tmp_path / "missing.json")
    other = tmp_path / "units.xml"
    shutil.copy(DATA / "enhetsregisteret_enheter.json", other)
    with pytest.raises(CommandError, match=r"\.json or \.csv"):
        _run(other)

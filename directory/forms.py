from __future__ import annotations

import datetime
import re

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import County, Organisation
from directory.models import Sector, System, Usage, UsageQuerySet
from forum.validators import validate_clean_text, validate_no_direction_controls

_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


class MonthInput(forms.TextInput):
    input_type = "month"

    def format_value(self, value: object) -> str | None:
        if isinstance(value, datetime.date):
            return f"{value:%Y-%m}"
        return super().format_value(value)


class MonthField(forms.Field):
    """Year and month (ÅÅÅÅ-MM), stored as the first day of the month."""

    widget = MonthInput(attrs={"placeholder": _("ÅÅÅÅ-MM"), "data-width": "auto"})
    default_error_messages = {"invalid": _("Skriv år og måned, f.eks. 2019-06.")}

    def to_python(self, value: object) -> datetime.date | None:
        if value in (None, ""):
            return None
        if isinstance(value, datetime.date):
            return value.replace(day=1)
        match = _MONTH.match(str(value).strip())
        if not match or not 1 <= int(match[2]) <= 12 or int(match[1]) < 1900:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return datetime.date(int(match[1]), int(match[2]), 1)


class UsageForm(forms.Form):
    system = forms.ModelChoiceField(
        label=_("System"),
        queryset=System.objects.none(),
        empty_label=_("Velg system"),
        error_messages={"required": _("Velg et system.")},
    )
    sector = forms.ModelChoiceField(
        label=_("Sektor"),
        queryset=Sector.objects.all(),
        empty_label=_("Velg sektor"),
        error_messages={"required": _("Velg sektoren systemet brukes i.")},
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=Usage.Status.choices,
        initial=Usage.Status.I_BRUK,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Velg en av statusene i listen.")},
    )
    since = MonthField(label=_("Fra"), required=False, help_text=_("År og måned, f.eks. 2016-01."))
    until = MonthField(
        label=_("Til"), required=False, help_text=_("Når bruken sluttet eller skal slutte.")
    )
    note = forms.CharField(
        label=_("Merknad"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("F.eks. modul, driftsform eller avtale."),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["system"].queryset = System.objects.approved().select_related("vendor")
        self.fields["system"].label_from_instance = lambda s: f"{s.name} ({s.vendor.name})"

    def clean(self) -> dict:
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", _("«Til» kan ikke være før «fra»."))
        return data


class SystemForm(forms.Form):
    name = forms.CharField(
        label=_("Navn"),
        max_length=150,
        validators=[validate_clean_text, validate_no_direction_controls],
    )
    vendor = forms.ModelChoiceField(
        label=_("Leverandør"),
        queryset=Organisation.objects.vendors(),
        empty_label=_("Velg leverandør"),
    )
    sectors = forms.ModelMultipleChoiceField(
        label=_("Sektorer"),
        queryset=Sector.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    description = forms.CharField(
        label=_("Kort beskrivelse"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    website = forms.URLField(label=_("Nettadresse"), required=False, assume_scheme="https")
    standards = forms.CharField(
        label=_("Standarder"),
        required=False,
        max_length=500,
        help_text=_("Skill med komma, f.eks. «Noark 5, Fiks»."),
        validators=[validate_clean_text, validate_no_direction_controls],
    )

    def __init__(
        self, *args: object, fixed_vendor: Organisation | None = None, **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)
        if fixed_vendor is not None:
            self.fields["vendor"].queryset = Organisation.objects.filter(pk=fixed_vendor.pk)
            self.fields["vendor"].initial = fixed_vendor.pk
            self.fields["vendor"].empty_label = None
            self.fields["vendor"].help_text = _("Du kan foreslå systemer fra din egen leverandør.")

    def clean_standards(self) -> list[str]:
        return [s.strip() for s in self.cleaned_data["standards"].split(",") if s.strip()]


class DirectoryFilterForm(forms.Form):
    CURRENT, ENDED, ALL = "", "avviklet", "alle"

    organisations = forms.ChoiceField(
        label=_("Organisasjoner"),
        choices=[
            (CURRENT, _("Dagens")),
            (ENDED, _("Avviklede (f.eks. før 2020)")),
            (ALL, _("Alle, også avviklede")),
        ],
        required=False,
    )
    sector = forms.ModelChoiceField(
        label=_("Sektor"),
        queryset=Sector.objects.all(),
        required=False,
        to_field_name="slug",
        empty_label=_("Alle sektorer"),
    )
    county = forms.ModelChoiceField(
        label=_("Fylke"),
        queryset=County.objects.all(),
        required=False,
        empty_label=_("Alle fylker"),
    )
    vendor = forms.ModelChoiceField(
        label=_("Leverandør"),
        queryset=Organisation.objects.vendors(),
        required=False,
        to_field_name="slug",
        empty_label=_("Alle leverandører"),
    )
    system = forms.ModelChoiceField(
        label=_("System"),
        queryset=System.objects.approved(),
        required=False,
        to_field_name="slug",
        empty_label=_("Alle systemer"),
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Alle statuser")), *Usage.Status.choices], required=False
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["county"].label_from_instance = lambda c: (
            _("%(number)s %(name)s (til %(year)s)")
            % {"number": c.number, "name": c.name, "year": c.valid_to.year}
            if c.valid_to
            else f"{c.number} {c.name}"
        )
        for field in self.fields.values():
            field.widget.attrs["data-size"] = "sm"

    def filter(self, usages: UsageQuerySet, *, but: str = "") -> UsageQuerySet:
        """The usages the filters choose (today's organisations when none is chosen, or the
        input is invalid); `but` leaves one filter out, for counting that filter's options."""
        data = self.cleaned_data if self.is_valid() else {}
        which = data.get("organisations", self.CURRENT)
        if which == self.CURRENT:
            usages = usages.filter(organisation__valid_to__isnull=True)
        elif which == self.ENDED:
            usages = usages.filter(organisation__valid_to__isnull=False)
        lookups = {
            "sector": "sector",
            "county": "organisation__county",
            "vendor": "system__vendor",
            "system": "system",
            "status": "status",
        }
        for name, lookup in lookups.items():
            if name != but and data.get(name):
                usages = usages.filter(**{lookup: data[name]})
        return usages

    def count_systems(self, counts: dict[int, int]) -> None:
        """Show beside each system how many of the chosen usages it has, so that the list
        and the summary's number of systems tell the same story."""
        self.fields["system"].label_from_instance = lambda s: (
            _("%(name)s (%(count)s)") % {"name": s.name, "count": counts.get(s.pk, 0)}
        )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV-fil"),
        help_text=_(
            "Samme format som CSV-nedlastingen, UTF-8, komma eller semikolon som skilletegn."
        ),
        error_messages={"required": _("Velg en fil.")},
    )
    dry_run = forms.BooleanField(
        label=_("Bare prøv (endrer ingenting)"), required=False, initial=True
    )

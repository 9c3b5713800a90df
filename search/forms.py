from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from directory.models import Sector
from search.engine import Filters
from search.text import clean_query
from topics.models import Category, Topic

QUERY_MAX_LENGTH = 200


class QueryField(forms.CharField):
    def to_python(self, value: object) -> str:
        return clean_query(super().to_python(value))


class SearchForm(forms.Form):
    q = QueryField(
        label=_("Søk etter"),
        required=False,
        max_length=QUERY_MAX_LENGTH,
        help_text=_("Søk i tråder, innlegg og organisasjoner. Bruk «anførselstegn» for uttrykk."),
        error_messages={
            "max_length": _("Søket kan ha høyst %(limit_value)d tegn (det har %(show_value)d).")
        },
    )
    kategori = forms.ModelChoiceField(
        label=_("Kategori"),
        queryset=Category.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label=_("Alle kategorier"),
    )
    sektor = forms.ModelChoiceField(
        label=_("Sektor"),
        queryset=Sector.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("Alle sektorer"),
    )
    type = forms.ChoiceField(
        label=_("Type tråd"),
        choices=[("", _("Alle typer")), *Topic.Kind.choices],
        required=False,
    )
    status = forms.ChoiceField(
        label=_("Spørsmål"),
        choices=[("", _("Alle")), ("lost", _("Løste")), ("ubesvart", _("Ubesvarte"))],
        required=False,
    )
    organisasjon = forms.ChoiceField(
        label=_("Forfatterens organisasjon"),
        choices=[("", _("Alle slags")), *Organisation.Kind.choices],
        required=False,
    )
    fra = forms.DateField(
        label=_("Skrevet fra"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Skriv en dato, f.eks. 2019-12-31.")},
    )
    til = forms.DateField(
        label=_("Skrevet til"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Skriv en dato, f.eks. 2019-12-31.")},
    )

    def __init__(self, *args: object, categories: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        # Only categories the member may read can be chosen: a closed one's slug is unknown.
        self.fields["kategori"].queryset = categories

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("fra"), data.get("til")
        if start and end and start > end:
            raise ValidationError({"til": _("Sluttdatoen må være etter startdatoen.")})
        return data

    def filters(self) -> Filters:
        data = self.cleaned_data
        return Filters(
            category=data.get("kategori"),
            sector=data.get("sektor"),
            kind=data.get("type", ""),
            organisation_kind=data.get("organisasjon", ""),
            date_from=data.get("fra"),
            date_to=data.get("til"),
            solved=data.get("status", ""),
        )

    @property
    def has_filters(self) -> bool:
        return any(self.cleaned_data.get(name) for name in self.fields if name != "q")

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from directory.models import Sector, System
from insight.queries import DEFAULT_MEASURE, MEASURES


class MeasureForm(forms.Form):
    """The map's measure, chosen with a GET form (no JavaScript)."""

    maal = forms.ChoiceField(label=_("Vis på kartet"), required=False)
    system = forms.ModelChoiceField(
        label=_("System"),
        queryset=System.objects.approved().select_related("vendor"),
        required=False,
        to_field_name="slug",
        empty_label=_("Velg et system"),
        help_text=_("Brukes når du viser brukere av et system."),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["maal"].choices = [(m.slug, m.label) for m in MEASURES.values()]
        self.fields["system"].label_from_instance = lambda s: f"{s.name} ({s.vendor.name})"
        for field in self.fields.values():
            field.widget.attrs["data-size"] = "sm"

    def clean(self) -> dict:
        data = super().clean()
        if data.get("maal") == "system" and not data.get("system"):
            self.add_error("system", _("Velg hvilket system kartet skal vise brukerne av."))
        return data

    def measure(self) -> tuple[str, System | None]:
        """What to draw: the chosen measure, or the default while the choice is invalid."""
        if not self.is_bound or not self.is_valid():
            return DEFAULT_MEASURE, None
        return self.cleaned_data["maal"] or DEFAULT_MEASURE, self.cleaned_data.get("system")


class SectorForm(forms.Form):
    sektor = forms.ModelChoiceField(
        label=_("Sektor"),
        queryset=Sector.objects.all(),
        required=False,
        to_field_name="slug",
        empty_label=_("Alle sektorer"),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sektor"].widget.attrs["data-size"] = "sm"

    def sector(self) -> Sector | None:
        return self.cleaned_data.get("sektor") if self.is_valid() else None

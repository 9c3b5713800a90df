from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from directory.models import Sector, System
from insight.queries import DEFAULT_MEASURE, MEASURES


class MeasureForm(forms.Form):
    """The map's measure, chosen with a GET form (no JavaScript)."""

    maal = forms.ChoiceField(label=_("Vis på kartet"), required=False)
    # The approved systems as plain choices (hundreds of them: no model instance each).
    system = forms.ChoiceField(
        label=_("System"),
        required=False,
        help_text=_("Brukes når du viser brukere av et system."),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["maal"].choices = [(m.slug, m.label) for m in MEASURES.values()]
        systems = System.objects.approved().order_by("name", "vendor__name")
        self.fields["system"].choices = [("", _("Velg et system"))] + [
            (slug, f"{name} ({vendor})")
            for slug, name, vendor in systems.values_list("slug", "name", "vendor__name")
        ]
        for field in self.fields.values():
            field.widget.attrs["data-size"] = "sm"

    def clean_system(self) -> System | None:
        slug = self.cleaned_data.get("system")
        return System.objects.approved().filter(slug=slug).first() if slug else None

    def clean(self) -> dict:
        data = super().clean()
        if data.get("maal") == "system" and not data.get("system") and "system" not in self.errors:
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

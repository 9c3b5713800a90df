"""Forms for adding and updating action items."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.forms import OrganisationChoiceField
from accounts.models import Organisation
from followup.models import ActionItem


class ActionItemForm(forms.Form):
    text = forms.CharField(
        label=_("Neste steg"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Beskriv hva som skal gjøres.")},
    )
    responsible_organisation = OrganisationChoiceField(
        label=_("Oppfølgingsansvarlig"),
        queryset=Organisation.objects.current().order_by("name"),
        required=False,
        empty_label=_("Uavklart"),
    )
    due_date = forms.DateField(
        label=_("Frist"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Skriv en dato.")},
    )


class ActionItemUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionItem.Status.choices)
    text = forms.CharField(
        label=_("Oppdatering"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    post_number = forms.IntegerField(
        label=_("Lenke til innlegg nr."),
        min_value=1,
        required=False,
        help_text=_(
            "Nummeret på et innlegg i tråden som viser hva som er gjort (1 er første innlegg)."
        ),
        error_messages={"invalid": _("Skriv et tall.")},
    )

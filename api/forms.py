from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from api import permissions
from api.models import Scope

# How long a new token lives, in days; "" for never.
EXPIRY_CHOICES = [
    ("30", _("30 dager")),
    ("90", _("90 dager")),
    ("365", _("Ett år")),
    ("", _("Aldri")),
]


class NewTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Navn på nøkkelen"),
        max_length=100,
        help_text=_("Hva den skal brukes til, f.eks. «Power BI» eller «Kommunens intranett»."),
        error_messages={
            "required": _("Gi nøkkelen et navn."),
            "max_length": _("Navnet kan ha høyst %(limit_value)d tegn."),
            "null_characters_not_allowed": _("Navnet inneholder et ugyldig tegn."),
        },
    )
    scopes = forms.MultipleChoiceField(
        label=_("Hva nøkkelen kan gjøre i tillegg til å lese"),
        help_text=_(
            "Alle nøkler kan lese det du kan lese. Det du krysser av her, kan nøkkelen gjøre "
            "i ditt navn, men aldri mer enn du selv kan i forumet."
        ),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Du kan ikke gi nøkkelen denne tilgangen.")},
    )
    expires_in = forms.ChoiceField(
        label=_("Utløper etter"),
        choices=EXPIRY_CHOICES,
        initial="90",
        required=False,
        error_messages={"invalid_choice": _("Velg en av utløpstidene.")},
    )

    def __init__(self, *args, user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scopes"].choices = [
            (value, label)
            for value, label in Scope.choices
            if value != Scope.READ and permissions.can_grant_scope(user, value)
        ]

    def expires_at(self) -> datetime.datetime | None:
        days = self.cleaned_data.get("expires_in")
        return timezone.now() + datetime.timedelta(days=int(days)) if days else None

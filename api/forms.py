from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


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

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from api import permissions, webhooks
from api.models import Scope, WebhookEvent
from directory.models import Sector, System
from topics.models import Category

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


class NewWebhookForm(forms.Form):
    """Where and what to send. The address is checked against SSRF here (and when sending)."""

    url = forms.URLField(
        label=_("Adresse (https://)"),
        max_length=500,
        assume_scheme="https",
        help_text=_(
            "Må være en offentlig adresse på internett som svarer med 2xx innen 5 sekunder."
        ),
        error_messages={
            "required": _("Skriv inn adressen webhooken skal sendes til."),
            "invalid": _("Adressen er ikke gyldig."),
            "max_length": _("Adressen kan ha høyst %(limit_value)d tegn."),
        },
    )
    description = forms.CharField(
        label=_("Beskrivelse"),
        max_length=200,
        required=False,
        help_text=_("Valgfritt, f.eks. «Saksbehandlingssystemet»."),
        error_messages={"max_length": _("Beskrivelsen kan ha høyst %(limit_value)d tegn.")},
    )
    owner = forms.ChoiceField(
        label=_("Eier"),
        error_messages={"invalid_choice": _("Velg en av eierne."), "required": _("Velg en eier.")},
    )
    events = forms.MultipleChoiceField(
        label=_("Hendelser"),
        choices=WebhookEvent.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Velg minst én hendelse."),
            "invalid_choice": _("Velg blant hendelsene i listen."),
        },
    )
    categories = forms.ModelMultipleChoiceField(
        label=_("Bare i disse kategoriene"),
        queryset=Category.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Ingen valgt: alle kategoriene eieren kan lese."),
        error_messages={"invalid_choice": _("Velg blant kategoriene i listen.")},
    )
    sectors = forms.ModelMultipleChoiceField(
        label=_("Bare tråder om disse sektorene"),
        queryset=Sector.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Ingen valgt: alle sektorer."),
        error_messages={"invalid_choice": _("Velg blant sektorene i listen.")},
    )
    systems = forms.ModelMultipleChoiceField(
        label=_("Bare tråder om disse systemene"),
        queryset=System.objects.none(),
        required=False,
        help_text=_("Ingen valgt: alle systemer. Hold Ctrl (⌘ på Mac) for å velge flere."),
        error_messages={"invalid_choice": _("Velg blant systemene i listen.")},
    )

    def __init__(self, *args, user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        owners = []
        if user is not None and user.is_authenticated and user.organisation_is_verified:
            owners.append((str(user.organisation_id), user.organisation.name))
        if user is not None and user.is_authenticated and user.is_moderator:
            owners.append(("moderators", _("Moderatorene (meg)")))
        self.fields["owner"].choices = owners
        if len(owners) == 1:
            self.fields["owner"].initial = owners[0][0]
        self.fields["events"].initial = [
            WebhookEvent.TOPIC_CREATED,
            WebhookEvent.POST_CREATED,
            WebhookEvent.ANSWER_ACCEPTED,
        ]
        if user is not None:
            self.fields["categories"].queryset = Category.objects.visible_to(user).order_by("name")
            self.fields["systems"].queryset = System.objects.visible_to(user).order_by("name")

    def clean_url(self) -> str:
        url = self.cleaned_data["url"]
        webhooks.resolve(url)  # raises a ValidationError that says why, shown by the field
        return url

    def organisation(self):
        owner = self.cleaned_data["owner"]
        return None if owner == "moderators" else self.user.organisation

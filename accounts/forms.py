from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, User
from forum.fields import SafeModelChoiceField
from forum.validators import validate_clean_text


class OrganisationChoiceField(SafeModelChoiceField):
    def label_from_instance(self, obj: Organisation) -> str:
        return f"{obj.name} ({obj.get_kind_display()})"


def _organisation_field() -> OrganisationChoiceField:
    return OrganisationChoiceField(
        label=_("Organisasjon"),
        queryset=Organisation.objects.current().order_by("name"),
        required=False,
        empty_label=_("Finn den fra e-postadressen min"),
        help_text=_(
            "Arbeidsgiveren du skriver for. Du blir verifisert automatisk når e-postadressen "
            "din hører til organisasjonens domene (f.eks. @drammen.kommune.no)."
        ),
    )


class SignupProfileForm(forms.Form):
    """The fields allauth's sign-up form adds to e-mail and password."""

    display_name = forms.CharField(
        label=_("Visningsnavn"),
        max_length=100,
        help_text=_("Fullt navn, slik andre ser deg i forumet."),
        validators=[validate_clean_text],
    )
    job_title = forms.CharField(
        label=_("Stilling"), max_length=100, required=False, validators=[validate_clean_text]
    )
    organisation = _organisation_field()

    field_order = ["email", "display_name", "job_title", "organisation", "password1", "password2"]

    def signup(self, request, user: User) -> None:
        # Called by allauth inside its sign-up transaction, before the address is verified.
        user.display_name = self.cleaned_data["display_name"].strip()
        user.job_title = self.cleaned_data["job_title"].strip()
        user.organisation = self.cleaned_data["organisation"]
        user.save(update_fields=["display_name", "job_title", "organisation"])


class ProfileForm(forms.Form):
    display_name = SignupProfileForm.base_fields["display_name"]
    job_title = SignupProfileForm.base_fields["job_title"]
    organisation = _organisation_field()


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Passordet ditt"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("For å være sikre på at det er du."),
        error_messages={"required": _("Skriv passordet ditt.")},
    )
    confirm = forms.BooleanField(
        label=_("Jeg forstår at kontoen slettes for godt"),
        error_messages={"required": _("Kryss av for å bekrefte.")},
    )

    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("Passordet stemmer ikke."))
        return password

from __future__ import annotations

from allauth.mfa.webauthn.forms import AddWebAuthnForm as _AllauthAddWebAuthnForm
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import MemberGroup, Organisation, User
from forum.fields import SafeModelChoiceField
from forum.text import norwegian_slugify
from forum.validators import validate_clean_text, validate_no_direction_controls


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
        validators=[validate_clean_text, validate_no_direction_controls],
    )
    job_title = forms.CharField(
        label=_("Stilling"),
        max_length=100,
        required=False,
        validators=[validate_clean_text, validate_no_direction_controls],
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


class AvatarForm(forms.Form):
    picture = forms.FileField(
        label=_("Nytt bilde"),
        required=False,
        help_text=_("PNG, JPEG, GIF eller WebP, høyst 5 MB. Bildet beskjæres til et kvadrat."),
        widget=forms.FileInput(attrs={"accept": ".png,.jpg,.jpeg,.gif,.webp"}),
    )
    remove = forms.BooleanField(label=_("Fjern bildet"), required=False)

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("picture") and not data.get("remove") and not self.errors:
            raise ValidationError({"picture": _("Velg et bilde, eller kryss av for å fjerne det.")})
        return data


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


class GroupForm(forms.Form):
    name = forms.CharField(
        label=_("Navn"),
        max_length=100,
        help_text=_("F.eks. «Nye Drammen»."),
        validators=[validate_clean_text, validate_no_direction_controls],
        error_messages={"required": _("Gi gruppen et navn.")},
    )
    description = forms.CharField(
        label=_("Beskrivelse"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        slug = norwegian_slugify(name)
        if MemberGroup.objects.filter(Q(name__iexact=name) | Q(slug=slug)).exists():
            raise forms.ValidationError(_("Det finnes allerede en gruppe med dette navnet."))
        return name


class GroupMemberForm(forms.Form):
    email = forms.EmailField(
        label=_("E-postadresse"),
        help_text=_("Et medlem som allerede har konto på Reformforum."),
        error_messages={
            "required": _("Skriv e-postadressen til medlemmet."),
            "invalid": _("Skriv en gyldig e-postadresse, f.eks. navn@kommune.no."),
        },
    )

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        self.member = User.objects.filter(email__iexact=email, is_active=True).first()
        if self.member is None:
            raise forms.ValidationError(
                _("Ingen medlemmer har denne adressen. Send en invitasjon i stedet.")
            )
        return email


class GroupInvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("E-postadresse"),
        help_text=_("Vi sender en lenke. Den som inviteres, må logge inn med denne adressen."),
        error_messages={
            "required": _("Skriv e-postadressen du vil invitere."),
            "invalid": _("Skriv en gyldig e-postadresse, f.eks. navn@kommune.no."),
        },
    )


class TenantForm(forms.Form):
    tenant_id = forms.UUIDField(
        label=_("Entra ID-tenant"),
        help_text=_(
            "Katalog-ID-en (tenant ID) fra Microsoft Entra, f.eks. "
            "3f1c2a4e-9b7d-4c51-8e2f-0a6b5d4c3e21. Den som logger inn gjennom denne tenanten, "
            "blir verifisert for organisasjonen."
        ),
        error_messages={
            "required": _("Skriv tenant-ID-en."),
            "invalid": _(
                "En tenant-ID er en UUID: 32 heksadesimale tegn i fem grupper, "
                "f.eks. 3f1c2a4e-9b7d-4c51-8e2f-0a6b5d4c3e21."
            ),
        },
    )


class AddWebAuthnForm(_AllauthAddWebAuthnForm):
    """allauth's form for adding a security key leaves its name field without a label, so
    Django shows the field name «Name» untranslated in Norwegian; ours names it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].label = _("Navn på sikkerhetsnøkkelen")
        self.fields["name"].help_text = _("Valgfritt, for eksempel «YubiKey» eller «Mobilen».")

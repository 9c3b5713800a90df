from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.forms import OrganisationChoiceField
from accounts.models import Organisation
from directory.models import Sector
from topics.forms import TitleField, VersionField
from topics.models import ModerationLogEntry, Report


def _reason(required: bool = False, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=_("Grunn"),
        max_length=500,
        required=required,
        help_text=help_text,
        error_messages={"required": _("Skriv en grunn.")},
    )


class CloseTopicForm(forms.Form):
    reason = _reason(True, _("Vises for alle i tråden."))


class ReasonForm(forms.Form):
    reason = _reason(help_text=_("Lagres i moderasjonsloggen."))


class DeleteTopicForm(forms.Form):
    reason = _reason(True, _("Lagres i moderasjonsloggen. Tråden kan gjenopprettes."))


class MoveTopicForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("Ny kategori"),
        queryset=None,
        empty_label=_("Velg kategori"),
        error_messages={"required": _("Velg en kategori.")},
    )
    reason = _reason(help_text=_("Vises i tråden sammen med flyttingen."))

    def __init__(self, *args: object, categories: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories


class MergeTopicForm(forms.Form):
    into = forms.IntegerField(
        label=_("Slå sammen med tråd nummer"),
        min_value=1,
        help_text=_(
            "Nummeret står i adressen: /t/<nummer>/. Innleggene flyttes dit, ordnet etter tid."
        ),
        error_messages={"required": _("Skriv nummeret på tråden."), "invalid": _("Skriv et tall.")},
    )
    reason = _reason(help_text=_("Vises i tråden det slås sammen med."))


class SplitTopicForm(forms.Form):
    posts = forms.TypedMultipleChoiceField(
        label=_("Innlegg som skal skilles ut"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Velg innleggene som skal skilles ut.")},
    )
    title = TitleField(label=_("Tittel på den nye tråden"), help_text="")
    reason = _reason(help_text=_("Vises i begge trådene."))

    def __init__(
        self, *args: object, post_choices: list[tuple[int, str]], **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["posts"].choices = post_choices


class EditTopicForm(forms.Form):
    title = TitleField()
    sectors = forms.ModelMultipleChoiceField(
        label=_("Sektorer"),
        queryset=Sector.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    version = VersionField()


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Hva er galt?"),
        choices=Report.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Velg en grunn.")},
    )
    text = forms.CharField(
        label=_("Forklaring"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Bare moderatorene ser dette. Påkrevd når du velger «Annet»."),
    )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("reason") == Report.Reason.OTHER and not (data.get("text") or "").strip():
            self.add_error("text", _("Forklar kort hva som er galt."))
        return data


class ResolveReportForm(forms.Form):
    decision = forms.ChoiceField(choices=[("hide", "hide"), ("dismiss", "dismiss")])
    reason = forms.CharField(max_length=500, required=False)


class SilenceForm(forms.Form):
    until = forms.DateTimeField(
        label=_("Skrivepause til"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
        error_messages={"required": _("Velg dato og tid."), "invalid": _("Skriv dato og tid.")},
    )
    reason = _reason(True, _("Medlemmet ser grunnen."))


class SuspendForm(forms.Form):
    reason = _reason(True, _("Medlemmet ser grunnen når det prøver å logge inn."))


class VerifyMemberForm(forms.Form):
    organisation = OrganisationChoiceField(
        label=_("Organisasjon"),
        queryset=Organisation.objects.current().order_by("name"),
        empty_label=_("Velg organisasjon"),
        error_messages={"required": _("Velg en organisasjon.")},
        help_text=_("Medlemmet blir verifisert for denne organisasjonen."),
    )


class LogFilterForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Handling"),
        choices=[("", _("Alle handlinger")), *ModerationLogEntry.Action.choices],
        required=False,
    )
    actor = forms.IntegerField(required=False, widget=forms.HiddenInput)
    q = forms.CharField(label=_("Søk i gjelder og grunn"), required=False, max_length=100)

"""The forms of conversations: a new one, a reply, a report."""

from __future__ import annotations

import re

from django import forms
from django.db.models import Q
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _

from accounts.forms import OrganisationChoiceField
from accounts.models import Organisation, User
from forum.validators import validate_clean_text, validate_no_direction_controls
from topics.forms import AttachmentsField, BodyField, MarkdownTextarea

MAX_RECIPIENTS = 10


class MessageTextarea(MarkdownTextarea):
    """The topic editor's toolbar and preview, without pasting files into the text: a draft
    file belongs to the topics' attachments, which a conversation must not share. Files go
    with the message through the attachments field instead."""

    def get_context(self, name: str, value: object, attrs: dict | None) -> dict:
        context = super().get_context(name, value, attrs)
        context["widget"]["uploads"] = False
        return context


def _body_field() -> BodyField:
    return BodyField(
        label=_("Melding"),
        widget=MessageTextarea(attrs={"rows": 8}),
        error_messages={"required": _("Skriv en melding før du sender.")},
    )


class MembersField(forms.CharField):
    """Members by e-mail address or by the name others see, separated by commas: those with a
    page of their own (a confirmed address), so a name tells nothing about anyone else."""

    def clean(self, value: object) -> list[User]:
        text = super().clean(value) or ""
        words = [w.strip() for w in re.split(r"[,;\n]", text) if w.strip()]
        if len(words) > MAX_RECIPIENTS:
            raise forms.ValidationError(
                _gettext("Høyst %(count)d mottakere i én samtale.") % {"count": MAX_RECIPIENTS}
            )
        if not words:
            return []
        query = Q()
        for word in words:
            query |= Q(email__iexact=word) if "@" in word else Q(display_name__iexact=word)
        found = list(User.objects.with_public_page().filter(query))
        members: list[User] = []
        problems: list[str] = []
        for word in words:
            key = word.lower()
            matches = [
                u
                for u in found
                if (u.email.lower() if "@" in word else u.display_name.lower()) == key
            ]
            if not matches:
                problems.append(
                    _gettext("Fant ingen medlem som heter «%(word)s».") % {"word": word}
                )
            elif len(matches) > 1:
                problems.append(
                    _gettext("Flere medlemmer heter «%(word)s». Skriv e-postadressen i stedet.")
                    % {"word": word}
                )
            elif matches[0] not in members:
                members.append(matches[0])
        if problems:
            raise forms.ValidationError(problems)
        return members


class NewConversationForm(forms.Form):
    members = MembersField(
        label=_("Til medlemmer"),
        required=False,
        max_length=1000,
        help_text=_(
            "Navn eller e-postadresse, skilt med komma, f.eks. «Kari Nordmann, ola@acos.no»."
        ),
    )
    organisation = OrganisationChoiceField(
        label=_("Til en organisasjon"),
        queryset=Organisation.objects.current().order_by("name"),
        required=False,
        empty_label=_("Ingen organisasjon"),
        help_text=_("Alle verifiserte medlemmer av organisasjonen tar del, f.eks. «Acos»."),
        error_messages={"invalid_choice": _("Velg en organisasjon fra listen.")},
    )
    subject = forms.CharField(
        label=_("Emne"),
        max_length=200,
        validators=[validate_clean_text, validate_no_direction_controls],
        error_messages={
            "required": _("Samtalen må ha et emne."),
            "max_length": _("Emnet kan ha høyst %(limit_value)d tegn (det har %(show_value)d)."),
        },
    )
    body = _body_field()
    attachments = AttachmentsField()

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("members") and not data.get("organisation") and not self.errors:
            self.add_error("members", _gettext("Velg minst én mottaker."))
        return data


class ReplyForm(forms.Form):
    body = _body_field()
    attachments = AttachmentsField()


class ReportForm(forms.Form):
    reason = forms.CharField(
        label=_("Hva er galt med meldingen?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Moderatorene ser bare denne meldingen og det du skriver her."),
        error_messages={"required": _("Si kort hva som er galt.")},
    )

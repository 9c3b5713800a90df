"""The poll section of the new-topic form. Its own form (prefix «poll»), so the topic form
stays as it is and a topic without a poll sends nothing of it."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from forum.forms import add_errors
from forum.validators import validate_clean_text
from topics.models import Poll
from topics.models.polls import MAX_OPTIONS, QUESTION_MAX_LENGTH
from topics.polls import PollDraft, check_draft, option_lines

PREFIX = "poll"
# What a member typed into the poll, kept across a sign-in (forum/kept_text.py) with the topic.
KEPT_FIELDS = tuple(
    f"{PREFIX}-{name}"
    for name in (
        "question",
        "options",
        "kind",
        "max_choices",
        "closes_at",
        "results_visibility",
        "voters",
    )
)


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class PollForm(forms.Form):
    question = forms.CharField(
        label=_("Spørsmål i avstemningen"),
        required=False,
        max_length=QUESTION_MAX_LENGTH * 2,  # the action says how long, with the count
        validators=[validate_clean_text],
        help_text=_("La feltene stå tomme om tråden ikke skal ha en avstemning."),
    )
    options = forms.CharField(
        label=_("Svaralternativer"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        validators=[validate_clean_text],
        help_text=_("Ett alternativ på hver linje, fra 2 til %(max)d.") % {"max": MAX_OPTIONS},
    )
    kind = forms.ChoiceField(
        label=_("Hvor mange kan man velge?"),
        choices=Poll.Kind.choices,
        initial=Poll.Kind.SINGLE,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Velg ett valg eller flere valg.")},
    )
    max_choices = forms.IntegerField(
        label=_("Høyst antall valg"),
        required=False,
        min_value=1,
        max_value=MAX_OPTIONS,
        help_text=_("Bare for flere valg. Tomt: så mange man vil."),
        error_messages={
            "invalid": _("Skriv et helt tall."),
            "min_value": _("Høyst antall valg må være minst %(limit_value)s."),
            "max_value": _("Høyst antall valg kan ikke være over %(limit_value)s."),
        },
    )
    closes_at = forms.DateTimeField(
        label=_("Avsluttes"),
        required=False,
        widget=DateTimeLocalInput(),
        help_text=_("Dato og klokkeslett. Tomt: åpen til du avslutter den selv."),
        error_messages={"invalid": _("Skriv dato og klokkeslett, f.eks. 2026-12-31 12:00.")},
    )
    results_visibility = forms.ChoiceField(
        label=_("Når vises resultatene?"),
        choices=Poll.ResultsVisibility.choices,
        initial=Poll.ResultsVisibility.AFTER_VOTE,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Velg når resultatene skal vises.")},
    )
    voters = forms.ChoiceField(
        label=_("Hvem som stemte"),
        choices=Poll.Voters.choices,
        initial=Poll.Voters.ANONYMOUS,
        required=False,
        widget=forms.RadioSelect,
        help_text=_("Med navn: alle som ser resultatene, ser hvem som stemte hva."),
        error_messages={"invalid_choice": _("Velg om stemmene er anonyme eller vises med navn.")},
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("prefix", PREFIX)
        super().__init__(*args, **kwargs)

    def is_wanted(self) -> bool:
        """Did the member begin a poll (a question or an option typed)?"""
        for name in ("question", "options"):
            value = (
                self.data.get(self.add_prefix(name)) if self.is_bound else self.initial.get(name)
            )
            if str(value or "").strip():
                return True
        return False

    def clean(self) -> dict[str, object]:
        cleaned = super().clean()
        if self.errors or not self.is_wanted():
            return cleaned
        try:
            check_draft(self._draft(cleaned))
        except ValidationError as exc:
            add_errors(self, exc)
        return cleaned

    def _draft(self, cleaned: dict[str, object]) -> PollDraft:
        return PollDraft(
            question=str(cleaned.get("question") or ""),
            options=option_lines(str(cleaned.get("options") or "")),
            kind=str(cleaned.get("kind") or Poll.Kind.SINGLE),
            max_choices=cleaned.get("max_choices"),  # type: ignore[arg-type]
            closes_at=cleaned.get("closes_at"),  # type: ignore[arg-type]
            results_visibility=str(
                cleaned.get("results_visibility") or Poll.ResultsVisibility.AFTER_VOTE
            ),
            voters=str(cleaned.get("voters") or Poll.Voters.ANONYMOUS),
        )

    def draft(self) -> PollDraft | None:
        """The poll to create with the topic, or None (call after is_valid)."""
        return self._draft(self.cleaned_data) if self.is_wanted() else None

    def kept(self) -> PollForm:
        """An unbound copy showing what was typed (for the preview and the similar-topics
        step, which show the form again without its errors)."""
        initial = {name: self.data.get(self.add_prefix(name), "") for name in self.fields}
        return PollForm(initial=initial)

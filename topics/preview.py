"""What a post will look like before it is sent: the text through the same checks and the same
renderer (topics.markdown) as a saved post, and nothing written."""

from __future__ import annotations

from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

BUTTON = "forhandsvis"  # the name of the «Forhåndsvis» submit button


@dataclass(frozen=True)
class Preview:
    html: str = ""
    errors: list[str] = field(default_factory=list)
    files_dropped: bool = False


def render_preview(body: str, *, files_dropped: bool = False) -> Preview:
    """The sanitised HTML of `body`, or why it cannot be sent as it is."""
    from topics.forms import BodyField
    from topics.markdown import render_markdown

    if not body.strip():
        return Preview(errors=[_("Det er ingen tekst å forhåndsvise ennå.")])
    try:
        cleaned = BodyField().clean(body)
    except ValidationError as exc:
        return Preview(errors=exc.messages, files_dropped=files_dropped)
    return Preview(html=render_markdown(cleaned), files_dropped=files_dropped)


def is_requested(request) -> bool:
    return request.method == "POST" and BUTTON in request.POST


def kept_values(form: forms.Form) -> dict[str, object]:
    """What was typed into a sent form, as the initial values of a fresh one: the preview page
    shows the form as it was, without the errors an unfinished text would have."""
    return {
        name: form[name].value()
        for name, form_field in form.fields.items()
        if not isinstance(form_field, forms.FileField)
    }

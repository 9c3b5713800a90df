"""Every Django form renders with Designsystemet markup: labels, descriptions, errors."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting


class ForumBoundField(BoundField):
    @property
    def aria_describedby(self) -> str | None:
        ids = [part for part in [super().aria_describedby] if part]
        if self.errors and self.auto_id:
            ids.append(f"{self.auto_id}_error")
        return " ".join(ids) or None

    def build_widget_attrs(self, attrs: dict, widget=None) -> dict:
        attrs = super().build_widget_attrs(attrs, widget)
        if not self.use_fieldset and (describedby := self.aria_describedby):
            attrs["aria-describedby"] = describedby
        attrs["class"] = f"{attrs.get('class', '')} ds-input".strip()
        return attrs


class ForumFormRenderer(TemplatesSetting):
    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"
    bound_field_class = ForumBoundField


def form_status(*forms: object) -> int:
    """400 when a submitted form has errors (so a retried POST is not cached as fine), else 200."""
    return 400 if any(f is not None and f.is_bound and f.errors for f in forms) else 200


def add_errors(form: forms.Form, exc: ValidationError) -> None:
    """Put an action's ValidationError next to the field it names, or on top of the form
    (Django's add_error refuses a field the form does not have)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)

"""Widgets that render in Python what Django renders through templates, for long lists."""

from __future__ import annotations

from django import forms
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString, mark_safe


def _attributes(attrs: dict[str, object]) -> str:
    """django/forms/widgets/attrs.html."""
    return "".join(
        f" {name}" if value is True else f' {name}="{escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


class FastSelectMultiple(forms.SelectMultiple):
    """A SelectMultiple whose HTML is exactly what django/forms/widgets/select.html and
    select_option.html give (a test compares them), built without a template per option:
    the systems list of the new-topic form has several hundred options, and rendering each
    through two template includes was most of that page's time."""

    def render(
        self, name: str, value: object, attrs: dict | None = None, renderer: object = None
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        out = [f'<select name="{escape(widget["name"])}"{_attributes(widget["attrs"])}>']
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                out.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
            for option in options:
                out.append(
                    f'\n  <option value="{escape(str(option["value"]))}"'
                    f"{_attributes(option['attrs'])}>{conditional_escape(option['label'])}"
                    "</option>\n"
                )
            if group_name:
                out.append("\n  </optgroup>")
        out.append("\n</select>")
        return mark_safe("".join(out))  # every value is escaped above

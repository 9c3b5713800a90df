"""Form fields that turn any hostile value into a form error."""

from __future__ import annotations

from django import forms

# Larger numbers are no primary key of ours, and some databases fail on them (SQLite).
_MAX_PK = 2**63 - 1


def _is_possible_pk(value: object) -> bool:
    try:
        return 0 < int(str(value)) <= _MAX_PK
    except (TypeError, ValueError):
        return False


class SafeModelChoiceField(forms.ModelChoiceField):
    def to_python(self, value: object) -> object:
        if value not in self.empty_values and not _is_possible_pk(value):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)


class SafeModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value: object) -> object:
        for pk in value:
            if not _is_possible_pk(pk):
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)

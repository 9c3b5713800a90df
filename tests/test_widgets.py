"""forum.widgets renders exactly what Django's templates render, only faster."""

from __future__ import annotations

import pytest
from django import forms

from forum.widgets import FastSelectMultiple

CHOICES = [
    (1, 'WebSak (Acos <b>"AS"</b> & co)'),
    (2, "Elements"),
    ("Gruppe <i>", [(3, "Æ'ø'å"), (4, "P360")]),
    ("", "–"),
]


@pytest.mark.parametrize(
    ("value", "attrs"),
    [
        (None, {"size": 6}),
        ([2, "3"], {"size": 6, "id": "id_systems", "aria-describedby": "h e"}),
        (["1"], {"required": True, "disabled": False, "data-x": '"<>&'}),
    ],
)
def test_fast_select_renders_what_the_templates_render(value, attrs):
    fast = FastSelectMultiple(attrs=attrs, choices=CHOICES).render("systems", value)
    slow = forms.SelectMultiple(attrs=attrs, choices=CHOICES).render("systems", value)
    assert str(fast) == str(slow)
    assert "<b>" not in fast and "&lt;b&gt;" in fast

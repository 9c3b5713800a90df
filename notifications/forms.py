from django import forms
from django.utils.translation import gettext_lazy as _

from notifications.models import Delivery


class DeliveryForm(forms.Form):
    delivery = forms.ChoiceField(
        label=_("Hvordan vil du bli varslet?"),
        choices=Delivery.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Gjelder tråder du følger, og når noen nevner deg eller markerer svaret ditt som "
            "løsningen."
        ),
        error_messages={"required": _("Velg hvordan du vil bli varslet.")},
    )
    mentions_when_muted = forms.BooleanField(
        label=_("Varsle meg når noen nevner meg, også i noe jeg har dempet"),
        required=False,
        help_text=_("Et @-nevn med navnet ditt kommer fram selv om tråden er dempet."),
    )

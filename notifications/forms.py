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

"""allauth's form for adding a security key has a name field without a label; Django made
it «Name» on a Norwegian page (issue 21). Ours names it in both languages."""

from allauth.mfa import app_settings
from allauth.mfa.webauthn.forms import AddWebAuthnForm as AllauthForm
from allauth.utils import get_form_class
from django.utils import translation


def test_the_security_key_form_names_its_field_in_norwegian_and_english(municipal_member):
    form_class = get_form_class(app_settings.FORMS, "add_webauthn", AllauthForm)
    with translation.override("nb"):
        html = str(form_class(user=municipal_member)["name"].label_tag())
        assert "Navn på sikkerhetsnøkkelen" in html and ">Name" not in html
    with translation.override("en"):
        assert "Name of the security key" in str(form_class(user=municipal_member)["name"].label)

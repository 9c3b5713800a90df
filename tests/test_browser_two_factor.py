"""Two-factor in Chromium: an app code typed from pyotp, and a security key from Chromium's
virtual authenticator (DevTools protocol WebAuthn domain)."""

from __future__ import annotations

import pyotp
import pytest
from allauth.mfa.models import Authenticator

from accounts import actions
from tests import factories
from tests.conftest import browser_login, browser_logout

pytestmark = pytest.mark.browser


@pytest.fixture
def bare_moderator(kartverket):
    member = factories.member(email="ny.moderator@kartverket.no", display_name="Ny Moderator")
    return actions.make_moderator(user=member)


def _reauthenticate_if_asked(page) -> None:
    if "/konto/reauthenticate/" in page.url:
        page.fill("input[name=password]", factories.PASSWORD)
        page.click("main button[type=submit]")
        page.wait_for_load_state()


def test_a_moderator_is_sent_to_set_up_an_app_code_and_then_uses_it(page, bare_moderator):
    browser_login(page, bare_moderator.email)
    response = page.goto("/moderering/")
    assert response.status == 403
    page.get_by_role("link", name="Sett opp totrinnsinnlogging").click()
    page.goto("/konto/2fa/totp/activate/")
    _reauthenticate_if_asked(page)
    secret = page.locator("#authenticator_secret").input_value()
    page.fill("input[name=code]", pyotp.TOTP(secret).now())
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert Authenticator.objects.filter(user=bare_moderator, type="totp").exists()
    assert page.goto("/moderering/").status == 200


def test_a_security_key_from_the_virtual_authenticator(page, bare_moderator):
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "usb",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    browser_login(page, bare_moderator.email)
    page.goto("/konto/2fa/webauthn/add/")
    _reauthenticate_if_asked(page)
    page.fill("input[name=name]", "Nøkkel")
    page.click("#mfa_webauthn_add")
    page.wait_for_url(lambda url: "/webauthn/add/" not in url)
    assert Authenticator.objects.filter(user=bare_moderator, type="webauthn").exists()
    assert page.goto("/moderering/").status == 200

    browser_logout(page)
    page.wait_for_load_state()
    page.goto("/konto/login/")
    page.fill("input[name=login]", bare_moderator.email)
    page.fill("input[name=password]", factories.PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/konto/2fa/authenticate/")
    page.click("#mfa_webauthn_authenticate")
    page.wait_for_url(lambda url: "/2fa/authenticate/" not in url)
    assert page.goto("/moderering/").status == 200

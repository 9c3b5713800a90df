"""The sign-in with the organisation in Chromium, against the OpenID Connect provider the
tests start on loopback: the forum's button, the provider's page, the code with PKCE, the
token, and what the member then sees. The bad-input cases are client-level (test_sso.py)."""

from __future__ import annotations

import pytest
from allauth.socialaccount.models import SocialAccount

from accounts.models import OrganisationTenant, User
from tests.conftest import CLOSED_SECRET, browser_login, browser_logout, browser_signed_in
from tests.oidc_server import running_provider
from tests.test_sso import DRAMMEN_TENANT, OTHER_TENANT, entra_claims

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def provider():
    with running_provider() as running:
        yield running


@pytest.fixture
def sso(settings, provider, kommune):
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "provider_class": "accounts.sso.OrganisationOIDCProvider",
            "APPS": [
                provider.app_config("entra", "Microsoft", organisation_from="tenant"),
                provider.app_config("idporten", "ID-porten", organisation_from="org_number"),
            ],
        }
    }
    settings.SECURE_CSP = {
        **settings.SECURE_CSP,
        "form-action": [*settings.SECURE_CSP["form-action"], provider.url],
    }
    kommune.org_number = "939214895"
    kommune.save(update_fields=["org_number"])
    OrganisationTenant.objects.create(organisation=kommune, tenant_id=DRAMMEN_TENANT)
    return provider


def _through_the_provider(page, sub: str) -> None:
    page.wait_for_url("**/oauth2/authorize**")
    page.fill("#subject-input", sub)
    page.get_by_role("button", name="Authorize", exact=True).click()
    page.wait_for_url(lambda url: "/oauth2/" not in url)


def _sign_in_with_microsoft(page, sub: str) -> None:
    page.goto("/konto/login/")
    page.get_by_role("button", name="Logg inn med Microsoft").click()
    _through_the_provider(page, sub)


def test_microsoft_sign_in_verifies_then_a_later_one_withdraws(page, sso, closed_topic):
    sso.set_user("entra-lise", **entra_claims(email="lise@example.org"))
    _sign_in_with_microsoft(page, "entra-lise")
    assert "Du er verifisert som medlem av Drammen gjennom Microsoft" in page.content()
    request = sso.log.authorisation_requests[-1]
    assert request["code_challenge_method"] == "S256" and request["nonce"]
    assert sso.log.token_requests[-1]["code_verifier"]
    page.goto(closed_topic.get_absolute_url())
    assert CLOSED_SECRET in page.content()

    browser_logout(page)
    page.wait_for_load_state()
    sso.set_user("entra-lise", **entra_claims(OTHER_TENANT, email="lise@example.org"))
    _sign_in_with_microsoft(page, "entra-lise")
    assert "verifiseringen er trukket tilbake" in page.content()
    response = page.goto(closed_topic.get_absolute_url())
    assert response.status == 404
    assert CLOSED_SECRET not in page.content()
    member = User.objects.get(email="lise@example.org")
    assert member.organisation_verification == User.Verification.NONE


def test_an_unknown_tenant_signs_in_unverified_with_a_message(page, sso):
    sso.set_user("entra-eva", **entra_claims(OTHER_TENANT, email="eva@example.org"))
    _sign_in_with_microsoft(page, "entra-eva")
    text = page.locator("main").inner_text()
    assert f"tenant {OTHER_TENANT}" in text and "ikke verifisert" in text
    assert browser_signed_in(page)
    member = User.objects.get(email="eva@example.org")
    assert (member.organisation, member.organisation_verification) == (None, "")


def test_a_password_member_links_id_porten_from_the_profile(page, sso, db):
    from tests import factories

    member = factories.member(email="kjell@example.org", display_name="Kjell")
    sso.set_user("pid-kjell", email="kjell@example.org", email_verified=True, orgno="939214895")
    browser_login(page, member.email)
    page.goto("/profil/")
    page.get_by_role("link", name="Innlogging med organisasjonen (Microsoft, ID-porten)").click()
    page.get_by_role("button", name="Koble til ID-porten").click()
    _through_the_provider(page, "pid-kjell")
    assert page.url.endswith("/konto/3rdparty/")
    assert "ID-porten: kjell@example.org" in page.locator("main").inner_text()
    assert SocialAccount.objects.get(uid="pid-kjell").user == member
    member.refresh_from_db()
    assert member.organisation.slug == "drammen"
    assert member.organisation_verification == User.Verification.SSO


def test_a_forged_state_is_a_message_on_the_sign_in_page(page, sso):
    page.goto("/konto/oidc/entra/login/callback/?code=abc&state=forfalsket")
    assert page.url.endswith("/konto/login/")
    assert "ukjent «state»" in page.locator("main").inner_text()

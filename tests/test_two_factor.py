"""Two-factor sign-in (allauth.mfa): required before moderators and staff use their tools."""

from __future__ import annotations

import pyotp
import pytest
from allauth.mfa.models import Authenticator

from accounts.models import User
from tests import factories


@pytest.fixture
def bare_moderator(kartverket):
    """A moderator who has not set up two-factor yet."""
    from accounts import actions

    member = factories.member(email="ny.moderator@kartverket.no", display_name="Ny Moderator")
    return actions.make_moderator(user=member)


def _password_login(client, email: str):
    return client.post("/konto/login/", {"login": email, "password": factories.PASSWORD})


@pytest.mark.parametrize(
    "url", ["/moderering/", "/moderering/logg/", "/moderering/medlemmer/", "/grupper/"]
)
def test_moderator_tools_refuse_a_moderator_without_two_factor(client, bare_moderator, url):
    client.force_login(bare_moderator)
    response = client.get(url)
    assert response.status_code == 403
    page = response.content.decode()
    assert "Totrinnsinnlogging kreves" in page
    assert 'href="/konto/2fa/"' in page


def test_a_tool_post_is_refused_too(client, bare_moderator, topic):
    client.force_login(bare_moderator)
    post = topic.posts.first()
    assert client.post(f"/innlegg/{post.pk}/skjul/", {"reason": "x"}).status_code == 403
    post.refresh_from_db()
    assert not post.is_hidden


def test_the_admin_refuses_staff_without_two_factor(client, db):
    admin = User.objects.create_superuser(email="admin@kartverket.no", display_name="Admin")
    client.force_login(admin)
    assert client.get("/admin/").status_code == 403
    factories.two_factor(admin)
    assert client.get("/admin/").status_code == 200


def test_signed_out_admin_still_goes_to_the_forum_sign_in(client, db):
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert client.get(response["Location"]).status_code == 302


def test_members_without_the_role_are_answered_as_before(client, municipal_member):
    client.force_login(municipal_member)
    assert client.get("/moderering/").status_code in (403, 404)
    assert "Totrinnsinnlogging" not in client.get("/moderering/").content.decode()


def test_a_moderator_sets_up_an_app_code_and_the_tools_open(client, bare_moderator):
    _password_login(client, bare_moderator.email)
    # allauth asks for the password again before a second factor is added.
    assert client.get("/konto/2fa/totp/activate/")["Location"].startswith("/konto/reauthenticate/")
    client.post("/konto/reauthenticate/", {"password": factories.PASSWORD})
    page = client.get("/konto/2fa/totp/activate/")
    assert page.status_code == 200
    secret = page.context["form"].secret
    assert secret in page.content.decode()  # shown beside the QR code, to type in by hand
    wrong = client.post("/konto/2fa/totp/activate/", {"code": "000000"})
    assert wrong.status_code == 200 and not Authenticator.objects.filter(user=bare_moderator)
    response = client.post("/konto/2fa/totp/activate/", {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302
    types = set(Authenticator.objects.filter(user=bare_moderator).values_list("type", flat=True))
    assert types == {Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES}
    assert client.get("/moderering/").status_code == 200


def test_a_moderator_with_two_factor_signs_in_with_password_and_code(client, moderator):
    response = _password_login(client, moderator.email)
    assert response.status_code == 302 and response["Location"] == "/konto/2fa/authenticate/"
    assert "_auth_user_id" not in client.session
    assert client.post("/konto/2fa/authenticate/", {"code": "123456"}).status_code == 200
    assert "_auth_user_id" not in client.session
    code = pyotp.TOTP(factories.TOTP_SECRET).now()
    assert client.post("/konto/2fa/authenticate/", {"code": code}).status_code == 302
    assert client.get("/moderering/").status_code == 200


def test_a_recovery_code_signs_in_once(client, moderator):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    code = RecoveryCodes.activate(moderator).get_unused_codes()[0]
    _password_login(client, moderator.email)
    assert client.post("/konto/2fa/authenticate/", {"code": code}).status_code == 302
    client.logout()
    _password_login(client, moderator.email)
    assert client.post("/konto/2fa/authenticate/", {"code": code}).status_code == 200
    assert "_auth_user_id" not in client.session


def test_recovery_codes_alone_are_not_two_factor(client, bare_moderator):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    RecoveryCodes.activate(bare_moderator)
    client.force_login(bare_moderator)
    assert client.get("/moderering/").status_code == 403


def test_two_factor_pages_answer(client, moderator, django_assert_max_num_queries):
    client.force_login(moderator)
    for url in ["/konto/2fa/", "/konto/3rdparty/"]:
        with django_assert_max_num_queries(12):
            assert client.get(url).status_code == 200, url

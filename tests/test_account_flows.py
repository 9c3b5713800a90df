"""Sign-up, verification, password reset and e-mail change through django-allauth."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from accounts.models import User

pytestmark = pytest.mark.django_db


def link_in(message) -> str:
    return re.search(r"https?://testserver(/\S+)", message.body).group(1)


def test_sign_up_requires_verification_then_verifies_organisation(client, kommune):
    response = client.post(
        "/konto/signup/",
        {
            "email": "per@drammen.kommune.no",
            "display_name": "Per Hansen",
            "job_title": "",
            "organisation": "",
            "password1": "Et-langt-passord-2020",
            "password2": "Et-langt-passord-2020",
        },
    )
    assert response.status_code == 302
    member = User.objects.get(email="per@drammen.kommune.no")
    assert member.display_name == "Per Hansen"
    assert not member.organisation_is_verified
    assert client.get("/ny/").status_code != 200  # not signed in before verification

    confirm = link_in(mail.outbox[-1])
    client.post(confirm)
    member.refresh_from_db()
    assert member.organisation == kommune
    assert member.organisation_is_verified
    assert client.get("/ny/").status_code == 200


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("nb", "En e-post med en lenke som bekrefter adressen, er sendt til per@drammen"),
        ("en", "An e-mail with a link that confirms the address has been sent to per@drammen"),
    ],
)
def test_the_page_after_sign_up_says_where_the_mail_went(client, kommune, language, said):
    """allauth's Norwegian reads «Bekreftelsese-post er sendt til …»: ours says it plainly."""
    client.cookies["django_language"] = language
    response = client.post(
        "/konto/signup/",
        {
            "email": "per@drammen.kommune.no",
            "display_name": "Per Hansen",
            "password1": "Et-langt-passord-2020",
            "password2": "Et-langt-passord-2020",
        },
        follow=True,
    )
    assert said in response.text
    assert "Bekreftelsese" not in response.text


def test_sign_up_errors_keep_what_was_typed(client):
    response = client.post(
        "/konto/signup/",
        {
            "email": "ikke-en-adresse",
            "display_name": "Per Hansen",
            "password1": "kort",
            "password2": "annet",
        },
    )
    assert response.status_code == 200
    assert "ds-error-summary" in response.text
    assert 'value="Per Hansen"' in response.text
    assert 'value="ikke-en-adresse"' in response.text
    assert not User.objects.exists()


def test_password_reset(client, municipal_member):
    client.post("/konto/password/reset/", {"email": municipal_member.email})
    reset = link_in(mail.outbox[-1])
    form_url = client.get(reset, follow=True).redirect_chain[-1][0]
    response = client.post(
        form_url, {"password1": "Nytt-passord-2021", "password2": "Nytt-passord-2021"}
    )
    assert response.status_code == 302
    assert client.login(email=municipal_member.email, password="Nytt-passord-2021")


def test_changing_email_reverifies_the_organisation(client, kommune, vendor_org):
    from tests import factories

    member = factories.member(email="kari@drammen.kommune.no")
    assert member.organisation == kommune
    client.force_login(member)
    client.post("/konto/email/", {"action_add": "", "email": "kari@acos.no"})
    assert EmailAddress.objects.filter(email="kari@acos.no", verified=False).exists()
    client.post(link_in(mail.outbox[-1]))
    member.refresh_from_db()
    assert member.email == "kari@acos.no"
    # The member chose Drammen; the new address belongs to another organisation.
    assert not member.organisation_is_verified


def test_account_pages_render_in_the_site_layout(client):
    for url in ("/konto/login/", "/konto/signup/", "/konto/password/reset/"):
        response = client.get(url)
        assert response.status_code == 200
        assert "ds-skip-link" in response.text
        assert 'class="ds-input' in response.text


def test_the_verification_mail_names_the_forum(client):
    """allauth's text greets from the site and names it; the forum's adapter queues the mail
    and must give the name too («Hei fra !» before)."""
    client.post(
        "/konto/signup/",
        {
            "email": "siri@drammen.kommune.no",
            "display_name": "Siri",
            "job_title": "",
            "organisation": "",
            "password1": "Et-langt-passord-2020",
            "password2": "Et-langt-passord-2020",
        },
    )
    body = mail.outbox[-1].body
    assert "Hei fra Reformforum!" in body
    assert "fra !" not in body and "på ." not in body

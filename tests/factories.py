"""Small builders for test data. They go through the same actions as the views."""

from __future__ import annotations

import itertools

from allauth.account.models import EmailAddress

from accounts import actions as account_actions
from accounts.models import Organisation, OrganisationDomain, User
from topics import actions
from topics.models import Category, Post, Topic

_seq = itertools.count(1)
PASSWORD = "Et-godt-passord-2020"
# The app-code secret of every moderator the factories make (moderators must have two-factor):
# pyotp.TOTP(TOTP_SECRET).now() is the code a browser test types.
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def two_factor(user: User, secret: str = TOTP_SECRET) -> User:
    """Give the member an authenticator app (allauth.mfa TOTP) with this secret."""
    from allauth.mfa.totp.internal.auth import TOTP

    TOTP.activate(user, secret)
    user.__dict__.pop("_has_two_factor", None)
    return user


def organisation(
    *, name: str = "", kind: str = Organisation.Kind.KOMMUNE, domain: str = "", **extra: object
) -> Organisation:
    n = next(_seq)
    name = name or f"Testkommune {n}"
    org = Organisation.objects.create(
        name=name,
        slug=extra.pop("slug", f"org-{n}"),
        kind=kind,
        **extra,
    )
    if domain:
        OrganisationDomain.objects.create(organisation=org, domain=domain)
    return org


def member(
    *,
    email: str = "",
    display_name: str = "",
    organisation: Organisation | None = None,
    email_verified: bool = True,
    moderator: bool = False,
) -> User:
    n = next(_seq)
    email = email or f"medlem{n}@example.org"
    user = User.objects.create_user(
        email=email, password=PASSWORD, display_name=display_name or f"Medlem {n}"
    )
    EmailAddress.objects.create(user=user, email=email, verified=email_verified, primary=True)
    if organisation is not None:
        user.organisation = organisation
        user.save(update_fields=["organisation"])
    if email_verified:
        user = account_actions.refresh_domain_verification(user=user, email=email)
    if moderator:
        account_actions.make_moderator(user=user)
        two_factor(user)
    return User.objects.get(pk=user.pk)


def category(*, name: str = "", slug: str = "") -> Category:
    n = next(_seq)
    return Category.objects.create(name=name or f"Kategori {n}", slug=slug or f"kategori-{n}")


def topic(
    *,
    author: User,
    category: Category,
    title: str = "",
    body: str = "Hva gjør dere med dette?",
    replies: int = 0,
    kind: str = Topic.Kind.SPORSMAL,
) -> Topic:
    t = actions.create_topic(
        author=author,
        category=category,
        title=title or f"Spørsmål nummer {next(_seq)}",
        body=body,
        kind=kind,
    )
    for i in range(replies):
        actions.reply(author=author, topic=t, body=f"Svar {i + 1}")
    return Topic.objects.get(pk=t.pk)


def first_post(t: Topic) -> Post:
    return t.posts.get(position=1)

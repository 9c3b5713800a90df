"""Creating, using and revoking personal API tokens."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from api import permissions
from api.models import ApiToken

TOKEN_PREFIX = "rf_"  # noqa: S105 (a marker, not a secret)
TOKEN_PATTERN = re.compile(r"^rf_[A-Za-z0-9_-]{43}$")
MAX_ACTIVE_TOKENS = 20


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # shown to the member once, never stored


def hash_token(secret: str) -> str:
    # A random 256-bit secret needs no slow hash: SHA-256 cannot be reversed or guessed.
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def create_token(*, user: User, name: str) -> NewToken:
    if not permissions.can_create_api_token(user):
        raise PermissionDenied(_("Du kan ikke lage API-nøkler."))
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Gi nøkkelen et navn.")})
    User.objects.select_for_update().filter(pk=user.pk).first()
    if user.api_tokens.active().count() >= MAX_ACTIVE_TOKENS:
        raise ValidationError(
            {"name": _("Du har %(limit)d aktive nøkler. Trekk tilbake en du ikke bruker.")},
            params={"limit": MAX_ACTIVE_TOKENS},
        )
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name[:100], prefix=secret[:10], token_hash=hash_token(secret)
    )
    return NewToken(token=token, secret=secret)


@transaction.atomic
def revoke_token(*, token: ApiToken, by: User) -> ApiToken:
    if not permissions.can_revoke_api_token(by, token):
        raise PermissionDenied
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def user_for_token(secret: str) -> User | None:
    """The active member behind a well-formed, unrevoked token; None for anything else."""
    if not TOKEN_PATTERN.match(secret):
        return None
    token = (
        ApiToken.objects.active()
        .select_related("user__organisation")
        .filter(token_hash=hash_token(secret))
        .first()
    )
    if token is None or not token.user.is_active or token.user.is_suspended:
        return None
    now = timezone.now()
    # Written at most once a minute per token, so reading does not mean writing every time.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user

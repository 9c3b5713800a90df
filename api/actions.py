"""Creating, using and revoking personal API tokens."""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from api import permissions
from api.models import ApiToken, ApiWriteLog, Scope

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
def create_token(
    *,
    user: User,
    name: str,
    scopes: Iterable[str] = (Scope.READ,),
    expires_at: datetime | None = None,
) -> NewToken:
    """A new token. Every token reads (what its owner may read); `scopes` adds writes.
    `expires_at` None: it never expires."""
    if not permissions.can_create_api_token(user):
        raise PermissionDenied(_("Du kan ikke lage API-nøkler."))
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Gi nøkkelen et navn.")})
    chosen = {Scope.READ, *scopes}
    for scope in chosen:
        if not permissions.can_grant_scope(user, scope):
            raise ValidationError({"scopes": _("Du kan ikke gi nøkkelen denne tilgangen.")})
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_in": _("Utløpstiden må være fram i tid.")})
    User.objects.select_for_update().filter(pk=user.pk).first()
    if user.api_tokens.active().count() >= MAX_ACTIVE_TOKENS:
        raise ValidationError(
            {"name": _("Du har %(limit)d aktive nøkler. Trekk tilbake en du ikke bruker.")},
            params={"limit": MAX_ACTIVE_TOKENS},
        )
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name[:100],
        prefix=secret[:10],
        token_hash=hash_token(secret),
        scopes=[s for s in Scope.values if s in chosen],  # in a fixed order
        expires_at=expires_at,
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


class TokenRefused(Exception):
    """Why a token was refused: one clear message for the 401."""


def token_for(secret: str) -> ApiToken:
    """The token behind a secret, with its active owner; TokenRefused for anything else."""
    token = (
        ApiToken.objects.select_related("user__organisation")
        .filter(token_hash=hash_token(secret))
        .first()
        if TOKEN_PATTERN.match(secret)
        else None
    )
    if token is None:
        raise TokenRefused(_("API-nøkkelen er ugyldig."))
    if token.revoked_at is not None:
        raise TokenRefused(_("API-nøkkelen er trukket tilbake."))
    if token.is_expired:
        raise TokenRefused(_("API-nøkkelen er utløpt. Lag en ny under «API-nøkler» på profilen."))
    if not token.user.is_active or token.user.is_suspended:
        raise TokenRefused(_("API-nøkkelen er ugyldig."))
    now = timezone.now()
    # Written at most once a minute per token, so reading does not mean writing every time.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def user_for_token(secret: str) -> User | None:
    """The active member behind a well-formed, unrevoked, unexpired token; None otherwise."""
    try:
        return token_for(secret).user
    except TokenRefused:
        return None


def log_write(
    *,
    token: ApiToken,
    operation: str,
    method: str,
    path: str,
    status: int,
    object_id: int | None = None,
    idempotency_key: str = "",
    replayed: bool = False,
) -> ApiWriteLog:
    return ApiWriteLog.objects.create(
        token=token,
        operation=operation,
        method=method,
        path=path[:500],
        status=status,
        object_id=object_id,
        idempotency_key=idempotency_key[:255],
        replayed=replayed,
    )

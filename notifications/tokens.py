"""Signed unsubscribe tokens: an e-mail link that works without signing in, and cannot be forged."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.core import signing

SALT = "notifications.unsubscribe"
MAX_AGE = timedelta(days=90)


@dataclass(frozen=True)
class Unsubscribe:
    user_id: int
    topic_id: int | None


def make_token(*, user_id: int, topic_id: int | None = None) -> str:
    return signing.dumps({"u": user_id, "t": topic_id}, salt=SALT, compress=True)


def read_token(token: str) -> Unsubscribe | None:
    """The request the token carries, or None when it is forged, malformed or expired."""
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:  # SignatureExpired is a BadSignature too
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    topic_id = data.get("t")
    return Unsubscribe(data["u"], topic_id if isinstance(topic_id, int) else None)

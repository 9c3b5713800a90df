from __future__ import annotations

from collections.abc import Callable

from django.http import HttpResponse


def moderator_tool[V: Callable[..., HttpResponse]](view: V) -> V:
    """Mark a view as a moderator tool: it opens only for a moderator who has set up two-factor
    sign-in (accounts.middleware.ModeratorTwoFactorMiddleware)."""
    view.moderator_tool = True  # type: ignore[attr-defined]
    return view

"""Who may see what of the status pages. The status pages are public (what they list comes
from visible_to(viewer)); the moderators' reports count everything, so only moderators."""

from __future__ import annotations

from typing import TYPE_CHECKING

from accounts.permissions import is_moderator

if TYPE_CHECKING:
    from topics.permissions import AnyUser


def can_view_moderator_reports(user: AnyUser) -> bool:
    return is_moderator(user)

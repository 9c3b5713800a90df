"""Who may do what with action items: the one place the follow-up views and actions ask."""

from __future__ import annotations

from typing import TYPE_CHECKING

from accounts.permissions import can_post, is_moderator

if TYPE_CHECKING:
    from followup.models import ActionItem
    from topics.models import Topic
    from topics.permissions import AnyUser


def can_manage_action_items(user: AnyUser, topic: Topic) -> bool:
    return is_moderator(user)


def can_update_action_item(user: AnyUser, item: ActionItem) -> bool:
    """Moderators, and verified members of the responsible organisation."""
    if is_moderator(user):
        return True
    if not can_post(user) or item.responsible_organisation_id is None:
        return False
    return bool(
        user.organisation_is_verified and user.organisation_id == item.responsible_organisation_id
    )

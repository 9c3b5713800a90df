"""Template tags for pages of other apps that show action items (the topic page)."""

from django import template

from followup import permissions
from followup.models import ActionItem

register = template.Library()


@register.inclusion_tag("followup/partials/action_items.html", takes_context=True)
def topic_action_items(context) -> dict[str, object]:
    """The topic's action items and, for a moderator, the link to add one (one query)."""
    topic, user = context["topic"], context["request"].user
    return {
        "topic": topic,
        "workshop": context.get("workshop"),
        "follow_up_organisations": context.get("follow_up_organisations", []),
        "action_items": list(
            ActionItem.objects.filter(topic=topic).select_related("responsible_organisation")
        ),
        "can_manage_action_items": permissions.can_manage_action_items(user, topic),
    }

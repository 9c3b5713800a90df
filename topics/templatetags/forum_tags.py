"""Template access to the permission functions, so templates and views never disagree."""

from __future__ import annotations

from django import template
from django.template.base import FilterExpression, NodeList
from django.utils.safestring import mark_safe

from accounts.badges import Badge, badges_for
from forum import member_cache
from forum.urls_cache import object_url
from topics import permissions, post_tools

register = template.Library()


@register.filter
def url_for(pk: int, viewname: str) -> str:
    """`{{ post.pk|url_for:"topics:edit_post" }}`: the address of a view that takes the
    object's pk, remembered (forum.urls_cache) - a topic page asks for a hundred of them."""
    return object_url(viewname, pk=pk)


@register.filter
def url_for_slug(slug: str, viewname: str) -> str:
    """`{{ org.slug|url_for_slug:"directory:organisation" }}`, remembered like url_for."""
    return object_url(viewname, slug=slug)


@register.filter
def url_for_number(number: str, viewname: str) -> str:
    """`{{ county.number|url_for_number:"directory:matrix" }}`, remembered like url_for."""
    return object_url(viewname, number=number)


@register.simple_tag(takes_context=True)
def useful_button(context: template.Context, post) -> str:
    """«Nyttig» for this post and reader (topics.post_tools)."""
    return post_tools.useful_button(post, context["user"], str(context.get("csrf_token", "")))


@register.simple_tag(takes_context=True)
def edit_link(context: template.Context, post) -> str:
    return post_tools.edit_link(post, context["user"])


@register.simple_tag(takes_context=True)
def report_link(context: template.Context, post) -> str:
    return post_tools.report_link(post, context["user"])


@register.simple_tag
def unread_link(topic) -> str:
    """«N nye» on a topic row (topics.post_tools)."""
    return post_tools.unread_link(topic.pk, getattr(topic, "unread_count", None))


@register.filter
def badges(user) -> list[Badge]:
    return badges_for(user)


@register.filter
def can_edit(post, user) -> bool:
    return permissions.can_edit_post(user, post)


@register.filter
def can_see_hidden(post, user) -> bool:
    return permissions.can_see_hidden_post(user, post)


@register.filter
def can_hide(post, user) -> bool:
    return permissions.can_hide_post(user, post)


@register.filter
def can_report(post, user) -> bool:
    return permissions.can_report_post(user, post)


@register.filter
def can_approve(post, user) -> bool:
    return permissions.can_approve_post(user, post)


@register.filter
def can_update_item(item, user) -> bool:
    return permissions.can_update_action_item(user, item)


@register.filter
def can_view_moderation(user) -> bool:
    return permissions.can_view_moderation(user)


class HoleNode(template.Node):
    def __init__(self, name: str, args: list[FilterExpression], nodelist: NodeList) -> None:
        self.name, self.args, self.nodelist = name, args, nodelist

    def render(self, context: template.Context) -> str:
        content = self.nodelist.render(context)
        if member_cache.is_storing(context.get("request")):
            arg = ":".join(str(arg.resolve(context)) for arg in self.args)
            return mark_safe(member_cache.marked(self.name, arg, content))
        return content


@register.tag
def hole(parser: template.base.Parser, token: template.base.Token) -> HoleNode:
    """`{% hole "name" arg… %}…{% endhole %}`: a member's own part of a page that members
    share (forum/member_cache.py). Renders its content, marked with the name and the args
    (joined by ":") when the page is rendered to be stored too; the renderer registered as
    `name` must render the same from the args alone."""
    bits = token.split_contents()
    if len(bits) < 2 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError('usage: {% hole "name" [arg…] %}…{% endhole %}')
    args = [parser.compile_filter(bit) for bit in bits[2:]]
    nodelist = parser.parse(("endhole",))
    parser.delete_first_token()
    return HoleNode(bits[1][1:-1], args, nodelist)

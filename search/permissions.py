"""Who may share a search page with whom (forum/member_cache.py): the posts found come
from `Post.objects.visible_to`, the systems from `System.objects.visible_to`, so the key is
made of the keys of the apps that decide those."""

from __future__ import annotations

from typing import TYPE_CHECKING

from directory.permissions import systems_reader_key
from topics.permissions import searched_posts_reader_key

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User


def search_reader_key(user: User | AnonymousUser, **_view_kwargs: object) -> str | None:
    posts = searched_posts_reader_key(user)
    return None if posts is None else f"{posts};{systems_reader_key(user)}"

"""Paging long lists without counting all of them."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.utils.functional import cached_property

# Count at most this many pages ahead of the one asked for.
PAGES_AHEAD = 10
# A page number past this is treated as this (no list is near it); it keeps the LIMIT of the
# count query inside a bigint however large a number someone types into ?side=.
MAX_PAGE = 100_000


def page_number(value: object) -> int:
    """The page asked for (?side=): 1 for anything that is not a whole number, at least 1 and
    at most MAX_PAGE, so that an offset computed from it fits in a bigint."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), MAX_PAGE)


class CappedPaginator(Paginator):
    """A Paginator whose COUNT stops a few pages after the page asked for.

    `SELECT COUNT(*)` over 100,000 topics costs more than the page itself; counting at most
    `(page + PAGES_AHEAD) * per_page` rows costs the same on any data set. The page links
    then end `PAGES_AHEAD` pages after the current one (more appear as the reader goes on),
    which is what a reader of a forum list needs; the total is not shown.
    """

    def __init__(self, object_list, per_page: int, *, wanted_page: object = 1, **kwargs) -> None:
        super().__init__(object_list, per_page, **kwargs)
        self.limit = (page_number(wanted_page) + PAGES_AHEAD) * per_page + 1

    @cached_property
    def count(self) -> int:
        # Any `limit` rows will do for counting: no ORDER BY, so no sort.
        return self.object_list.order_by()[: self.limit].count()

    @property
    def is_capped(self) -> bool:
        return self.count >= self.limit


def capped_page(object_list, per_page: int, number: object) -> Page:
    number = page_number(number)
    return CappedPaginator(object_list, per_page, wanted_page=number).get_page(number)

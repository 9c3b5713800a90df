"""What the API returns. Field names in English; the values are the forum's own."""

from __future__ import annotations

import datetime
from typing import Literal

from ninja import Schema
from pydantic import Field


class Error(Schema):
    detail: str = Field(description="Hva som gikk galt, på norsk.")


class Page(Schema):
    next: str | None = Field(
        description="Adressen til neste side, eller null på siste side. Bruk den som den er."
    )


class Category(Schema):
    slug: str
    name: str
    description: str
    visibility: Literal["offentlig", "innlogget", "kommuner", "gruppe"]
    url: str


class CategoryPage(Page):
    results: list[Category]


class Sector(Schema):
    slug: str
    name: str
    description: str
    url: str


class SectorPage(Page):
    results: list[Sector]


class OrganisationRef(Schema):
    slug: str
    name: str
    kind: str


class Organisation(OrganisationRef):
    municipality_number: str
    org_number: str
    county: str | None
    valid_from: datetime.date | None
    valid_to: datetime.date | None
    successors: list[str]
    predecessors: list[str]
    url: str


class OrganisationPage(Page):
    results: list[Organisation]


class System(Schema):
    slug: str
    name: str
    vendor: OrganisationRef
    sectors: list[str]
    standards: list[str]
    description: str
    website: str
    is_approved: bool
    url: str


class SystemPage(Page):
    results: list[System]


class Usage(Schema):
    id: int
    organisation: OrganisationRef
    system: str
    sector: str
    status: str
    since: datetime.date | None
    until: datetime.date | None
    note: str
    confirmed_at: datetime.datetime | None
    is_example: bool


class UsagePage(Page):
    results: list[Usage]


class Author(Schema):
    id: int
    display_name: str
    organisation: OrganisationRef | None
    url: str


class Attachment(Schema):
    id: int
    name: str
    kind: str
    content_type: str
    size: int
    sha256: str
    url: str


class Topic(Schema):
    id: int
    title: str
    url: str
    kind: str
    category: str
    sectors: list[str]
    systems: list[str]
    author: Author
    created_at: datetime.datetime
    last_activity_at: datetime.datetime
    reply_count: int
    is_pinned: bool
    is_locked: bool
    is_solved: bool
    solved_post_id: int | None
    verdict: str


class TopicPage(Page):
    results: list[Topic]


class Post(Schema):
    id: int
    topic_id: int
    position: int
    url: str
    author: Author
    created_at: datetime.datetime
    edited_at: datetime.datetime | None
    is_hidden: bool
    body: str = Field(description="Markdown. Tom for skjulte innlegg.")
    body_html: str = Field(description="Renset HTML. Tom for skjulte innlegg.")
    useful_count: int
    attachments: list[Attachment]


class PostPage(Page):
    results: list[Post]

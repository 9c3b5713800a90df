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


class PollOption(Schema):
    id: int
    text: str
    position: int
    votes: int | None = Field(description="Antall stemmer, eller null når resultatene ikke vises.")
    voters: list[str] | None = Field(
        description="Hvem som stemte (navn) i en åpen avstemning, ellers null."
    )
    chosen: bool = Field(description="Om nøkkelens eier valgte dette alternativet.")


class Poll(Schema):
    topic_id: int
    question: str
    kind: Literal["single", "multiple"]
    max_choices: int | None
    closes_at: datetime.datetime | None
    is_closed: bool
    results_visibility: Literal["after_vote", "after_close"]
    voters: Literal["anonymous", "public"]
    results_visible: bool = Field(
        description="Om resultatene vises for deg: etter at du har stemt, eller når "
        "avstemningen er avsluttet, etter hva avstemningen sier."
    )
    voter_count: int | None = Field(description="Hvor mange som har stemt, når resultatene vises.")
    options: list[PollOption]


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

"""What the API returns. Field names in English; the values are the forum's own."""

from __future__ import annotations

import datetime
from typing import Annotated, Literal

from django.conf import settings
from ninja import Schema
from pydantic import BeforeValidator, ConfigDict, Field


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
    version: int = Field(description="Øker ved hver endring; send den med når du endrer.")
    attachments: list[Attachment]


class PostPage(Page):
    results: list[Post]


# ---- Writes: what a caller sends. Unknown fields are refused (422), never ignored. -------

SLUG_PATTERN = r"^[-a-zA-Z0-9_]{1,100}$"
NO_NUL_PATTERN = r"^[^\x00]*$"
Slug = Annotated[str, Field(pattern=SLUG_PATTERN)]


def _iso_date(value: object) -> object:
    """A date is a "YYYY-MM-DD" string, nothing else (not a number of seconds)."""
    if isinstance(value, str):
        return datetime.date.fromisoformat(value)
    if value is None:
        return value
    raise ValueError("Input should be a date as YYYY-MM-DD")


Date = Annotated[datetime.date, BeforeValidator(_iso_date)]


class WriteSchema(Schema):
    # Strict: "5" is not a number and 0 not a date; unknown fields are refused.
    model_config = ConfigDict(extra="forbid", strict=True)


class NewTopic(WriteSchema):
    category: Slug = Field(description="Kategoriens adresse (slug).")
    title: str = Field(min_length=1, max_length=settings.TITLE_MAX_LENGTH, pattern=NO_NUL_PATTERN)
    body: str = Field(
        min_length=1,
        max_length=settings.POST_MAX_LENGTH,
        pattern=NO_NUL_PATTERN,
        description="Markdown, som i skjemaet.",
    )
    kind: Literal["sporsmal", "erfaring", "diskusjon"] = "sporsmal"
    verdict: Literal["", "positiv", "negativ", "blandet"] = Field(
        "", description="Bare for erfaringer, og da påkrevd."
    )
    sectors: list[Slug] = Field(default_factory=list, max_length=10)
    systems: list[Slug] = Field(default_factory=list, max_length=10)


class NewReply(WriteSchema):
    body: str = Field(min_length=1, max_length=settings.POST_MAX_LENGTH, pattern=NO_NUL_PATTERN)


class PostEdit(WriteSchema):
    body: str = Field(min_length=1, max_length=settings.POST_MAX_LENGTH, pattern=NO_NUL_PATTERN)
    title: str | None = Field(
        None,
        min_length=1,
        max_length=settings.TITLE_MAX_LENGTH,
        pattern=NO_NUL_PATTERN,
        description="Ny tittel; bare for trådens første innlegg.",
    )
    version: int | None = Field(
        None,
        ge=0,
        le=2**31 - 1,
        description="«version» fra innlegget du endrer: er det endret siden, svarer vi 409 "
        "i stedet for å skrive over.",
    )


class AcceptAnswer(WriteSchema):
    post_id: int = Field(ge=1, le=2**63 - 1, description="Innlegget som svarer på spørsmålet.")


class NewReport(WriteSchema):
    reason: Literal["spam", "off_topic", "personal_data", "rude", "other"]
    text: str = Field(
        "", max_length=2000, pattern=NO_NUL_PATTERN, description="Påkrevd når grunnen er «other»."
    )


class Useful(Schema):
    post_id: int
    useful: bool = Field(description="Om du har markert innlegget som nyttig.")
    useful_count: int


class Watching(Schema):
    topic_id: int
    watching: bool


class Report(Schema):
    id: int
    post_id: int
    reason: str
    status: str


UsageStatus = Literal["i_bruk", "valgt", "anskaffelse", "utfases", "avviklet"]


class NewUsage(WriteSchema):
    organisation: Slug = Field(
        description="Organisasjonen du taler for (eller, med «moderate», en hvilken som helst)."
    )
    system: Slug
    sector: Slug
    status: UsageStatus
    since: Date | None = None
    until: Date | None = None
    note: str = Field("", max_length=500, pattern=NO_NUL_PATTERN)


class UsageEdit(WriteSchema):
    """Only what is sent changes; the rest stays as it is."""

    system: Slug | None = None
    sector: Slug | None = None
    status: UsageStatus | None = None
    since: Date | None = None
    until: Date | None = None
    note: str | None = Field(None, max_length=500, pattern=NO_NUL_PATTERN)


class UsageEnd(WriteSchema):
    until: Date | None = Field(None, description="Sist i bruk; utelatt: i dag.")

"""The topics app's models, one module per concern; Django and the rest of the code import them
from here."""

from topics.models.attachments import Attachment
from topics.models.moderation import AppendOnlyError, ModerationLogEntry, Report, TopicRedirect
from topics.models.personal import Bookmark, BookmarkQuerySet, Draft, Mute, MuteQuerySet
from topics.models.polls import Poll, PollOption, PollVote
from topics.models.topics import (
    Category,
    CategoryQuerySet,
    Post,
    PostQuerySet,
    PostRevision,
    TaggedTopic,
    Topic,
    TopicQuerySet,
    TopicReadState,
    UsefulMark,
    WorkshopTopic,
)

__all__ = [
    "AppendOnlyError",
    "Attachment",
    "Bookmark",
    "BookmarkQuerySet",
    "Category",
    "CategoryQuerySet",
    "Draft",
    "ModerationLogEntry",
    "Mute",
    "MuteQuerySet",
    "Poll",
    "PollOption",
    "PollVote",
    "Post",
    "PostQuerySet",
    "PostRevision",
    "Report",
    "TaggedTopic",
    "Topic",
    "TopicQuerySet",
    "TopicReadState",
    "TopicRedirect",
    "UsefulMark",
    "WorkshopTopic",
]

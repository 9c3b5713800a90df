"""Storing and removing the files of a post. Called by topics.actions inside their transaction.

The files are checked before anything is written, and stored as the action's last step: a
file that fails to save takes the others with it, and a removed file leaves storage only
after the commit.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import IO

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Count, Sum

from accounts.models import User
from topics.attachments import InspectedFile, check_post_total, inspect_upload
from topics.models import Attachment, Post

Upload = IO[bytes] | InspectedFile


def inspect_all(uploads: Sequence[Upload]) -> list[InspectedFile]:
    """Every upload checked by content; the first problem is raised for the attachments field."""
    try:
        files = [u if isinstance(u, InspectedFile) else inspect_upload(u) for u in uploads]
        check_post_total(files, existing_count=0, existing_bytes=0)
    except ValidationError as exc:
        raise ValidationError({"attachments": exc.messages}) from exc
    return files


def store(*, post: Post, by: User, files: Sequence[InspectedFile]) -> list[Attachment]:
    if not files:
        return []
    existing = post.attachments.aggregate(count=Count("pk"), size=Sum("size"))
    try:
        check_post_total(
            list(files), existing_count=existing["count"], existing_bytes=existing["size"] or 0
        )
    except ValidationError as exc:
        raise ValidationError({"attachments": exc.messages}) from exc
    stored: list[Attachment] = []
    try:
        for inspected in files:
            inspected.upload.seek(0)
            attachment = Attachment(
                post=post,
                name=inspected.name,
                kind=inspected.kind,
                content_type=inspected.content_type,
                size=inspected.size,
                sha256=inspected.sha256,
                uploaded_by=by,
            )
            attachment.file.save(inspected.name, File(inspected.upload), save=False)
            stored.append(attachment)
            attachment.save()
    except BaseException:
        for attachment in stored:
            attachment.file.delete(save=False)
        raise
    return stored


def remove(*, post: Post, attachment_ids: Iterable[int]) -> int:
    doomed = list(post.attachments.filter(pk__in=list(attachment_ids)))
    names = [a.file.name for a in doomed]
    Attachment.objects.filter(pk__in=[a.pk for a in doomed]).delete()
    transaction.on_commit(lambda: _delete_files(names))
    return len(doomed)


def _delete_files(names: list[str]) -> None:
    from django.core.files.storage import default_storage

    for name in names:
        default_storage.delete(name)

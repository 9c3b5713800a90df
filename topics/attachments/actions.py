"""Storing and removing the files of a post. Called by topics.actions inside their transaction.

The files are checked before anything is written, and stored as the action's last step: a
file that fails to save takes the others with it, and a removed file leaves storage only
after the commit.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import IO

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Count, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from topics import permissions
from topics.attachments.files import InspectedFile, check_post_total, inspect_upload
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


def _check_total(attachments, files: Sequence[InspectedFile]) -> None:
    existing = attachments.aggregate(count=Count("pk"), size=Sum("size"))
    try:
        check_post_total(
            list(files), existing_count=existing["count"], existing_bytes=existing["size"] or 0
        )
    except ValidationError as exc:
        raise ValidationError({"attachments": exc.messages}) from exc


def store(*, post: Post, by: User, files: Sequence[InspectedFile]) -> list[Attachment]:
    if not files:
        return []
    _check_total(post.attachments.all(), files)
    return _save(post=post, by=by, files=files)


def _save(*, post: Post | None, by: User, files: Sequence[InspectedFile]) -> list[Attachment]:
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


# ---- Drafts: files pasted or dropped into a text before it is sent ----------------------


@transaction.atomic
def upload_draft(*, by: User, upload: IO[bytes]) -> Attachment:
    """A file for a text the member is writing: theirs alone until the text is sent.

    The same checks as an attachment (content, name, size), and the member's drafts together
    hold at most what one post may; drafts older than ATTACHMENT_DRAFT_MAX_AGE are gone."""
    if not permissions.can_start_topic(by):
        raise PermissionDenied(_("Du kan ikke laste opp filer."))
    # One member's uploads one at a time, so two at once cannot both pass the limit.
    list(User.objects.select_for_update().filter(pk=by.pk).values_list("pk"))
    purge_stale_drafts(Attachment.objects.drafts_of(by))
    try:
        inspected = inspect_upload(upload)
    except ValidationError as exc:
        raise ValidationError({"attachments": exc.messages}) from exc
    _check_total(Attachment.objects.drafts_of(by), [inspected])
    return _save(post=None, by=by, files=[inspected])[0]


def _url_pattern() -> re.Pattern[str]:
    marker = "987654321"
    address = re.escape(reverse("topics:attachment", kwargs={"pk": marker}))
    return re.compile(address.replace(marker, r"(\d+)"))


def claim_drafts(*, post: Post, by: User, body: str) -> int:
    """The drafts of `by` that the text shows become the post's, and follow its visibility.
    A draft of someone else's, or one already sent, is left as it is."""
    ids = {int(found) for found in _url_pattern().findall(body)}
    if not ids:
        return 0
    claimed = Attachment.objects.drafts_of(by).filter(pk__in=ids).update(post=post)
    if claimed:
        _check_total(post.attachments.all(), [])
    return claimed


def markdown_for(attachment: Attachment) -> str:
    """What the editor puts into the text for an uploaded file: an image, or a link."""
    label = re.sub(r"[\[\]\\\n\r]", "", attachment.name)
    link = f"[{label}]({attachment.get_absolute_url()})"
    return f"!{link}" if attachment.is_image else link


def purge_stale_drafts(drafts=None) -> int:
    """Drafts never sent, older than ATTACHMENT_DRAFT_MAX_AGE: their rows now, their files
    once that commits."""
    drafts = Attachment.objects.filter(post__isnull=True) if drafts is None else drafts
    cutoff = timezone.now() - settings.ATTACHMENT_DRAFT_MAX_AGE
    doomed = list(drafts.filter(created_at__lt=cutoff).values_list("pk", "file"))
    if not doomed:
        return 0
    Attachment.objects.filter(pk__in=[pk for pk, _ in doomed]).delete()
    names = [name for _, name in doomed]
    transaction.on_commit(lambda: _delete_files(names))
    return len(doomed)

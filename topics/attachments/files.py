"""What a file attached to a post really is: decided by its content, not by its name.

Pure Python on purpose (magic numbers and ``zipfile``): no libmagic to install. Only the
kinds below are accepted, and the name's extension must agree with what the content is,
so an executable renamed to ``.pdf`` is refused.
"""

from __future__ import annotations

import hashlib
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

KIND_LABELS = {
    "pdf": gettext_lazy("PDF"),
    "image": gettext_lazy("Bilde"),
    "office": gettext_lazy("Office-dokument"),
    "text": gettext_lazy("Tekst"),
    "csv": gettext_lazy("CSV"),
    "zip": gettext_lazy("ZIP-arkiv"),
}


@dataclass(frozen=True)
class FileType:
    kind: str
    content_type: str


_PDF = FileType("pdf", "application/pdf")
_IMAGES = {
    "png": FileType("image", "image/png"),
    "jpeg": FileType("image", "image/jpeg"),
    "gif": FileType("image", "image/gif"),
    "webp": FileType("image", "image/webp"),
}
_OOXML = {
    "docx": FileType(
        "office", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    ),
    "xlsx": FileType("office", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "pptx": FileType(
        "office", "application/vnd.openxmlformats-officedocument.presentationml.presentation"
    ),
}
_OPENDOCUMENT = {
    "odt": FileType("office", "application/vnd.oasis.opendocument.text"),
    "ods": FileType("office", "application/vnd.oasis.opendocument.spreadsheet"),
    "odp": FileType("office", "application/vnd.oasis.opendocument.presentation"),
}
_LEGACY_OFFICE = {
    "doc": FileType("office", "application/msword"),
    "xls": FileType("office", "application/vnd.ms-excel"),
    "ppt": FileType("office", "application/vnd.ms-powerpoint"),
}
_ZIP = FileType("zip", "application/zip")
_CSV = FileType("csv", "text/csv")
_TEXT = FileType("text", "text/plain")

# Which extensions a detected type may carry.
EXTENSIONS: dict[str, FileType] = {
    "pdf": _PDF,
    "png": _IMAGES["png"],
    "jpg": _IMAGES["jpeg"],
    "jpeg": _IMAGES["jpeg"],
    "gif": _IMAGES["gif"],
    "webp": _IMAGES["webp"],
    **_OOXML,
    **_OPENDOCUMENT,
    **_LEGACY_OFFICE,
    "zip": _ZIP,
    "csv": _CSV,
    "txt": _TEXT,
    "md": _TEXT,
    "log": _TEXT,
    "sql": _TEXT,
    "json": _TEXT,
    "xml": _TEXT,
    "ps1": _TEXT,
    "py": _TEXT,
    "vbs": _TEXT,
}
ACCEPT = ",".join(f".{ext}" for ext in EXTENSIONS)
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_SNIFF_BYTES = 64 * 1024
_CHUNK = 64 * 1024
# One byte more than the longest OpenDocument type: enough to tell them apart, never more.
_MIMETYPE_BYTES = max(len(t.content_type) for t in _OPENDOCUMENT.values()) + 1


@dataclass(frozen=True)
class InspectedFile:
    """An upload that passed every check, with what we store about it."""

    upload: IO[bytes]
    name: str
    kind: str
    content_type: str
    size: int
    sha256: str


def clean_name(name: str) -> str:
    """The original name, or a clear error when it carries a path or control characters."""
    name = unicodedata.normalize("NFC", name or "").strip()
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in name):
        raise ValidationError(_("Filnavnet inneholder kontrolltegn. Gi filen et vanlig navn."))
    if "/" in name or "\\" in name or name in ("", ".", "..") or name.startswith("."):
        raise ValidationError(
            _("Filnavnet «%(name)s» er ikke gyldig. Bruk et navn uten skråstreker."),
            params={"name": name},
        )
    if len(name) > 150:
        stem, dot, ext = name.rpartition(".")
        name = f"{stem[: 149 - len(ext)]}{dot}{ext}" if dot and len(ext) <= 10 else name[:150]
    return name


def _extension(name: str) -> str:
    return PurePosixPath(name).suffix.lower().lstrip(".")


def _read_head(upload: IO[bytes]) -> bytes:
    upload.seek(0)
    head = upload.read(_SNIFF_BYTES)
    upload.seek(0)
    return head


def _is_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    for encoding in ("utf-8", "cp1252"):
        try:
            text = head.decode(encoding)
        except UnicodeDecodeError as exc:
            # A multi-byte character cut off at the end of the sniffed chunk is still text.
            if encoding == "utf-8" and exc.start >= len(head) - 3 and len(head) == _SNIFF_BYTES:
                text = head[: exc.start].decode(encoding)
            else:
                continue
        controls = sum(
            1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\t\r\n\f"
        )
        return controls == 0
    return False


def _zip_type(upload: IO[bytes], extension: str) -> FileType:
    """An Office document (OOXML, OpenDocument) or a plain ZIP; refuses bombs and macros.

    The sizes the archive declares are checked before any member is unpacked, and the one
    member read (``mimetype``) is read through a stream that stops after a few bytes, so
    neither a member declared huge nor one that lies about its size is ever held in memory.
    """
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            entries = archive.infolist()
            _check_declared_size(entries)
            names = {entry.filename for entry in entries}
            mimetype = b""
            if "mimetype" in names:
                with archive.open("mimetype") as member:
                    mimetype = member.read(_MIMETYPE_BYTES)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, KeyError) as exc:
        raise ValidationError(_("Filen ser ut som et ZIP-arkiv, men kan ikke åpnes.")) from exc
    finally:
        upload.seek(0)
    if any(PurePosixPath(n).name.lower() == "vbaproject.bin" for n in names):
        raise ValidationError(_("Dokumenter med makroer kan ikke lastes opp."))
    if "[Content_Types].xml" in names:
        for ext, prefix in (("docx", "word/"), ("xlsx", "xl/"), ("pptx", "ppt/")):
            if any(n.startswith(prefix) for n in names):
                return _OOXML[ext] if extension == ext else FileType("office", "")
    for ext, filetype in _OPENDOCUMENT.items():
        if mimetype == filetype.content_type.encode():
            return filetype if extension == ext else FileType("office", "")
    return _ZIP


def _check_declared_size(entries: list[zipfile.ZipInfo]) -> None:
    if len(entries) > settings.ATTACHMENT_ZIP_MAX_ENTRIES:
        raise ValidationError(
            _("Arkivet har for mange filer (høyst %(limit)d)."),
            params={"limit": settings.ATTACHMENT_ZIP_MAX_ENTRIES},
        )
    declared = sum(entry.file_size for entry in entries)
    if declared > settings.ATTACHMENT_ZIP_MAX_UNCOMPRESSED_BYTES:
        raise ValidationError(
            _("Arkivet blir %(size)s når det pakkes ut; grensen er %(limit)s."),
            params={
                "size": filesizeformat(declared),
                "limit": filesizeformat(settings.ATTACHMENT_ZIP_MAX_UNCOMPRESSED_BYTES),
            },
        )


def detect(upload: IO[bytes], extension: str) -> FileType | None:
    """The type the content shows, or None when it is none of the accepted kinds."""
    head = _read_head(upload)
    if head.startswith(b"%PDF-"):
        return _PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return _IMAGES["png"]
    if head.startswith(b"\xff\xd8\xff"):
        return _IMAGES["jpeg"]
    if head.startswith((b"GIF87a", b"GIF89a")):
        return _IMAGES["gif"]
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return _IMAGES["webp"]
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _zip_type(upload, extension)
    if head.startswith(_OLE2):
        return _LEGACY_OFFICE.get(extension)
    if _is_text(head):
        return _CSV if extension == "csv" else _TEXT
    return None


def _hash_and_size(upload: IO[bytes]) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    upload.seek(0)
    while chunk := upload.read(_CHUNK):
        digest.update(chunk)
        size += len(chunk)
    upload.seek(0)
    return digest.hexdigest(), size


def inspect_upload(upload: IO[bytes], *, name: str | None = None) -> InspectedFile:
    """Check one uploaded file; raise ValidationError with a message a member understands."""
    name = clean_name(name if name is not None else getattr(upload, "name", ""))
    size = getattr(upload, "size", None)
    if size is not None and size > settings.ATTACHMENT_MAX_FILE_BYTES:
        raise _too_big(name, size)
    sha256, size = _hash_and_size(upload)
    if size == 0:
        raise ValidationError(_("Filen «%(name)s» er tom."), params={"name": name})
    if size > settings.ATTACHMENT_MAX_FILE_BYTES:
        raise _too_big(name, size)
    extension = _extension(name)
    expected = EXTENSIONS.get(extension)
    if expected is None:
        raise ValidationError(
            _(
                "Filtypen til «%(name)s» er ikke tillatt. Du kan laste opp PDF, Office-"
                "dokumenter, bilder (PNG, JPEG, GIF, WebP), CSV, tekst og ZIP."
            ),
            params={"name": name},
        )
    found = detect(upload, extension)
    if found is None or found != expected:
        raise ValidationError(
            _(
                "Innholdet i «%(name)s» stemmer ikke med filendelsen .%(extension)s. "
                "Sjekk at du har valgt riktig fil."
            ),
            params={"name": name, "extension": extension},
        )
    return InspectedFile(
        upload=upload,
        name=name,
        kind=found.kind,
        content_type=found.content_type,
        size=size,
        sha256=sha256,
    )


def _too_big(name: str, size: int) -> ValidationError:
    return ValidationError(
        _("«%(name)s» er %(size)s; hver fil kan være høyst %(limit)s."),
        params={
            "name": name,
            "size": filesizeformat(size),
            "limit": filesizeformat(settings.ATTACHMENT_MAX_FILE_BYTES),
        },
    )


def check_post_total(files: list[InspectedFile], *, existing_count: int, existing_bytes: int):
    """The limits per post: how many files, and how much in all."""
    if existing_count + len(files) > settings.ATTACHMENT_MAX_FILES_PER_POST:
        raise ValidationError(
            _("Et innlegg kan ha høyst %(limit)d vedlegg."),
            params={"limit": settings.ATTACHMENT_MAX_FILES_PER_POST},
        )
    total = existing_bytes + sum(f.size for f in files)
    if total > settings.ATTACHMENT_MAX_POST_BYTES:
        raise ValidationError(
            _("Vedleggene er til sammen %(size)s; grensen per innlegg er %(limit)s."),
            params={
                "size": filesizeformat(total),
                "limit": filesizeformat(settings.ATTACHMENT_MAX_POST_BYTES),
            },
        )

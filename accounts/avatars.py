"""Members' pictures: the initials shown when there is none, and the checks an uploaded one
passes before it is stored.

An upload is treated like an attachment (topics/attachments.py): its type is read from its
content, never from its name, and the name's extension must agree; its size is limited
before it is read. Then it is decoded and drawn again as a small square WebP, so what is
stored and served is a picture we made: no metadata (EXIF location), no trailing bytes, no
file that is an image and something else at once.
"""

from __future__ import annotations

import hashlib
import io
import unicodedata
import warnings
from pathlib import PurePosixPath
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

SIZE = 256
# Background colours for the initials: white text on each has a contrast of at least 4.5:1
# (WCAG AA for normal text); tests/test_avatars.py checks it against these values, and
# static/css/forum.css has one rule per colour (.avatar[data-colour="N"]).
COLOURS = (
    "#0062ba",  # blue
    "#1e6b3a",  # green
    "#8a3c00",  # rust
    "#6b3fa0",  # violet
    "#a3165b",  # raspberry
    "#00686b",  # teal
    "#5c5c00",  # olive
    "#b3261e",  # red
    "#3d5a80",  # slate
    "#7a4a00",  # brown
)
_SIGNATURES = {
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpeg": (b"\xff\xd8\xff",),
    "gif": (b"GIF87a", b"GIF89a"),
}
_EXTENSIONS = {"png": "png", "jpg": "jpeg", "jpeg": "jpeg", "gif": "gif", "webp": "webp"}
_PIL_FORMATS = {"png": "PNG", "jpeg": "JPEG", "gif": "GIF", "webp": "WEBP"}


def initials(name: str) -> str:
    """«Kari Nordmann» → «KN», «ola» → «O», «Anne-Lise Berg» → «AB»; letters only."""
    letters = [word[0] for word in name.split() if word and word[0].isalpha()]
    if not letters:
        letters = [ch for ch in name if ch.isalpha()][:1]
    picked = letters[:1] + letters[1:][-1:]
    return unicodedata.normalize("NFC", "".join(picked)).upper()


def colour_index(key: object) -> int:
    """A stable colour for a member: the same on every page, process and restart (not
    Python's salted hash())."""
    digest = hashlib.sha256(str(key).encode()).digest()
    return int.from_bytes(digest[:4], "big") % len(COLOURS)


def file_name(user_pk: int, picture: bytes) -> str:
    """Where a picture is stored: named by its content, so its address changes with it and
    can be cached for good."""
    return f"avatars/{user_pk}-{hashlib.sha256(picture).hexdigest()[:16]}.webp"


def key_of(stored_name: str) -> str:
    return PurePosixPath(stored_name).stem


def _sniffed(head: bytes) -> str | None:
    for kind, signatures in _SIGNATURES.items():
        if head.startswith(signatures):
            return kind
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    return None


def _refused() -> ValidationError:
    return ValidationError(_("Bildet må være en PNG-, JPEG-, GIF- eller WebP-fil."), code="type")


def reencoded(upload: IO[bytes], *, name: str) -> bytes:
    """The upload drawn again as a SIZE×SIZE WebP, or a ValidationError a member understands."""
    size = getattr(upload, "size", None)
    limit = settings.AVATAR_MAX_BYTES
    if size is not None and size > limit:
        raise ValidationError(
            _("Bildet er %(size)s; det kan være høyst %(limit)s."),
            params={"size": filesizeformat(size), "limit": filesizeformat(limit)},
            code="size",
        )
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(
            _("Bildet er større enn %(limit)s."),
            params={"limit": filesizeformat(limit)},
            code="size",
        )
    if not data:
        raise ValidationError(_("Filen er tom."), code="empty")
    kind = _sniffed(data[:16])
    extension = PurePosixPath(name or "").suffix.lower().lstrip(".")
    if kind is None or _EXTENSIONS.get(extension) != kind:
        raise _refused()
    try:
        with warnings.catch_warnings():
            # A decompression bomb warning becomes the error below, not a log line.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=[_PIL_FORMATS[kind]])
            width, height = image.size
            if width * height > settings.AVATAR_MAX_PIXELS:
                raise ValidationError(
                    _("Bildet er %(width)s × %(height)s punkter; det er for stort."),
                    params={"width": width, "height": height},
                    code="pixels",
                )
            image.seek(0)  # the first frame of an animation
            image.load()
    except ValidationError:
        raise
    except (
        UnidentifiedImageError,
        OSError,
        ValueError,
        SyntaxError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
        EOFError,
    ) as exc:
        raise ValidationError(
            _("Bildet kunne ikke leses. Prøv en annen fil."), code="unreadable"
        ) from exc
    image = ImageOps.exif_transpose(image)
    image = image.convert("RGBA")
    square = ImageOps.fit(image, (SIZE, SIZE), method=Image.Resampling.LANCZOS)
    out = io.BytesIO()
    square.save(out, format="WEBP", quality=85, method=4)
    return out.getvalue()

"""Text helpers shared by every app."""

from django.utils.text import slugify

_NORWEGIAN_FOLDS = str.maketrans(
    {"æ": "ae", "Æ": "ae", "ø": "o", "Ø": "o", "å": "aa", "Å": "aa", "á": "a", "Á": "a"}
)


def norwegian_slugify(value: str) -> str:
    """Slugify with the Norwegian letters folded the way Norwegians spell them in URLs.

    Django's slugify would drop æ, ø and å ("Økonomi" -> "konomi"); here they become
    ae, o and aa ("Økonomi" -> "okonomi", "Bø" -> "bo", "Våler" -> "vaaler").
    """
    return slugify(str(value).translate(_NORWEGIAN_FOLDS))

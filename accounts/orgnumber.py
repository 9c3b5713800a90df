"""Organisation numbers (organisasjonsnummer) from Brønnøysundregistrene's Enhetsregisteret:
nine digits, the last a modulus-11 check digit over the first eight (weights 3 2 7 6 5 4 3 2)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_WEIGHTS = (3, 2, 7, 6, 5, 4, 3, 2)


def normalise_org_number(value: str) -> str:
    """«939 214 895» and «NO 939214895 MVA» as people write them, down to the nine digits."""
    value = value.strip().upper().removeprefix("NO").removesuffix("MVA")
    return "".join(value.split())


def is_valid_org_number(value: str) -> bool:
    if len(value) != 9 or not value.isascii() or not value.isdigit():
        return False
    remainder = (
        sum(int(digit) * weight for digit, weight in zip(value, _WEIGHTS, strict=False)) % 11
    )
    check = 0 if remainder == 0 else 11 - remainder
    # A remainder of 1 would need the check digit 10: the registry never hands out such numbers.
    return check < 10 and check == int(value[8])


def validate_org_number(value: str) -> None:
    if not value:
        return
    if len(value) != 9 or not value.isascii() or not value.isdigit():
        raise ValidationError(
            _("Et organisasjonsnummer har ni siffer, f.eks. 939214895."), code="org_number_format"
        )
    if not is_valid_org_number(value):
        raise ValidationError(
            _(
                "«%(value)s» er ikke et gyldig organisasjonsnummer: kontrollsifferet stemmer ikke. "
                "Sjekk nummeret i Enhetsregisteret."
            ),
            code="org_number_check_digit",
            params={"value": value},
        )

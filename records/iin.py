"""The Kazakh IIN (individual identification number): 12 digits with a check digit."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_W1 = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)
_W2 = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)


def iin_check_digit(first11: str) -> int | None:
    """The control digit for the first 11 digits, or None when the number cannot be valid (10)."""
    digits = [int(c) for c in first11]
    check = sum(d * w for d, w in zip(digits, _W1, strict=True)) % 11
    if check == 10:
        check = sum(d * w for d, w in zip(digits, _W2, strict=True)) % 11
    return None if check == 10 else check


def is_valid_iin(value: str) -> bool:
    """True when `value` is 12 digits with a correct check digit."""
    if len(value) != 12 or not value.isdigit():
        return False
    return iin_check_digit(value[:11]) == int(value[11])


def validate_iin(value: str) -> None:
    """Django validator for an IIN."""
    if not (len(value) == 12 and value.isdigit()):
        raise ValidationError(_("An IIN has exactly 12 digits."), code="iin_format")
    if not is_valid_iin(value):
        raise ValidationError(
            _("The IIN %(iin)s has a wrong check digit."), code="iin_checksum", params={"iin": value}
        )

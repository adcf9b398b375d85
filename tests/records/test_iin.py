import pytest
from django.core.exceptions import ValidationError

from records.iin import is_valid_iin, validate_iin
from tests.factories import make_iin


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        (make_iin(1), True),
        (make_iin(77), True),
        ("12345678901", False),  # 11 digits
        ("1234567890123", False),
        ("12345678901a", False),
        ("", False),
    ],
)
def test_iin_format_and_checksum(value: str, valid: bool) -> None:
    assert is_valid_iin(value) is valid


def test_a_wrong_check_digit_is_refused_with_a_message() -> None:
    good = make_iin(5)
    bad = good[:11] + str((int(good[11]) + 1) % 10)
    with pytest.raises(ValidationError) as exc:
        validate_iin(bad)
    assert "check digit" in str(exc.value)

"""Vietnamese identifiers as validated, normalised, masked value types.

Each type normalises its input (spaces, dots and dashes removed, one normal form), refuses bad
input with :class:`~vss_care_core.errors.InvalidIdentifierError`, and never shows the full number
in ``repr``/``str``: use ``.value`` for the normal form. They work on their own and as pydantic
field annotations (serialised as the normal form, JSON Schema ``string`` with a pattern).
"""

from __future__ import annotations

import re
from typing import Any, ClassVar, Literal, Self

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

from vss_care_core.errors import InvalidIdentifierError
from vss_care_core.models._masking import mask_email, mask_middle

__all__ = [
    "CitizenId",
    "EmailAddress",
    "PhoneNumber",
    "SocialInsuranceNumber",
    "TaxCode",
]

_SEPARATORS = re.compile(r"[\s.\-/()]")
_TAX_WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)


def _digits_only(raw: str) -> str:
    return _SEPARATORS.sub("", raw)


class _Identifier:
    """Common behaviour: immutable, compared by normal form, masked when printed."""

    __slots__ = ("_value",)
    kind: ClassVar[str] = "identifier"
    json_pattern: ClassVar[str] = ""
    json_description: ClassVar[str] = ""
    json_examples: ClassVar[tuple[str, ...]] = ()

    _value: str

    def __init__(self, raw: str | Self) -> None:
        if isinstance(raw, type(self)):
            value = raw.value
        elif isinstance(raw, str):
            value = self._normalise(raw)
        else:
            raise InvalidIdentifierError(
                self.kind, f"expected a string, got {type(raw).__name__}", masked="…"
            )
        object.__setattr__(self, "_value", value)

    @classmethod
    def _normalise(cls, raw: str) -> str:
        raise NotImplementedError

    @classmethod
    def _refuse(cls, raw: str, problem: str) -> InvalidIdentifierError:
        return InvalidIdentifierError(cls.kind, problem, masked=mask_middle(raw.strip()))

    @property
    def value(self) -> str:
        """The normal form, in clear. Handle with care: it is personal data."""
        return self._value

    @property
    def masked(self) -> str:
        """The normal form with its middle hidden, safe for logs."""
        return mask_middle(self._value)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.masked!r})"

    def __str__(self) -> str:
        return self.masked

    def __eq__(self, other: object) -> bool:
        if type(other) is type(self):
            return self._value == other._value
        return NotImplemented

    def __hash__(self) -> int:
        return hash((type(self).__name__, self._value))

    def __reduce__(self) -> tuple[type[Self], tuple[str]]:
        return (type(self), (self._value,))

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: type[Any], handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        from_str = core_schema.chain_schema(
            [core_schema.str_schema(), core_schema.no_info_plain_validator_function(cls)]
        )
        return core_schema.json_or_python_schema(
            json_schema=from_str,
            python_schema=core_schema.no_info_plain_validator_function(cls._from_python),
            serialization=core_schema.plain_serializer_function_ser_schema(
                lambda v: v.value, return_schema=core_schema.str_schema()
            ),
        )

    @classmethod
    def _from_python(cls, value: object) -> Self:
        if isinstance(value, cls):
            return value
        if isinstance(value, str):
            return cls(value)
        raise InvalidIdentifierError(
            cls.kind, f"expected a string, got {type(value).__name__}", masked="…"
        )

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {
            "type": "string",
            "pattern": cls.json_pattern,
            "description": cls.json_description,
            "examples": list(cls.json_examples),
        }


class CitizenId(_Identifier):
    """A 12-digit citizen identity number (CCCD, số định danh cá nhân).

    The number encodes the birth-registration province (digits 1–3), the century and sex
    (digit 4) and the last two digits of the birth year (digits 5–6). It has no check digit.

    >>> cid = CitizenId("079 203 001 234")
    >>> cid
    CitizenId('0792…34')
    >>> cid.province_code, cid.sex, cid.birth_year
    ('079', 'male', 2003)
    """

    __slots__ = ()
    kind = "citizen ID (CCCD)"
    json_pattern = r"^\d{12}$"
    json_description = "Citizen identity number (CCCD): 12 digits."
    json_examples = ("079203001234",)

    @classmethod
    def _normalise(cls, raw: str) -> str:
        digits = _digits_only(raw)
        if not digits.isdigit() or not digits.isascii():
            raise cls._refuse(raw, "it must contain only digits")
        if len(digits) != 12:
            raise cls._refuse(raw, f"it must have 12 digits, it has {len(digits)}")
        return digits

    @property
    def province_code(self) -> str:
        """The 3-digit code of the province where the birth was registered (``'001'`` Hà Nội)."""
        return self._value[:3]

    @property
    def sex(self) -> Literal["male", "female"]:
        """The sex encoded by digit 4 (even: male, odd: female)."""
        return "male" if int(self._value[3]) % 2 == 0 else "female"

    @property
    def birth_year(self) -> int:
        """The birth year: the century from digit 4, the year from digits 5–6."""
        century = 1900 + 100 * (int(self._value[3]) // 2)
        return century + int(self._value[4:6])


class SocialInsuranceNumber(_Identifier):
    """A social insurance number (mã số BHXH): 10 digits, or the 12-digit personal ID.

    Since 1 August 2025 the 12-digit personal identification number replaces the 10-digit
    social insurance number (VSS letter 1804/BHXH-QLT); both are accepted.

    >>> SocialInsuranceNumber("79 1234 5678").value
    '7912345678'
    >>> SocialInsuranceNumber("079203001234").is_personal_id
    True
    """

    __slots__ = ()
    kind = "social insurance number (mã số BHXH)"
    json_pattern = r"^(\d{10}|\d{12})$"
    json_description = "Social insurance number: 10 digits, or the 12-digit personal ID."
    json_examples = ("7912345678", "079203001234")

    @classmethod
    def _normalise(cls, raw: str) -> str:
        digits = _digits_only(raw)
        if not digits.isdigit() or not digits.isascii():
            raise cls._refuse(raw, "it must contain only digits")
        if len(digits) not in (10, 12):
            raise cls._refuse(
                raw, f"it must have 10 digits (or 12 for a personal ID), it has {len(digits)}"
            )
        return digits

    @property
    def is_personal_id(self) -> bool:
        """True when this is the 12-digit personal identification number."""
        return len(self._value) == 12


def tax_check_digit(first_nine: str) -> int | None:
    """The MST check digit for the first nine digits, or None when no digit is valid.

    >>> tax_check_digit("010023348")
    8
    """
    total = sum(int(d) * w for d, w in zip(first_nine, _TAX_WEIGHTS, strict=True))
    check = 10 - total % 11
    return None if check == 10 else check


class TaxCode(_Identifier):
    """An enterprise tax code (mã số thuế, MST).

    10 digits whose last is a check digit; a branch adds a 3-digit suffix 001–999 (normal form
    ``0100233488-001``). The 12-digit personal ID, an individual's tax code since 1 July 2025, is
    accepted too.

    >>> TaxCode("0100233488001").value
    '0100233488-001'
    >>> TaxCode("0100233489")
    Traceback (most recent call last):
    ...
    vss_care_core.errors.InvalidIdentifierError: tax code (MST) '01…89' is not valid: ...
    """

    __slots__ = ()
    kind = "tax code (MST)"
    json_pattern = r"^(\d{10}(-\d{3})?|\d{12})$"
    json_description = (
        "Tax code: 10 digits with a check digit, a branch '-001'..'-999', or a personal ID."
    )
    json_examples = ("0100233488", "0100233488-001")

    @classmethod
    def _normalise(cls, raw: str) -> str:
        digits = _digits_only(raw)
        if not digits.isdigit() or not digits.isascii():
            raise cls._refuse(raw, "it must contain only digits (and a dash before a branch)")
        if len(digits) == 12:
            return digits
        if len(digits) not in (10, 13):
            raise cls._refuse(
                raw,
                f"it must have 10 digits, 13 for a branch or 12 for a person; it has {len(digits)}",
            )
        check = tax_check_digit(digits[:9])
        if check is None or check != int(digits[9]):
            raise cls._refuse(raw, "its check digit (the 10th) does not match the first nine")
        if len(digits) == 13:
            if digits[10:] == "000":
                raise cls._refuse(raw, "a branch suffix must be 001 to 999")
            return f"{digits[:10]}-{digits[10:]}"
        return digits

    @property
    def head(self) -> str:
        """The 10-digit code of the enterprise (the whole code for a head office)."""
        return self._value[:10]

    @property
    def branch(self) -> str | None:
        """The 3-digit branch suffix, or None for a head office or a person."""
        return self._value[11:] if len(self._value) == 14 else None

    @property
    def is_personal_id(self) -> bool:
        """True when the code is a person's 12-digit personal ID."""
        return len(self._value) == 12


class PhoneNumber(_Identifier):
    """A Vietnamese phone number, stored in E.164 form (``+84…``).

    Accepts local (``0912 345 678``) and international (``+84 912 345 678``, ``84912345678``)
    forms of mobile numbers (9 digits after the 0) and landlines (``02x`` + 8 digits).

    >>> PhoneNumber("0912.345.678")
    PhoneNumber('+849…78')
    >>> PhoneNumber("0912 345 678") == PhoneNumber("+84912345678")
    True
    """

    __slots__ = ()
    kind = "phone number"
    json_pattern = r"^\+84(\d{9}|2\d{9})$"
    json_description = "Vietnamese phone number in E.164 form."
    json_examples = ("+84912345678", "+842438251234")

    @classmethod
    def _normalise(cls, raw: str) -> str:
        text = _digits_only(raw)
        if text.startswith("+"):
            text = text[1:]
            if not text.startswith("84"):
                raise cls._refuse(raw, "only Vietnamese numbers (+84) are accepted")
            national = text[2:]
        elif text.startswith("84") and len(text) in (11, 12):
            national = text[2:]
        elif text.startswith("0"):
            national = text[1:]
        else:
            raise cls._refuse(raw, "write it as 0xxxxxxxxx or +84xxxxxxxxx")
        if not national.isdigit() or not national.isascii():
            raise cls._refuse(raw, "it must contain only digits after the prefix")
        if national.startswith("2"):
            if len(national) != 10:
                raise cls._refuse(raw, "a landline has 02x and 8 more digits")
        elif national[:1] in {"3", "5", "7", "8", "9"}:
            if len(national) != 9:
                raise cls._refuse(raw, "a mobile number has 0 and 9 more digits")
        else:
            raise cls._refuse(raw, "no Vietnamese number starts like this")
        return f"+84{national}"

    @property
    def local(self) -> str:
        """The number as dialled inside Vietnam (``0912345678``)."""
        return "0" + self._value[3:]


_EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@([A-Za-z0-9-]+\.)+[A-Za-z]{2,}$")


class EmailAddress(_Identifier):
    """An e-mail address; the domain is lower-cased.

    >>> EmailAddress(" An.Nguyen@Example.VN ")
    EmailAddress('A…@example.vn')
    """

    __slots__ = ()
    kind = "e-mail address"
    json_pattern = _EMAIL.pattern
    json_description = "E-mail address."
    json_examples = ("an.nguyen@example.vn",)

    @classmethod
    def _normalise(cls, raw: str) -> str:
        text = raw.strip()
        if len(text) > 254 or not _EMAIL.match(text):
            raise InvalidIdentifierError(
                cls.kind, "write it as name@domain.vn", masked=mask_email(text)
            )
        local, _, domain = text.rpartition("@")
        return f"{local}@{domain.lower()}"

    @property
    def masked(self) -> str:
        """The address with its local part hidden."""
        return mask_email(self._value)

"""Who asks: an individual citizen or an organisation (employer, enterprise)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any, Literal

from pydantic import Discriminator, Field, Tag

from vss_care_core.models._base import CareModel
from vss_care_core.models._identifiers import (
    CitizenId,
    EmailAddress,
    PhoneNumber,
    SocialInsuranceNumber,
    TaxCode,
)
from vss_care_core.models._masking import mask_code, mask_name
from vss_care_core.models._provinces import Province

__all__ = ["Individual", "Organization", "Pseudonymous", "Requester"]

_NAME = Annotated[str, Field(min_length=1, max_length=200)]
_ADDRESS = Annotated[str, Field(min_length=1, max_length=500)]


class _Masked(CareModel):
    """Shows names and addresses masked in ``repr``/``str``; identifiers mask themselves."""

    def __repr_args__(self) -> Iterator[tuple[str | None, Any]]:
        for name, value in super().__repr_args__():
            if value is None:
                continue
            if name in {"name", "contact_person"} and isinstance(value, str):
                yield name, mask_name(value)
            elif name == "address":
                yield name, "…"
            elif name == "unit_code" and isinstance(value, str):
                yield name, mask_code(value)
            else:
                yield name, value


def _add_key(keys: list[str], kind: str, value: str | None) -> None:
    """Add ``kind:value`` to ``keys`` when there is a value, once."""
    if value:
        key = f"{kind}:{value}"
        if key not in keys:
            keys.append(key)


def _with_contact_keys(
    keys: list[str], phone: PhoneNumber | None, email: EmailAddress | None
) -> tuple[str, ...]:
    """``keys`` with the phone and e-mail keys added, as a tuple."""
    if phone is not None:
        _add_key(keys, "phone", phone.value)
    if email is not None:
        _add_key(keys, "email", email.value.lower())
    return tuple(keys)


class Individual(_Masked):
    """A person (người tham gia, người hưởng): every identifier is optional.

    An anonymous caller is still a requester: ``Individual()`` is valid.

    >>> Individual(name="Nguyễn Văn An", citizen_id="079203001234", phone="0912345678")
    Individual(type='individual', name='N. V. A.', citizen_id=CitizenId('0792…34'), \
phone=PhoneNumber('+849…78'))
    """

    type: Literal["individual"] = "individual"
    name: _NAME | None = None
    citizen_id: CitizenId | None = None
    social_insurance_number: SocialInsuranceNumber | None = None
    phone: PhoneNumber | None = None
    email: EmailAddress | None = None
    address: _ADDRESS | None = None
    province: Province | None = None

    @property
    def is_anonymous(self) -> bool:
        """True when nothing identifies the person (no ID, no BHXH number)."""
        return self.citizen_id is None and self.social_insurance_number is None

    @property
    def identifiers(self) -> tuple[str, ...]:
        """Keys that identify this person across channels (for duplicate detection)."""
        keys: list[str] = []
        if self.citizen_id is not None:
            _add_key(keys, "id", self.citizen_id.value)
        if self.social_insurance_number is not None:
            _add_key(keys, "id", self.social_insurance_number.value)
        return _with_contact_keys(keys, self.phone, self.email)


class Organization(_Masked):
    """An organisation: an employer, an enterprise, a school, a health facility.

    >>> Organization(name="Công ty TNHH An Phát", tax_code="0100233488").tax_code
    TaxCode('01…88')
    """

    type: Literal["organization"] = "organization"
    name: _NAME
    tax_code: TaxCode | None = None
    unit_code: Annotated[str, Field(min_length=1, max_length=20)] | None = None
    contact_person: _NAME | None = None
    phone: PhoneNumber | None = None
    email: EmailAddress | None = None
    address: _ADDRESS | None = None
    province: Province | None = None

    @property
    def is_anonymous(self) -> bool:
        """True when neither a tax code nor a VSS unit code identifies the organisation."""
        return self.tax_code is None and self.unit_code is None

    @property
    def identifiers(self) -> tuple[str, ...]:
        """Keys that identify this organisation across channels (for duplicate detection)."""
        keys: list[str] = []
        if self.tax_code is not None:
            _add_key(keys, "tax", self.tax_code.head)
        _add_key(keys, "unit", self.unit_code)
        return _with_contact_keys(keys, self.phone, self.email)


_KEY = Annotated[str, Field(min_length=3, max_length=80, pattern=r"^p:[0-9a-f]+$")]


class Pseudonymous(CareModel):
    """A requester in a shared, pseudonymised log: no name, no identifier, only keyed hashes.

    ``keys`` are keyed hashes (HMAC) of the requester's identifiers: the same person has the
    same keys in the whole log, so first-contact resolution and same-requester duplicates work
    unchanged, but nobody without the key can tell who it is. ``of`` says whether it was an
    individual or an organisation; ``province`` is kept for the figures by province.
    """

    type: Literal["pseudonymous"] = "pseudonymous"
    of: Literal["individual", "organization"] = "individual"
    keys: tuple[_KEY, ...] = ()
    province: Province | None = None

    @property
    def is_anonymous(self) -> bool:
        """True when nothing links the requester's inquiries."""
        return not self.keys

    @property
    def identifiers(self) -> tuple[str, ...]:
        """The keyed hashes: they link the same requester's inquiries, as identifiers do."""
        return self.keys


def _requester_type(value: object) -> str:
    if isinstance(value, dict):
        return str(value.get("type", "individual"))
    return str(getattr(value, "type", "individual"))


Requester = Annotated[
    Annotated[Individual, Tag("individual")]
    | Annotated[Organization, Tag("organization")]
    | Annotated[Pseudonymous, Tag("pseudonymous")],
    Discriminator(_requester_type),
]
"""An :class:`Individual`, an :class:`Organization` or (in a pseudonymised log) a
:class:`Pseudonymous` requester, told apart by ``type``.

A mapping without ``type`` is an individual.
"""

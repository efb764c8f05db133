"""The organisation directory: the units of VSS (and a few outside agencies) as data.

The default directory is read from ``data/directory.json``. Unit codes are this library's data
codes, not official office numbers: the official numbering changed twice in 2025.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping
from functools import cache
from importlib import resources
from typing import Annotated, Any

from pydantic import Field, ValidationError, field_validator

from vss_care_core.errors import InvalidInputError, RoutingTableError, UnknownNameError
from vss_care_core.inputs import describe_errors, load_json, parse_json
from vss_care_core.models import (
    CareModel,
    InquiryKind,
    PolicyArea,
    Province,
    UnitLevel,
    resolve_province,
)

__all__ = [
    "Contact",
    "Directory",
    "OrgUnit",
    "UnitHandles",
    "vss_directory",
]

UNIT_CODE_PATTERN = r"^[A-Z0-9][A-Z0-9_.\-]{0,39}$"
"""Unit codes: upper-case ASCII letters, digits, ``-``, ``_`` and ``.``; at most 40 characters."""

UnitCode = Annotated[str, Field(pattern=UNIT_CODE_PATTERN)]
_Topic = Annotated[str, Field(min_length=1, max_length=100, pattern=r"^[a-z0-9][a-z0-9_.\-]*$")]
_Text = Annotated[str, Field(min_length=1, max_length=300)]


class Contact(CareModel):
    """The public contact points of a unit (never a person's own details)."""

    phone: _Text | None = None
    email: _Text | None = None
    address: _Text | None = None
    website: _Text | None = None


class UnitHandles(CareModel):
    """What a unit handles; an empty tuple means "any"."""

    policy_areas: tuple[PolicyArea, ...] = ()
    kinds: tuple[InquiryKind, ...] = ()
    topics: tuple[_Topic, ...] = ()


class OrgUnit(CareModel):
    """A unit of the organisation, or an outside agency inquiries are forwarded to.

    ``calendar`` names the working calendar the unit keeps (``"vietnam-local"``,
    ``"always-open"``...): a name, resolved by the caller, so that routing does not depend on
    the calendar module. ``assumed`` marks units whose name or competence no public source
    confirmed.

    >>> unit = OrgUnit(code="BHXH-HA-NOI", name_vi="Bảo hiểm xã hội thành phố Hà Nội",
    ...                level="provincial", parent="VSS", provinces=["Hà Nội"])
    >>> unit.level, unit.provinces
    (<UnitLevel.PROVINCIAL: 'provincial'>, ('Hà Nội',))
    """

    code: UnitCode
    name_vi: _Text
    name_en: _Text | None = None
    level: UnitLevel
    parent: UnitCode | None = None
    provinces: tuple[Province, ...] = ()
    handles: UnitHandles = UnitHandles()
    calendar: Annotated[str, Field(min_length=1, max_length=60)] | None = None
    contact: Contact = Contact()
    assumed: bool = False
    note: Annotated[str, Field(max_length=1000)] | None = None

    @field_validator("provinces")
    @classmethod
    def _unique(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(value))

    @property
    def label(self) -> str:
        """``CODE (Vietnamese name)``, for messages and explanations."""
        return f"{self.code} ({self.name_vi})"


def _level_problems(unit: OrgUnit, by_code: Mapping[str, OrgUnit]) -> list[str]:
    where = f"unit {unit.code!r}"
    problems: list[str] = []
    if unit.parent is not None and unit.parent not in by_code:
        problems.append(f"{where}: parent {unit.parent!r} is not a unit of the directory")
    if unit.level is UnitLevel.PROVINCIAL and len(unit.provinces) != 1:
        problems.append(f"{where}: a provincial office serves exactly one province")
    if unit.level is UnitLevel.GRASSROOTS:
        parent = by_code.get(unit.parent or "")
        if parent is None or parent.level is not UnitLevel.PROVINCIAL:
            problems.append(f"{where}: a grassroots office's parent must be a provincial office")
    return problems


def _loops(unit: OrgUnit, by_code: Mapping[str, OrgUnit]) -> bool:
    seen = {unit.code}
    current = by_code.get(unit.parent or "")
    while current is not None:
        if current.code in seen:
            return True
        seen.add(current.code)
        current = by_code.get(current.parent or "")
    return False


def _unit_problems(units: tuple[OrgUnit, ...]) -> list[str]:
    problems: list[str] = []
    by_code: dict[str, OrgUnit] = {}
    for unit in units:
        if unit.code in by_code:
            problems.append(f"unit code {unit.code!r} is used twice: give each unit its own code")
        by_code[unit.code] = unit
    offices: dict[str, str] = {}
    for unit in units:
        problems.extend(_level_problems(unit, by_code))
        if _loops(unit, by_code):
            problems.append(f"unit {unit.code!r}: its chain of parents loops")
        if unit.level is not UnitLevel.PROVINCIAL:
            continue
        for province in unit.provinces:
            if province in offices:
                problems.append(
                    f"unit {unit.code!r}: province {province!r} already has a provincial "
                    f"office, {offices[province]!r}"
                )
            offices[province] = unit.code
    return problems


def _validated(units: Iterable[OrgUnit | Mapping[str, Any]]) -> tuple[list[OrgUnit], list[str]]:
    """The units, validated one by one; the problems of those refused, named by code or
    position (``unit #3``)."""
    built: list[OrgUnit] = []
    problems: list[str] = []
    for index, raw in enumerate(units):
        if isinstance(raw, OrgUnit):
            built.append(raw)
            continue
        try:
            built.append(OrgUnit.model_validate(raw))
        except ValidationError as error:
            code = raw.get("code") if isinstance(raw, Mapping) else None
            where = f"unit {code!r}" if isinstance(code, str) else f"unit #{index + 1}"
            described = describe_errors(error, raw, models=(OrgUnit,), whole="the unit")
            problems.extend(f"{where}: {problem}" for problem in described)
    return built, problems


class Directory:
    """The units of the organisation, checked when built; immutable.

    Build it from units or mappings; every problem (duplicate codes, unknown parents, two
    provincial offices for one province, loops) is reported at once as a
    :class:`~vss_care_core.errors.RoutingTableError`.

    >>> directory = vss_directory()
    >>> directory.provincial_office("Bình Dương").code
    'BHXH-TP-HO-CHI-MINH'
    >>> directory["VSS-CSKH"].name_en
    'Customer Care Center'
    >>> directory["VSS-CKSH"]
    Traceback (most recent call last):
    ...
    vss_care_core.errors.UnknownNameError: unknown unit 'VSS-CKSH': did you mean 'VSS-CSKH' or ...

    A unit looked up by a code the directory does not have raises
    :class:`~vss_care_core.errors.UnknownNameError` (also a ``KeyError``), with the closest
    codes. An empty directory is a directory with no unit, never the built-in one.
    """

    __slots__ = ("_by_code", "_offices", "_units")

    def __init__(self, units: Iterable[OrgUnit | Mapping[str, Any]]) -> None:
        built, problems = _validated(units)
        self._units = tuple(built)
        problems.extend(_unit_problems(self._units))
        if problems:
            raise RoutingTableError("organisation directory", problems)
        self._by_code = {unit.code: unit for unit in self._units}
        self._offices = {
            unit.provinces[0]: unit for unit in self._units if unit.level is UnitLevel.PROVINCIAL
        }

    @classmethod
    def from_json(cls, source: str | os.PathLike[str]) -> Directory:
        """A directory from JSON text, or from a JSON file when given a path.

        The document is ``{"units": [...]}``, each unit as in :class:`OrgUnit`. A file that
        cannot be read (missing, not UTF-8, too large, nested too deeply) or that is not valid
        JSON is refused as a :class:`~vss_care_core.errors.RoutingTableError` naming the file.
        """
        try:
            if isinstance(source, os.PathLike):
                document = load_json(source, what='an organisation directory ({"units": [...]})')
            else:
                document = parse_json(source)
        except InvalidInputError as error:
            raise RoutingTableError("organisation directory", [str(error)]) from None
        return cls.from_dict(document)

    @classmethod
    def from_dict(cls, document: Mapping[str, Any]) -> Directory:
        """A directory from the parsed document ``{"units": [...]}``.

        >>> len(Directory.from_dict({"units": []}))
        0
        """
        if not isinstance(document, Mapping) or not isinstance(document.get("units"), list):
            raise RoutingTableError(
                "organisation directory",
                ['expected an object with a "units" list: {"units": [{"code": ...}, ...]}'],
            )
        return cls(document["units"])

    def with_units(self, units: Iterable[OrgUnit | Mapping[str, Any]]) -> Directory:
        """A new directory with ``units`` added (grassroots offices, more agencies).

        A unit whose code already exists replaces it.

        >>> directory = vss_directory().with_units([{
        ...     "code": "BHXH-HA-NOI-CS-CAU-GIAY", "name_vi": "Bảo hiểm xã hội cơ sở Cầu Giấy",
        ...     "level": "grassroots", "parent": "BHXH-HA-NOI", "provinces": ["Hà Nội"]}])
        >>> directory.parent_of("BHXH-HA-NOI-CS-CAU-GIAY").code
        'BHXH-HA-NOI'
        """
        added, problems = _validated(units)
        if problems:
            raise RoutingTableError("units added to the organisation directory", problems)
        replaced = {unit.code for unit in added}
        kept = [unit for unit in self._units if unit.code not in replaced]
        return Directory([*kept, *added])

    @property
    def units(self) -> tuple[OrgUnit, ...]:
        """Every unit, in the order given."""
        return self._units

    def __iter__(self) -> Iterator[OrgUnit]:
        return iter(self._units)

    def __len__(self) -> int:
        return len(self._units)

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def __getitem__(self, code: str) -> OrgUnit:
        try:
            return self._by_code[code]
        except KeyError:
            raise UnknownNameError("unit", str(code), tuple(self._by_code)) from None

    def get(self, code: str) -> OrgUnit | None:
        """The unit with this code, or None."""
        return self._by_code.get(code)

    def provincial_office(self, province: str) -> OrgUnit | None:
        """The provincial office serving ``province`` (former names accepted), or None."""
        try:
            return self._offices.get(resolve_province(province))
        except InvalidInputError:
            return None

    def parent_of(self, code: str) -> OrgUnit | None:
        """The parent of the unit ``code``, or None at the top."""
        parent = self[code].parent
        return None if parent is None else self._by_code[parent]

    def at_level(self, level: UnitLevel | str) -> tuple[OrgUnit, ...]:
        """The units of one level, in directory order."""
        wanted = UnitLevel(level)
        return tuple(unit for unit in self._units if unit.level is wanted)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Directory) and self._units == other._units

    def __hash__(self) -> int:
        return hash(self._units)

    def __repr__(self) -> str:
        return f"Directory(<{len(self._units)} units>)"


@cache
def vss_directory() -> Directory:
    """The default directory: VSS, the Customer Care Center, central departments, the 34
    provincial offices and two outside agencies (from ``data/directory.json``).

    >>> len(vss_directory().at_level("provincial"))
    34
    """
    text = (
        resources.files("vss_care_core.routing").joinpath("data/directory.json").read_text("utf-8")
    )
    return Directory.from_json(text)

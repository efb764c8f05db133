"""The 34 provinces and cities since 1 July 2025, and the former names that map to them.

The list is data (``data/provinces.json``), not code: the organisation changed twice in 2025.
Older names still seen on records (Hà Tây until 2008, the provinces split from 1978 to 1997)
are data too, with the year of each change: a name whose territory now lies in one province
maps to it; one split across today's provinces is refused with the candidates.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from difflib import get_close_matches
from functools import cache, lru_cache
from importlib import resources
from typing import Annotated, Any

from pydantic import AfterValidator, WithJsonSchema

from vss_care_core.errors import InvalidInputError
from vss_care_core.models._text import words

__all__ = ["PROVINCES", "Province", "ProvinceInfo", "province_info", "resolve_province"]

_SUGGESTION_CUTOFF = 0.8
"""How close (difflib's ratio) an official name must be to what was given to be suggested."""


@dataclass(frozen=True, slots=True)
class ProvinceInfo:
    """A current province or city, the pre-July-2025 provinces it absorbed, and older names.

    ``older`` lists the provinces that ended before 2025 (Hà Tây, Vĩnh Phú...) whose whole
    territory now lies in this province.
    """

    name: str
    former: tuple[str, ...]
    cccd_codes: tuple[str, ...]
    older: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class _OlderName:
    """A province that ended before 2025: when, how, and where its territory lies today."""

    name: str
    year: int
    change: str
    into: tuple[str, ...]
    current: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Directory:
    provinces: tuple[ProvinceInfo, ...]
    by_key: dict[str, str]
    by_cccd_code: dict[str, str]
    split: dict[str, _OlderName]
    """Older names split across several of today's provinces, by folded key."""
    official: dict[str, str]
    """Every official name (current, former, older) by folded key, for suggestions."""


def _key(name: str) -> str:
    return " ".join(words(name))


def _older_names(raw: list[dict[str, Any]], by_key: dict[str, str]) -> list[_OlderName]:
    """Each older name with the current provinces its territory lies in (in the list's order).

    ``into`` names provinces of 1997-2025 or another older name (Hà Nam Ninh became Nam Hà and
    Ninh Bình; Nam Hà later became Hà Nam and Nam Định), followed to today's provinces.
    """
    into_by_key = {_key(entry["name"]): tuple(entry["into"]) for entry in raw}
    order = {name: rank for rank, name in enumerate(dict.fromkeys(by_key.values()))}

    def current_of(name: str) -> set[str]:
        key = _key(name)
        if key in by_key:
            return {by_key[key]}
        return set().union(*(current_of(part) for part in into_by_key[key]))

    return [
        _OlderName(
            name=entry["name"],
            year=entry["year"],
            change=entry["change"],
            into=tuple(entry["into"]),
            current=tuple(sorted(current_of(entry["name"]), key=order.__getitem__)),
        )
        for entry in raw
    ]


@cache
def _directory() -> _Directory:
    raw = json.loads(
        resources.files("vss_care_core.models").joinpath("data/provinces.json").read_text("utf-8")
    )
    by_key: dict[str, str] = {}
    by_code: dict[str, str] = {}
    official: dict[str, str] = {}
    entries: list[tuple[str, tuple[str, ...], tuple[str, ...]]] = []
    for entry in raw["provinces"]:
        name = entry["name"]
        former = tuple(f["name"] for f in entry["former"])
        codes = tuple(f["cccd_code"] for f in entry["former"])
        entries.append((name, former, codes))
        for alias in (name, *former):
            by_key[_key(alias)] = name
            official[_key(alias)] = alias
        for code in codes:
            by_code[code] = name
    for target, aliases in raw["aliases"].items():
        current = by_key[_key(target)]
        for alias in aliases:
            by_key[_key(alias)] = current
    older = _older_names(raw["older"], by_key)
    split: dict[str, _OlderName] = {}
    whole: dict[str, list[str]] = {}
    for name in older:
        official[_key(name.name)] = name.name
        if len(name.current) == 1:
            whole.setdefault(name.current[0], []).append(name.name)
        else:
            split[_key(name.name)] = name
    for name in older:
        if len(name.current) == 1:
            by_key[_key(name.name)] = name.current[0]
    provinces = tuple(
        ProvinceInfo(name=name, former=former, cccd_codes=codes, older=tuple(whole.get(name, ())))
        for name, former, codes in entries
    )
    return _Directory(provinces, by_key, by_code, split, official)


def _prefix_stripped(key: str) -> str:
    for prefix in ("tinh ", "thanh pho ", "tp "):
        if key.startswith(prefix):
            return key[len(prefix) :]
    return key


def _split_message(name: _OlderName) -> str:
    parts = " and ".join(name.into)
    today = " and ".join(repr(p) for p in name.current)
    return (
        f"the former province {name.name!r} ({name.change} in {name.year} into {parts}) lies "
        f"today in more than one province ({today}): give the current province, or the "
        "province of the record's own time"
    )


def _unknown_message(key: str) -> str:
    """Why a name is not a province, without repeating it (it may be an address)."""
    directory = _directory()
    close = get_close_matches(key, directory.official, n=3, cutoff=_SUGGESTION_CUTOFF)
    names = list(dict.fromkeys(directory.official[match] for match in close))
    hint = f"; did you mean {' or '.join(repr(n) for n in names)}?" if names else ""
    return (
        "unknown province or city: give one of the 34 provinces and cities since 1 July 2025 "
        "(`vss-care provinces` lists them, as does vss_care_core.PROVINCES) or a former name "
        f"such as 'Bình Dương' or 'Hà Tây', without the street or district{hint}"
    )


@lru_cache(maxsize=2048)
def resolve_province(name: str) -> str:
    """The current (post-July-2025) name of a province, from any current or former name.

    Case, diacritics, spacing and a leading "Tỉnh"/"Thành phố"/"TP" do not matter. Names of
    provinces that ended before 2025 are accepted when their territory lies in one province
    today; one split across several is refused with the candidates. The error never repeats
    what was given (it may be an address); it suggests official names close to it.

    >>> resolve_province("tinh Binh Duong")
    'TP Hồ Chí Minh'
    >>> resolve_province("Hà Giang")
    'Tuyên Quang'
    >>> resolve_province("Hà Tây"), resolve_province("Vĩnh Phú")
    ('Hà Nội', 'Phú Thọ')
    >>> resolve_province("Ha Nio")
    Traceback (most recent call last):
    ...
    vss_care_core.errors.InvalidInputError: unknown province or city: ...; did you mean 'Hà Nội'?
    """
    directory = _directory()
    key = _key(name)
    for candidate in (key, _prefix_stripped(key)):
        found = directory.by_key.get(candidate)
        if found is not None:
            return found
        split = directory.split.get(candidate)
        if split is not None:
            raise InvalidInputError(_split_message(split))
    raise InvalidInputError(_unknown_message(_prefix_stripped(key)))


def province_info(name: str) -> ProvinceInfo:
    """What is known of a province: its current name, former provinces, CCCD codes, older names.

    >>> province_info("Hà Tây").older
    ('Hà Tây',)
    """
    current = resolve_province(name)
    return next(p for p in _directory().provinces if p.name == current)


def province_for_cccd_code(code: str) -> str | None:
    """The current province for a CCCD birth-registration code, or None if unknown."""
    return _directory().by_cccd_code.get(code)


PROVINCES: tuple[str, ...] = tuple(p.name for p in _directory().provinces)
"""The 34 provinces and centrally-run cities since 1 July 2025."""

Province = Annotated[
    str,
    AfterValidator(resolve_province),
    WithJsonSchema(
        {
            "type": "string",
            "description": "A province or city; former names are mapped to the current one.",
            "examples": ["Hà Nội", "TP Hồ Chí Minh", "Bình Dương", "Hà Tây"],
        }
    ),
]
"""A province field: accepts any current or former name, stores the current name."""

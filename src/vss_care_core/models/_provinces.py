"""The 34 provinces and cities since 1 July 2025, and the former names that map to them.

The list is data (``data/provinces.json``), not code: the organisation changed twice in 2025.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Annotated

from pydantic import AfterValidator, WithJsonSchema

from vss_care_core.errors import InvalidInputError
from vss_care_core.models._text import words

__all__ = ["PROVINCES", "Province", "ProvinceInfo", "province_info", "resolve_province"]


@dataclass(frozen=True, slots=True)
class ProvinceInfo:
    """A current province or city and the pre-July-2025 provinces it absorbed."""

    name: str
    former: tuple[str, ...]
    cccd_codes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Directory:
    provinces: tuple[ProvinceInfo, ...]
    by_key: dict[str, str]
    by_cccd_code: dict[str, str]


def _key(name: str) -> str:
    return " ".join(words(name))


@cache
def _directory() -> _Directory:
    raw = json.loads(
        resources.files("vss_care_core.models").joinpath("data/provinces.json").read_text("utf-8")
    )
    provinces: list[ProvinceInfo] = []
    by_key: dict[str, str] = {}
    by_code: dict[str, str] = {}
    for entry in raw["provinces"]:
        name = entry["name"]
        former = tuple(f["name"] for f in entry["former"])
        codes = tuple(f["cccd_code"] for f in entry["former"])
        provinces.append(ProvinceInfo(name=name, former=former, cccd_codes=codes))
        for alias in (name, *former):
            by_key[_key(alias)] = name
        for code in codes:
            by_code[code] = name
    for target, aliases in raw["aliases"].items():
        current = by_key[_key(target)]
        for alias in aliases:
            by_key[_key(alias)] = current
    return _Directory(tuple(provinces), by_key, by_code)


def _prefix_stripped(key: str) -> str:
    for prefix in ("tinh ", "thanh pho ", "tp "):
        if key.startswith(prefix):
            return key[len(prefix) :]
    return key


@lru_cache(maxsize=2048)
def resolve_province(name: str) -> str:
    """The current (post-July-2025) name of a province, from any current or former name.

    Case, diacritics, spacing and a leading "Tỉnh"/"Thành phố"/"TP" do not matter.

    >>> resolve_province("tinh Binh Duong")
    'TP Hồ Chí Minh'
    >>> resolve_province("Hà Giang")
    'Tuyên Quang'
    """
    directory = _directory()
    key = _key(name)
    found = directory.by_key.get(key) or directory.by_key.get(_prefix_stripped(key))
    if found is None:
        raise InvalidInputError(
            f"unknown province {name!r}: give one of the 34 provinces and cities "
            "(or a former name such as 'Bình Dương'); see vss_care_core.PROVINCES"
        )
    return found


def province_info(name: str) -> ProvinceInfo:
    """What is known of a province: its current name, former provinces and CCCD codes."""
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
            "examples": ["Hà Nội", "TP Hồ Chí Minh", "Bình Dương"],
        }
    ),
]
"""A province field: accepts any current or former name, stores the current name."""

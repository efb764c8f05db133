"""Static analysis of conditions: boxes of field values that bound what a condition can match.

A *box* constrains some fields to sets of values (an inquiry is in the box when each of its
constrained fields takes one of the values) and lists policy-area sets the inquiry's areas must
each meet. For every condition we compute

- ``over(c)``: a box containing every inquiry ``c`` matches (an over-approximation), and
- ``under(c)``: a box of inquiries that ``c`` certainly matches (an under-approximation).

Both are exact for a conjunction of field tests. Keywords are unknown to boxes: ``over`` of a
keyword condition is everything and ``under`` is nothing. These bounds give sound checks (a
rule is reported as never matching only when ``over`` is empty; rule B is reported as shadowed by
an earlier rule A only when ``over(B)`` lies inside ``under(A)``) and the routing index (a rule is
a candidate for an inquiry only when the inquiry lies in its ``over`` box).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise
from types import MappingProxyType
from typing import Any

from vss_care_core.models import PROVINCES, Channel, InquiryKind, Priority
from vss_care_core.routing._conditions import (
    AllOf,
    Always,
    AnyOf,
    FieldCondition,
    KeywordCondition,
    Not,
)

__all__ = ["CLOSED_DOMAINS", "Box", "needed_words", "over", "under"]

CLOSED_DOMAINS: MappingProxyType[str, frozenset[Any]] = MappingProxyType(
    {
        "channel": frozenset(Channel),
        "kind": frozenset({*InquiryKind, None}),
        "priority": frozenset(Priority),
        "requester_type": frozenset({"individual", "organization"}),
        "province": frozenset({*PROVINCES, None}),
    }
)
"""Fields whose every possible value is known (``None``: the inquiry does not have it yet)."""


@dataclass(frozen=True, slots=True)
class Box:
    """Field constraints (``sets``), policy-area constraints (``areas``), or ``empty``."""

    sets: dict[str, frozenset[Any]] = field(default_factory=dict)
    areas: tuple[frozenset[Any], ...] = ()
    empty: bool = False

    @property
    def universal(self) -> bool:
        """True when the box constrains nothing."""
        return not self.empty and not self.sets and not self.areas

    def contains(self, other: Box) -> bool:
        """True when every inquiry in ``other`` is in this box."""
        if other.empty:
            return True
        if self.empty:
            return False
        for key, accepted in self.sets.items():
            theirs = other.sets.get(key)
            if theirs is None or not theirs <= accepted:
                return False
        return all(any(t <= s for t in other.areas) for s in self.areas)


EMPTY = Box(empty=True)
UNIVERSAL = Box()


def _box(sets: dict[str, frozenset[Any]], areas: tuple[frozenset[Any], ...] = ()) -> Box:
    kept: dict[str, frozenset[Any]] = {}
    for key, values in sets.items():
        if not values:
            return EMPTY
        domain = CLOSED_DOMAINS.get(key)
        if domain is not None and values >= domain:
            continue
        kept[key] = values
    if any(not a for a in areas):
        return EMPTY
    return Box(kept, tuple(dict.fromkeys(areas)))


def _meet(a: Box, b: Box) -> Box:
    if a.empty or b.empty:
        return EMPTY
    sets = dict(a.sets)
    for key, values in b.sets.items():
        sets[key] = sets[key] & values if key in sets else values
    return _box(sets, a.areas + b.areas)


def _join(a: Box, b: Box) -> Box:
    if a.empty:
        return b
    if b.empty:
        return a
    sets = {k: a.sets[k] | b.sets[k] for k in a.sets.keys() & b.sets.keys()}
    areas: tuple[frozenset[Any], ...] = ()
    if a.areas and b.areas:
        areas = (frozenset().union(*a.areas, *b.areas),)
    return _box(sets, areas)


def _complement(box: Box) -> Box | None:
    """The exact complement of ``box`` when it is a box, else None."""
    if box.empty:
        return UNIVERSAL
    if box.universal:
        return EMPTY
    if len(box.sets) == 1 and not box.areas:
        ((key, values),) = box.sets.items()
        domain = CLOSED_DOMAINS.get(key)
        if domain is not None:
            return _box({key: domain - values})
    return None


def _field_box(condition: FieldCondition) -> Box:
    accepted = condition.accepted()
    areas = accepted.pop("policy_area", None)
    return _box(accepted, (areas,) if areas is not None else ())


def over(condition: object) -> Box:
    """A box holding every inquiry the condition matches."""
    if isinstance(condition, FieldCondition):
        return _field_box(condition)
    if isinstance(condition, AllOf):
        result = UNIVERSAL
        for part in condition.all_of:
            result = _meet(result, over(part))
        return result
    if isinstance(condition, AnyOf):
        result = EMPTY
        for part in condition.any_of:
            result = _join(result, over(part))
        return result
    if isinstance(condition, Not):
        complement = _complement(under(condition.negated))
        return UNIVERSAL if complement is None else complement
    return UNIVERSAL  # Always, keywords


def under(condition: object) -> Box:
    """A box of inquiries the condition certainly matches (possibly empty)."""
    if isinstance(condition, FieldCondition):
        return _field_box(condition)
    if isinstance(condition, Always):
        return UNIVERSAL
    if isinstance(condition, AllOf):
        result = UNIVERSAL
        for part in condition.all_of:
            result = _meet(result, under(part))
        return result
    if isinstance(condition, AnyOf):
        return _under_any([under(part) for part in condition.any_of])
    if isinstance(condition, Not):
        complement = _complement(over(condition.negated))
        return EMPTY if complement is None else complement
    return EMPTY  # keywords


def _under_any(boxes: list[Box]) -> Box:
    if any(b.universal for b in boxes):
        return UNIVERSAL
    kept = [b for b in boxes if not b.empty]
    if not kept:
        return EMPTY
    keys = {frozenset(b.sets) for b in kept}
    if len(keys) == 1 and len(next(iter(keys))) == 1 and all(not b.areas for b in kept):
        (key,) = next(iter(keys))
        return _box({key: frozenset().union(*(b.sets[key] for b in kept))})
    if all(not b.sets and len(b.areas) == 1 for b in kept):
        return _box({}, (frozenset().union(*(b.areas[0] for b in kept)),))
    return kept[0]


def _key_term(phrase: tuple[str, ...]) -> str:
    """The term that indexes a phrase: its longest pair of consecutive words, or its word."""
    if len(phrase) == 1:
        return phrase[0]
    pairs = [f"{a} {b}" for a, b in pairwise(phrase)]
    return max(pairs, key=len)


def needed_words(condition: object) -> frozenset[str] | None:
    """Terms (folded words or pairs of consecutive words) of which at least one must be in an
    inquiry for the condition to match.

    None when no such set is known (field tests, ``not``, an ``any`` with a keyword-free part).
    """
    if isinstance(condition, KeywordCondition):
        terms = [_key_term(phrase) for phrase in condition.folded]
        if condition.needs_all:
            return frozenset({max(terms, key=len)})
        return frozenset(terms)
    if isinstance(condition, AllOf):
        found = [w for w in (needed_words(p) for p in condition.all_of) if w is not None]
        return min(found, key=len) if found else None
    if isinstance(condition, AnyOf):
        parts = [needed_words(p) for p in condition.any_of]
        if any(p is None for p in parts):
            return None
        return frozenset().union(*(p for p in parts if p is not None))
    return None

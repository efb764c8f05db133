"""The compiled form of a routing table: indexes from field values and words to candidate rules.

Rule ``i`` is bit ``i`` of a Python integer. For each routed field, the index maps each value to
the rules whose over-approximating box (see ``_analysis``) admits that value; for keywords, each
folded word or pair of consecutive words maps to the rules that need it. An inquiry's
candidates are the intersection of the masks for its values; only the candidates are evaluated,
lowest bit (earliest rule) first, so the first candidate that matches is exactly the rule the
first-match loop would choose.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from vss_care_core.routing._analysis import CLOSED_DOMAINS, Box, needed_words, over
from vss_care_core.routing._conditions import Condition
from vss_care_core.routing._facts import AREA_BITS, InquiryFacts
from vss_care_core.routing._rules import Rule

__all__ = ["CompiledRules", "first_match"]

_OPEN_FIELDS = ("topic", "language")


def first_match(rules: Sequence[Rule], facts: InquiryFacts) -> int | None:
    """The reference semantics: the position of the first rule that matches, or None."""
    for position, rule in enumerate(rules):
        if rule.when.matches(facts):
            return position
    return None


def _closed_masks(key: str, boxes: Sequence[Box]) -> dict[Any, int]:
    domain = CLOSED_DOMAINS[key]
    masks = dict.fromkeys(domain, 0)
    for bit, box in enumerate(boxes):
        if not box.empty:
            for value in box.sets.get(key, domain):
                masks[value] |= 1 << bit
    return masks


def _open_masks(key: str, boxes: Sequence[Box]) -> tuple[int, dict[Any, int]]:
    free = 0
    by_value: dict[Any, int] = {}
    for bit, box in enumerate(boxes):
        if box.empty:
            continue
        accepted = box.sets.get(key)
        if accepted is None:
            free |= 1 << bit
            continue
        for value in accepted:
            by_value[value] = by_value.get(value, 0) | (1 << bit)
    return free, by_value


def _area_masks(boxes: Sequence[Box]) -> tuple[int, ...]:
    masks = []
    for subset in range(1 << len(AREA_BITS)):
        present = {area for area, b in AREA_BITS.items() if subset & b}
        mask = 0
        for bit, box in enumerate(boxes):
            if not box.empty and all(not present.isdisjoint(a) for a in box.areas):
                mask |= 1 << bit
        masks.append(mask)
    return tuple(masks)


def _word_masks(conditions: Sequence[Condition]) -> tuple[int, dict[str, int]]:
    free = 0
    by_word: dict[str, int] = {}
    for bit, condition in enumerate(conditions):
        needed = needed_words(condition)
        if needed is None:
            free |= 1 << bit
            continue
        for word in needed:
            by_word[word] = by_word.get(word, 0) | (1 << bit)
    return free, by_word


class CompiledRules:
    """Indexes over an ordered list of rules; :meth:`first_match` agrees with the reference."""

    __slots__ = ("_areas", "_closed", "_conditions", "_open", "_word_free", "_words")

    def __init__(self, rules: Sequence[Rule] | Sequence[Condition]) -> None:
        """Index the rules, or their conditions (bit ``i`` is the ``i``-th)."""
        self._conditions = tuple(rule.when if isinstance(rule, Rule) else rule for rule in rules)
        boxes = [over(condition) for condition in self._conditions]
        self._closed = tuple((key, _closed_masks(key, boxes)) for key in CLOSED_DOMAINS)
        self._open = tuple((key, *_open_masks(key, boxes)) for key in _OPEN_FIELDS)
        self._areas = _area_masks(boxes)
        self._word_free, self._words = _word_masks(self._conditions)

    def candidates(self, facts: InquiryFacts) -> int:
        """The mask of rules that may match: every other rule certainly does not."""
        mask = self._areas[facts.area_bits]
        for key, masks in self._closed:
            mask &= masks[getattr(facts, key)]
            if not mask:
                return 0
        for key, free, by_value in self._open:
            mask &= free | by_value.get(getattr(facts, key), 0)
        if not mask:
            return 0
        words_mask = self._word_free
        by_word = self._words
        terms = facts.terms
        if len(terms) <= len(by_word):
            for term in terms:
                words_mask |= by_word.get(term, 0)
        else:
            for term, rules in by_word.items():
                if term in terms:
                    words_mask |= rules
        return mask & words_mask

    def first_match(self, facts: InquiryFacts) -> int | None:
        """The position of the first rule that matches, or None."""
        mask = self.candidates(facts)
        conditions = self._conditions
        while mask:
            low = mask & -mask
            position = low.bit_length() - 1
            if conditions[position].matches(facts):
                return position
            mask ^= low
        return None

"""How a question is read before it is matched: folded syllables, abbreviations, variants.

Every text is folded (:func:`~vss_care_core.models.fold_vietnamese`): ``Lương hưu`` and
``luong huu`` read the same. Then phrases are rewritten, longest first, left to right: an
abbreviation's phrase becomes the abbreviation (``bảo hiểm xã hội`` → ``bhxh``), so that either
form matches the other, and a regional or colloquial wording becomes the knowledge base's
(``lãnh`` → ``linh``). The tables are data (``knowledge/data/wording.json``), extendable.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Any, final

from vss_care_core.knowledge._errors import KnowledgeDataError
from vss_care_core.models import words

__all__ = ["Wording", "default_wording"]

_DATA_FILE = "wording.json"
_ONE_WORD = re.compile(r"^[0-9a-z]+$")
_Rewrites = Mapping[str, tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]]


@final
@dataclass(frozen=True, slots=True)
class Wording:
    """The reading rules: ``abbreviations`` (an abbreviation → the phrases it stands for),
    ``variants`` (a wording → the wording it means) and ``stopwords`` (words carrying no meaning
    of their own in a question). Everything may be written with diacritics; it is folded.
    Checked when built: every problem is listed in a
    :class:`~vss_care_core.knowledge.KnowledgeDataError`.

    >>> wording = default_wording()
    >>> wording.normalise("Tôi muốn rút Bảo hiểm Xã hội một lần")
    ['toi', 'muon', 'rut', 'bhxh', 'mot', 'lan']
    >>> wording.terms("Tôi muốn lãnh BHXH 1 lần")
    ['linh', 'bhxh', 'lan']
    """

    abbreviations: Mapping[str, tuple[str, ...]]
    variants: Mapping[str, str]
    stopwords: frozenset[str]
    _abbreviation_table: _Rewrites = field(init=False, repr=False, compare=False)
    _variant_table: _Rewrites = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        problems: list[str] = []
        abbreviated: dict[tuple[str, ...], tuple[str, ...]] = {}
        for abbreviation, phrases in self.abbreviations.items():
            folded_abbreviation = tuple(words(abbreviation))
            if len(folded_abbreviation) != 1 or not _ONE_WORD.match(folded_abbreviation[0]):
                problems.append(f"abbreviation {abbreviation!r} must be one word of letters")
            elif isinstance(phrases, str) or not phrases:
                problems.append(f"abbreviation {abbreviation!r}: give a list of phrases")
            else:
                for phrase in phrases:
                    _add(abbreviated, phrase, folded_abbreviation, problems, abbreviation)
        abbreviation_table = _table(abbreviated)
        varied: dict[tuple[str, ...], tuple[str, ...]] = {}
        for phrase, meaning in self.variants.items():
            replacement = tuple(_rewrite(words(meaning), abbreviation_table))
            if not replacement:
                problems.append(f"variant {phrase!r}: its meaning {meaning!r} has no words")
            else:
                key = " ".join(_rewrite(words(phrase), abbreviation_table))
                _add(varied, key, replacement, problems, phrase)
        stopwords: set[str] = set()
        for stopword in self.stopwords:
            folded = words(stopword)
            if len(folded) == 1:
                stopwords.add(folded[0])
            else:
                problems.append(f"stopword {stopword!r} must be one word")
        if problems:
            raise KnowledgeDataError("wording", problems)
        object.__setattr__(self, "abbreviations", MappingProxyType(dict(self.abbreviations)))
        object.__setattr__(self, "variants", MappingProxyType(dict(self.variants)))
        object.__setattr__(self, "stopwords", frozenset(stopwords))
        object.__setattr__(self, "_abbreviation_table", abbreviation_table)
        object.__setattr__(self, "_variant_table", _table(varied))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Wording:
        """Reading rules from parsed data in the shipped format:
        ``{"abbreviations": {"bhxh": ["bảo hiểm xã hội"]}, "variants": {"lãnh": "lĩnh"},
        "stopwords": ["toi"]}``."""
        if not isinstance(data, Mapping):
            raise KnowledgeDataError("wording", ["the data must be an object"])
        unknown = sorted(set(data) - {"abbreviations", "variants", "stopwords", "description"})
        problems = [f"unknown keys {unknown}"] if unknown else []
        abbreviations = data.get("abbreviations", {})
        variants = data.get("variants", {})
        stopwords = data.get("stopwords", [])
        if not isinstance(abbreviations, Mapping):
            problems.append("abbreviations must be an object: abbreviation → list of phrases")
        if not isinstance(variants, Mapping) or not all(
            isinstance(v, str) for v in variants.values()
        ):
            problems.append("variants must be an object: wording → its meaning, both texts")
        if isinstance(stopwords, str) or not all(isinstance(w, str) for w in stopwords):
            problems.append("stopwords must be a list of words")
        if isinstance(abbreviations, Mapping):
            problems.extend(
                f"abbreviation {key!r}: give a list of phrases, not one text"
                for key, phrases in abbreviations.items()
                if isinstance(phrases, str)
            )
        if problems:
            raise KnowledgeDataError("wording", problems)
        return cls(
            abbreviations={k: tuple(v) for k, v in abbreviations.items()},
            variants=dict(variants),
            stopwords=frozenset(stopwords),
        )

    def extended(
        self,
        *,
        abbreviations: Mapping[str, Sequence[str]] | None = None,
        variants: Mapping[str, str] | None = None,
        stopwords: Sequence[str] = (),
    ) -> Wording:
        """New rules with these added to the present ones (an existing key is replaced)."""
        merged = {k: tuple(v) for k, v in self.abbreviations.items()}
        merged.update({k: tuple(v) for k, v in (abbreviations or {}).items()})
        return Wording(
            abbreviations=merged,
            variants={**self.variants, **(variants or {})},
            stopwords=self.stopwords | frozenset(stopwords),
        )

    def normalise(self, text: str, *, spell: Callable[[str], str] | None = None) -> list[str]:
        """The folded words of ``text``, phrases rewritten; stopwords and numbers kept.

        ``spell``, when given, is applied to every folded word first (to correct typos, so that
        ``tro cap that ngiep`` is still read as the phrase ``tro cap that nghiep``). Then
        abbreviations (``rút bảo hiểm xã hội`` → ``rut bhxh``), then variants (``rút bảo
        hiểm`` → ``rut bhxh``), each longest phrase first, left to right.
        """
        return self.normalise_words(words(text), spell=spell)

    def normalise_words(
        self, folded: Sequence[str], *, spell: Callable[[str], str] | None = None
    ) -> list[str]:
        """:meth:`normalise` for words already folded (``words(text)``)."""
        if spell is not None:
            folded = [spell(word) for word in folded]
        abbreviated = _rewrite(folded, self._abbreviation_table)
        return _rewrite(abbreviated, self._variant_table)

    @property
    def phrase_words(self) -> frozenset[str]:
        """Every folded word of the phrases and meanings of the rules."""
        texts = [*self.abbreviations, *self.variants, *self.variants.values()]
        texts.extend(phrase for phrases in self.abbreviations.values() for phrase in phrases)
        return frozenset(word for text in texts for word in words(text))

    def terms(self, text: str, *, spell: Callable[[str], str] | None = None) -> list[str]:
        """The words that carry meaning: :meth:`normalise` without stopwords, one-letter words
        and anything containing a digit (amounts, dates, ID and phone numbers)."""
        return self.terms_of_words(words(text), spell=spell)

    def terms_of_words(
        self, folded: Sequence[str], *, spell: Callable[[str], str] | None = None
    ) -> list[str]:
        """:meth:`terms` for words already folded (``words(text)``)."""
        return [
            token
            for token in self.normalise_words(folded, spell=spell)
            if len(token) > 1 and token not in self.stopwords and not _has_digit(token)
        ]


def _add(
    rewrites: dict[tuple[str, ...], tuple[str, ...]],
    phrase: str,
    replacement: tuple[str, ...],
    problems: list[str],
    rule: str,
) -> None:
    folded = tuple(words(phrase))
    if not folded:
        problems.append(f"{rule!r}: the phrase {phrase!r} has no words")
    elif folded in rewrites and rewrites[folded] != replacement:
        problems.append(
            f"{rule!r}: {' '.join(folded)!r} is read both as {' '.join(rewrites[folded])!r} and as "
            f"{' '.join(replacement)!r}; give each phrase one reading"
        )
    elif folded != replacement:
        rewrites[folded] = replacement


def _table(rewrites: Mapping[tuple[str, ...], tuple[str, ...]]) -> _Rewrites:
    """Phrases by their first word, longest first."""
    by_first: dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]] = {}
    for phrase, replacement in rewrites.items():
        by_first.setdefault(phrase[0], []).append((phrase, replacement))
    return MappingProxyType(
        {
            first: tuple(sorted(found, key=lambda pair: -len(pair[0])))
            for first, found in by_first.items()
        }
    )


def _rewrite(tokens: Sequence[str], table: _Rewrites) -> list[str]:
    """``tokens`` with every phrase of ``table`` replaced, longest first, left to right."""
    out: list[str] = []
    position = 0
    while position < len(tokens):
        for phrase, replacement in table.get(tokens[position], ()):
            if tuple(tokens[position : position + len(phrase)]) == phrase:
                out.extend(replacement)
                position += len(phrase)
                break
        else:
            out.append(tokens[position])
            position += 1
    return out


def _has_digit(token: str) -> bool:
    return any(character.isdigit() for character in token)


@cache
def default_wording() -> Wording:
    """The shipped reading rules (``knowledge/data/wording.json``)."""
    text = resources.files("vss_care_core.knowledge").joinpath("data", _DATA_FILE)
    return Wording.from_dict(json.loads(text.read_text("utf-8")))

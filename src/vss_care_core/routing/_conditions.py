"""The condition language of routing rules: field tests, keywords and all / any / not.

A condition is data (a TOML or JSON table), never code. Each table is one kind of condition,
told apart by its keys:

- field tests: ``channel``, ``kind``, ``policy_area``, ``topic``, ``priority``,
  ``min_priority``, ``requester_type``, ``province``, ``language`` (each a list of accepted
  values; several keys in one table must all hold);
- keywords: ``any_keywords`` or ``all_keywords`` (with ``scope``);
- combinators: ``all``, ``any`` (lists of conditions) and ``not`` (one condition);
- ``always = true`` (or an empty table): matches every inquiry.

A table that mixes field keys, keyword keys and combinators is read as ``all`` of its parts.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import cached_property
from typing import Annotated, Any, Literal

from pydantic import (
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    field_validator,
    model_validator,
)

from vss_care_core.models import (
    CareModel,
    Channel,
    InquiryKind,
    PolicyArea,
    Priority,
    Province,
    words,
)
from vss_care_core.routing._facts import InquiryFacts

__all__ = [
    "FIELD_KEYS",
    "MAX_DEPTH",
    "MAX_KEYWORDS",
    "MAX_PHRASE_WORDS",
    "AllOf",
    "Always",
    "AnyOf",
    "Condition",
    "ConditionTrace",
    "FieldCondition",
    "KeywordCondition",
    "Not",
]

MAX_KEYWORDS = 200
"""The most keywords one keyword condition may list."""
MAX_PHRASE_WORDS = 8
"""The most words one keyword phrase may have."""
MAX_DEPTH = 8
"""The deepest nesting of all / any / not accepted."""
MAX_CHILDREN = 100
"""The most conditions one ``all`` or ``any`` may combine."""

FIELD_KEYS = (
    "channel",
    "kind",
    "policy_area",
    "topic",
    "priority",
    "min_priority",
    "requester_type",
    "province",
    "language",
)
"""The inquiry fields a field condition can test."""
_KEYWORD_KEYS = ("any_keywords", "all_keywords", "scope")
_COMBINATOR_KEYS = ("all", "any", "not")

_Topic = Annotated[str, Field(min_length=1, max_length=100, pattern=r"^[a-z0-9][a-z0-9_.\-]*$")]
_Language = Annotated[str, Field(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")]
_Keyword = Annotated[str, Field(min_length=1, max_length=200)]


def _values(values: tuple[Any, ...] | None) -> str:
    return "[" + ", ".join(str(v) for v in values or ()) + "]"


class ConditionTrace(CareModel):
    """How one condition fared on one inquiry: what it tests, whether it held, and why.

    ``detail`` states the observed fact (``"channel is email"``), never personal data: keyword
    conditions say which of the rule's own keywords were found, not the inquiry's text.
    """

    description: str
    held: bool
    detail: str
    parts: tuple[ConditionTrace, ...] = ()

    def lines(self, indent: int = 0) -> Iterator[str]:
        """The trace as indented lines, one per condition."""
        mark = "yes" if self.held else "no "
        yield f"{'  ' * indent}[{mark}] {self.description}: {self.detail}"
        for part in self.parts:
            yield from part.lines(indent + 1)


class _Condition(CareModel):
    model_config = ConfigDict(populate_by_name=True)

    def __repr_args__(self) -> Iterator[tuple[str | None, Any]]:
        for name, value in super().__repr_args__():
            if value is not None:
                yield name, value

    def matches(self, facts: InquiryFacts) -> bool:  # pragma: no cover - abstract
        """True when the condition holds for the inquiry's facts."""
        raise NotImplementedError

    def trace(self, facts: InquiryFacts) -> ConditionTrace:  # pragma: no cover - abstract
        """Evaluate the condition and say why it held or failed."""
        raise NotImplementedError

    def describe(self) -> str:  # pragma: no cover - abstract
        """A short readable statement of the condition."""
        raise NotImplementedError

    @cached_property
    def _description(self) -> str:
        """:meth:`describe`, worked out once (a trace states it for every inquiry)."""
        return self.describe()

    def depth(self) -> int:
        """The nesting depth (1 for a condition without parts)."""
        return 1


class Always(_Condition):
    """Matches every inquiry (``always = true``, or an empty table)."""

    always: Literal[True] = True

    def matches(self, facts: InquiryFacts) -> bool:
        """Always True."""
        return True

    def trace(self, facts: InquiryFacts) -> ConditionTrace:
        """Always held."""
        return ConditionTrace(
            description=self._description, held=True, detail="matches every inquiry"
        )

    def describe(self) -> str:
        """``always``."""
        return "always"


class FieldCondition(_Condition):
    """Tests on the inquiry's fields; every key given must hold.

    ``policy_area`` holds when the inquiry concerns at least one of the listed areas;
    ``min_priority`` when its priority is at least that one; ``province`` accepts former names
    (``"Bình Dương"`` means TP Hồ Chí Minh). A field the inquiry does not have yet (no kind, no
    topic, no province) fails every test on it.

    >>> FieldCondition(channel=["phone"], kind=["complaint"]).describe()
    'channel in [phone] and kind in [complaint]'
    """

    channel: Annotated[tuple[Channel, ...], Field(min_length=1)] | None = None
    kind: Annotated[tuple[InquiryKind, ...], Field(min_length=1)] | None = None
    policy_area: Annotated[tuple[PolicyArea, ...], Field(min_length=1)] | None = None
    topic: Annotated[tuple[_Topic, ...], Field(min_length=1, max_length=MAX_KEYWORDS)] | None = None
    priority: Annotated[tuple[Priority, ...], Field(min_length=1)] | None = None
    min_priority: Priority | None = None
    requester_type: (
        Annotated[tuple[Literal["individual", "organization"], ...], Field(min_length=1)] | None
    ) = None
    province: Annotated[tuple[Province, ...], Field(min_length=1, max_length=40)] | None = None
    language: Annotated[tuple[_Language, ...], Field(min_length=1, max_length=20)] | None = None

    @model_validator(mode="after")
    def _not_empty(self) -> FieldCondition:
        if all(getattr(self, key) is None for key in FIELD_KEYS):
            raise ValueError("a field condition needs at least one of " + ", ".join(FIELD_KEYS))
        return self

    @cached_property
    def _tests(self) -> tuple[tuple[str, frozenset[Any]], ...]:
        """The tests as (field, accepted values) pairs, worked out once."""
        return tuple(self.accepted().items())

    def accepted(self) -> dict[str, frozenset[Any]]:
        """The accepted values per tested field (``priority`` merges ``min_priority``)."""
        tests: dict[str, frozenset[Any]] = {}
        for key in FIELD_KEYS:
            value = getattr(self, key)
            if value is None or key == "min_priority":
                continue
            tests[key] = frozenset(value)
        if self.min_priority is not None:
            at_least = frozenset(p for p in Priority if p.rank >= self.min_priority.rank)
            tests["priority"] = tests.get("priority", at_least) & at_least
        return tests

    def matches(self, facts: InquiryFacts) -> bool:
        """True when every test holds."""
        for key, accepted in self._tests:
            if key == "policy_area":
                if accepted.isdisjoint(facts.policy_areas):
                    return False
            elif getattr(facts, key) not in accepted:
                return False
        return True

    def _parts(self) -> list[tuple[str, str]]:
        parts: list[tuple[str, str]] = []
        for key in FIELD_KEYS:
            value = getattr(self, key)
            if value is None:
                continue
            if key == "min_priority":
                parts.append((key, f"priority at least {value}"))
            else:
                parts.append((key, f"{key} in {_values(value)}"))
        return parts

    def describe(self) -> str:
        """The tests joined by "and"."""
        return " and ".join(text for _, text in self._parts())

    def trace(self, facts: InquiryFacts) -> ConditionTrace:
        """Held or failed, with the inquiry's value of each tested field."""
        observed: list[str] = []
        for key, accepted in self._tests:
            if key == "policy_area":
                value = ", ".join(sorted(facts.policy_areas)) or "none"
                ok = not accepted.isdisjoint(facts.policy_areas)
                observed.append(f"policy areas are {value}" + ("" if ok else " (no match)"))
            else:
                seen = getattr(facts, key)
                shown = "unknown" if seen is None else str(seen)
                ok = seen in accepted
                observed.append(f"{key} is {shown}" + ("" if ok else " (no match)"))
        return ConditionTrace(
            description=self._description, held=self.matches(facts), detail="; ".join(observed)
        )


class KeywordCondition(_Condition):
    """Keywords in the subject and content, as whole words, diacritics and case ignored.

    A keyword of several words is a phrase: its words must appear consecutively. ``scope``
    chooses where to look: ``"text"`` (subject or content, the default), ``"subject"`` or
    ``"content"``.

    >>> KeywordCondition(any_keywords=["lương hưu"]).describe()
    "any of the keywords ['lương hưu'] in subject or content"
    """

    any_keywords: (
        Annotated[tuple[_Keyword, ...], Field(min_length=1, max_length=MAX_KEYWORDS)] | None
    ) = None
    all_keywords: (
        Annotated[tuple[_Keyword, ...], Field(min_length=1, max_length=MAX_KEYWORDS)] | None
    ) = None
    scope: Literal["text", "subject", "content"] = "text"

    @field_validator("any_keywords", "all_keywords")
    @classmethod
    def _words(cls, value: tuple[str, ...] | None) -> tuple[str, ...] | None:
        if value is None:
            return None
        for keyword in value:
            found = words(keyword)
            if not found:
                raise ValueError(f"keyword {keyword!r} has no letters or digits")
            if len(found) > MAX_PHRASE_WORDS:
                raise ValueError(
                    f"keyword {keyword!r} has {len(found)} words; at most {MAX_PHRASE_WORDS}"
                )
        return value

    @model_validator(mode="after")
    def _one_list(self) -> KeywordCondition:
        if (self.any_keywords is None) == (self.all_keywords is None):
            raise ValueError("give exactly one of any_keywords or all_keywords")
        return self

    @cached_property
    def _folded(self) -> tuple[tuple[str, ...], ...]:
        """Each keyword as its tuple of folded words, worked out once."""
        return tuple(tuple(words(k)) for k in self.keywords)

    @property
    def keywords(self) -> tuple[str, ...]:
        """The keywords as written."""
        return self.any_keywords or self.all_keywords or ()

    @property
    def folded(self) -> tuple[tuple[str, ...], ...]:
        """Each keyword as its tuple of folded words."""
        return self._folded

    @property
    def needs_all(self) -> bool:
        """True for ``all_keywords``."""
        return self.all_keywords is not None

    def _found(self, phrase: tuple[str, ...], facts: InquiryFacts) -> bool:
        if len(phrase) == 1:
            word = phrase[0]
            if self.scope == "text":
                return word in facts.words
            if self.scope == "subject":
                return word in facts.subject_words
            return word in facts.content_words
        padded = f" {' '.join(phrase)} "
        if self.scope == "text":
            return padded in facts.subject_text or padded in facts.content_text
        if self.scope == "subject":
            return padded in facts.subject_text
        return padded in facts.content_text

    def matches(self, facts: InquiryFacts) -> bool:
        """True when any (or all) of the keywords are found."""
        if self.all_keywords is not None:
            return all(self._found(p, facts) for p in self._folded)
        return any(self._found(p, facts) for p in self._folded)

    def describe(self) -> str:
        """Which keywords, where."""
        where = {"text": "subject or content", "subject": "subject", "content": "content"}
        which = "all" if self.needs_all else "any"
        return f"{which} of the keywords {list(self.keywords)} in {where[self.scope]}"

    def trace(self, facts: InquiryFacts) -> ConditionTrace:
        """Which of the rule's keywords were found (never the inquiry's text)."""
        found = [
            k for k, p in zip(self.keywords, self._folded, strict=True) if self._found(p, facts)
        ]
        missing = [k for k in self.keywords if k not in found]
        detail = f"found {found}" if found else "none found"
        if self.needs_all and found and missing:
            detail += f", missing {missing}"
        return ConditionTrace(
            description=self._description, held=self.matches(facts), detail=detail
        )


class AllOf(_Condition):
    """Holds when every part holds (``all = [...]``)."""

    all_of: Annotated[
        tuple[Condition, ...], Field(alias="all", min_length=1, max_length=MAX_CHILDREN)
    ]

    def matches(self, facts: InquiryFacts) -> bool:
        """True when every part matches."""
        return all(part.matches(facts) for part in self.all_of)

    def describe(self) -> str:
        """``all of (...)``."""
        return "all of (" + "; ".join(p.describe() for p in self.all_of) + ")"

    def trace(self, facts: InquiryFacts) -> ConditionTrace:
        """Every part, each with its own trace."""
        parts = tuple(p.trace(facts) for p in self.all_of)
        failed = sum(not p.held for p in parts)
        detail = "every part held" if not failed else f"{failed} of {len(parts)} parts failed"
        return ConditionTrace(description="all of", held=not failed, detail=detail, parts=parts)

    def depth(self) -> int:
        """1 + the deepest part."""
        return 1 + max(p.depth() for p in self.all_of)


class AnyOf(_Condition):
    """Holds when at least one part holds (``any = [...]``)."""

    any_of: Annotated[
        tuple[Condition, ...], Field(alias="any", min_length=1, max_length=MAX_CHILDREN)
    ]

    def matches(self, facts: InquiryFacts) -> bool:
        """True when some part matches."""
        return any(part.matches(facts) for part in self.any_of)

    def describe(self) -> str:
        """``any of (...)``."""
        return "any of (" + "; ".join(p.describe() for p in self.any_of) + ")"

    def trace(self, facts: InquiryFacts) -> ConditionTrace:
        """Every part, each with its own trace."""
        parts = tuple(p.trace(facts) for p in self.any_of)
        held = sum(p.held for p in parts)
        detail = f"{held} of {len(parts)} parts held" if held else "no part held"
        return ConditionTrace(description="any of", held=bool(held), detail=detail, parts=parts)

    def depth(self) -> int:
        """1 + the deepest part."""
        return 1 + max(p.depth() for p in self.any_of)


class Not(_Condition):
    """Holds when its part fails (``not = {...}``)."""

    negated: Annotated[Condition, Field(alias="not")]

    def matches(self, facts: InquiryFacts) -> bool:
        """True when the part does not match."""
        return not self.negated.matches(facts)

    def describe(self) -> str:
        """``not (...)``."""
        return f"not ({self.negated.describe()})"

    def trace(self, facts: InquiryFacts) -> ConditionTrace:
        """The part's trace, inverted."""
        part = self.negated.trace(facts)
        detail = "the part failed" if not part.held else "the part held"
        return ConditionTrace(description="not", held=not part.held, detail=detail, parts=(part,))

    def depth(self) -> int:
        """1 + the part's depth."""
        return 1 + self.negated.depth()


def _tag(value: Any) -> str:
    if isinstance(value, _Condition):
        return _TAGS[type(value)]
    if not isinstance(value, Mapping):
        return "invalid"
    keys = set(value)
    if not keys or keys == {"always"}:
        tag = "always"
    elif keys <= set(FIELD_KEYS):
        tag = "field"
    elif keys <= set(_KEYWORD_KEYS):
        tag = "keywords"
    else:
        tag = next((k for k in _COMBINATOR_KEYS if keys == {k}), "invalid")
    return tag


def _split_mixed(value: Any) -> Any:
    """Read a table mixing several kinds of keys as ``all`` of its parts."""
    if not isinstance(value, Mapping) or _tag(value) != "invalid":
        return value
    unknown = set(value) - {*FIELD_KEYS, *_KEYWORD_KEYS, *_COMBINATOR_KEYS, "always"}
    if unknown:
        known = ", ".join((*FIELD_KEYS, *_KEYWORD_KEYS, *_COMBINATOR_KEYS, "always"))
        raise ValueError(f"unknown condition key(s) {sorted(unknown)}; use {known}")
    parts: list[Any] = []
    fields = {k: v for k, v in value.items() if k in FIELD_KEYS}
    keywords = {k: v for k, v in value.items() if k in _KEYWORD_KEYS}
    if fields:
        parts.append(fields)
    if keywords:
        parts.append(keywords)
    parts.extend({key: value[key]} for key in _COMBINATOR_KEYS if key in value)
    if "always" in value:
        parts.append({"always": value["always"]})
    return {"all": parts}


Condition = Annotated[
    Annotated[FieldCondition, Tag("field")]
    | Annotated[KeywordCondition, Tag("keywords")]
    | Annotated[AllOf, Tag("all")]
    | Annotated[AnyOf, Tag("any")]
    | Annotated[Not, Tag("not")]
    | Annotated[Always, Tag("always")],
    Discriminator(
        _tag,
        custom_error_type="condition",
        custom_error_message=(
            "a condition is a table of field tests, keywords (any_keywords / all_keywords), "
            "all, any, not or always"
        ),
    ),
    BeforeValidator(_split_mixed),
]
"""Any condition; the keys of the table tell which kind."""

_TAGS: dict[type[_Condition], str] = {
    FieldCondition: "field",
    KeywordCondition: "keywords",
    AllOf: "all",
    AnyOf: "any",
    Not: "not",
    Always: "always",
}

AllOf.model_rebuild()
AnyOf.model_rebuild()
Not.model_rebuild()

"""A routing rule: a name, a condition, a destination and optional effects."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from vss_care_core.models import CareModel, Priority
from vss_care_core.routing._conditions import Always, Condition
from vss_care_core.routing._directory import UNIT_CODE_PATTERN

__all__ = ["PROVINCIAL_OFFICE", "Effects", "Rule", "TableProblem"]

PROVINCIAL_OFFICE = "provincial-office"
"""The destination "the provincial office of the requester's province"."""

_Tag = Annotated[str, Field(min_length=1, max_length=60, pattern=r"^[a-z0-9][a-z0-9_.\-]*$")]
_UnitCode = Annotated[str, Field(pattern=UNIT_CODE_PATTERN)]
_Destination = Annotated[str, Field(pattern=r"^(?:provincial-office|[A-Z0-9][A-Z0-9_.\-]{0,39})$")]


class Effects(CareModel):
    """What a rule does besides choosing the unit: raise the priority, add tags.

    ``raise_priority`` raises the priority to at least that level (never lowers it).
    """

    raise_priority: Priority | None = None
    tags: Annotated[tuple[_Tag, ...], Field(max_length=20)] = ()


class Rule(CareModel):
    """One routing rule.

    ``destination`` is a unit code or ``"provincial-office"`` (the office of the requester's
    province); ``fallback`` is the unit used when that province is unknown. A rule without
    ``when`` matches every inquiry.

    >>> rule = Rule(name="khiếu nại", when={"kind": ["complaint"]},
    ...             destination="provincial-office", fallback="VSS-KT")
    >>> rule.when.describe()
    'kind in [complaint]'
    """

    name: Annotated[str, Field(min_length=1, max_length=100)]
    description: Annotated[str, Field(max_length=1000)] | None = None
    when: Condition = Always()
    destination: _Destination
    fallback: _UnitCode | None = None
    effects: Effects = Effects()

    @property
    def to_provincial_office(self) -> bool:
        """True when the rule sends to the requester's provincial office."""
        return self.destination == PROVINCIAL_OFFICE


class TableProblem(CareModel):
    """One problem found in a routing table.

    ``code`` is one of ``invalid``, ``duplicate-name``, ``unknown-unit``, ``unknown-topic``,
    ``too-deep``, ``too-many-rules``, ``never-matches``, ``shadowed``, ``no-fallback`` and
    ``no-default``; ``rule`` names the rule concerned (None for the table as a whole).
    """

    code: Literal[
        "invalid",
        "duplicate-name",
        "unknown-unit",
        "unknown-topic",
        "too-deep",
        "too-many-rules",
        "never-matches",
        "shadowed",
        "no-fallback",
        "no-default",
    ]
    rule: str | None = None
    position: int | None = None
    message: str

    def __str__(self) -> str:
        if self.rule is None and self.position is None:
            return self.message
        label = f"rule {self.position}" if self.position is not None else "rule"
        if self.rule is not None:
            label += f" {self.rule!r}"
        return f"{label}: {self.message}"

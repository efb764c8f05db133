"""Assignment of a case to an agent (cán bộ) within the unit it was routed to.

Deterministic: the same case, agents and cursor give the same assignment. Round-robin keeps its
place in an explicit, immutable :class:`RoundRobinCursor` that the caller passes in and gets
back; there is no hidden state.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Annotated, Any, Literal, Protocol

from pydantic import Field

from vss_care_core.errors import InvalidInputError, TransitionNotAllowed
from vss_care_core.models import CareModel, Classification, Event, Inquiry, PolicyArea
from vss_care_core.routing._directory import UNIT_CODE_PATTERN, Directory, vss_directory

__all__ = [
    "Agent",
    "AssignableCase",
    "Assignment",
    "RoundRobinCursor",
    "assign",
    "record_assignment",
]

Strategy = Literal["least_loaded", "round_robin"]
_UnitCode = Annotated[str, Field(pattern=UNIT_CODE_PATTERN)]
_Language = Annotated[str, Field(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")]


class _SidePath(Protocol):
    @property
    def requires(self) -> tuple[str, ...]: ...

    @property
    def target(self) -> str: ...


class _Vocabulary(Protocol):
    """What assignment reads of a process definition: its tags, never its names."""

    def steps_tagged(self, tag: str) -> tuple[str, ...]: ...

    def actions_tagged(self, tag: str) -> frozenset[str]: ...

    def side_path(self, action: str) -> _SidePath: ...


class AssignableCase(Protocol):
    """What assignment needs of a case; :class:`vss_care_core.process.Case` has it all."""

    @property
    def definition(self) -> _Vocabulary:
        """The case's process definition."""

    @property
    def inquiry(self) -> Inquiry:
        """The inquiry the case handles."""

    @property
    def state(self) -> str:
        """The current state code."""

    @property
    def classification(self) -> Classification | None:
        """The classification recorded so far, if any."""

    def allowed(self) -> tuple[str, ...]:
        """The moves possible now."""

    def complete(self, step_code: str, *, at: datetime, by: str, **data: Any) -> Event:
        """Complete the current step."""

    def fire(self, action: str, *, at: datetime, by: str, **data: Any) -> Event:
        """Take a side path."""


class Agent(CareModel):
    """An agent (cán bộ) who can take cases in a unit.

    ``policy_areas`` are the agent's skills (empty: every area); ``languages`` the languages the
    agent answers in; ``capacity`` the most open cases the agent takes; ``open_cases`` how many
    the agent has now; ``available`` False when absent or off shift.

    >>> Agent(id="hue-01", unit="BHXH-HUE", policy_areas=["health"], capacity=10).languages
    ('vi',)
    """

    id: Annotated[str, Field(min_length=1, max_length=64)]
    unit: _UnitCode
    policy_areas: tuple[PolicyArea, ...] = ()
    languages: Annotated[tuple[_Language, ...], Field(min_length=1)] = ("vi",)
    capacity: Annotated[int, Field(ge=0, le=10_000)]
    open_cases: Annotated[int, Field(ge=0)] = 0
    available: bool = True

    @property
    def load(self) -> float:
        """Open cases as a share of capacity (1.0 or more: full)."""
        return 1.0 if self.capacity == 0 else self.open_cases / self.capacity


class RoundRobinCursor(CareModel):
    """Where round-robin stands in each unit: the id of the agent who got the last case.

    Immutable: :func:`assign` returns the next cursor in its :class:`Assignment`.

    >>> RoundRobinCursor().last_for("BHXH-HUE") is None
    True
    """

    last: Mapping[str, str] = Field(default_factory=dict)

    def last_for(self, unit: str) -> str | None:
        """The agent who got the unit's last case, or None."""
        return self.last.get(unit)

    def advanced(self, unit: str, agent_id: str) -> RoundRobinCursor:
        """A new cursor with ``agent_id`` as the unit's last agent."""
        return RoundRobinCursor(last={**self.last, unit: agent_id})


class Assignment(CareModel):
    """Who takes a case: an agent of the unit, or the parent unit when no agent qualifies.

    ``reason`` says why, in words fit for the case's history (agent ids and counts, never the
    requester's data). ``cursor`` is the round-robin cursor to pass to the next call.
    """

    unit: str
    agent: str | None
    overflow: bool
    strategy: Strategy
    reason: str
    cursor: RoundRobinCursor | None = None


def _areas_of(case: AssignableCase) -> tuple[PolicyArea, ...]:
    classification = case.classification
    if classification is not None:
        return classification.policy_areas
    return case.inquiry.policy_areas


def _why_not(agent: Agent, areas: tuple[PolicyArea, ...], language: str) -> str | None:
    if not agent.available:
        return "unavailable"
    if agent.open_cases >= agent.capacity:
        return "at capacity"
    if agent.policy_areas and not set(areas) <= set(agent.policy_areas):
        return "lacks the skill"
    if language not in agent.languages:
        return "lacks the language"
    return None


def _pick_round_robin(qualified: list[Agent], last: str | None) -> Agent:
    ordered = sorted(qualified, key=lambda a: a.id)
    if last is not None:
        for agent in ordered:
            if agent.id > last:
                return agent
    return ordered[0]


def assign(
    case: AssignableCase,
    agents: Iterable[Agent],
    *,
    unit: str,
    strategy: Strategy = "least_loaded",
    cursor: RoundRobinCursor | None = None,
    directory: Directory | None = None,
) -> Assignment:
    """Choose the agent of ``unit`` who takes ``case``, or overflow to the parent unit.

    An agent qualifies when available, under capacity, skilled in every policy area of the case
    (its classification's, else its inquiry's) and speaking the inquiry's language.

    - ``least_loaded``: the qualified agent with the lowest load (open cases / capacity), then
      the fewest open cases, then the smallest id.
    - ``round_robin``: the qualified agent whose id follows the unit's last one in ``cursor``
      (in id order, wrapping round); the next cursor is returned in the assignment.

    When no agent qualifies, the case overflows to the unit's parent in the directory (and
    stays with the unit, unassigned, when it has none).
    """
    directory = directory if directory is not None else vss_directory()
    if unit not in directory:
        raise InvalidInputError(f"unit {unit!r} is not in the directory: route the case first")
    if strategy not in ("least_loaded", "round_robin"):
        raise InvalidInputError(
            f"strategy {strategy!r} is unknown: use 'least_loaded' or 'round_robin'"
        )
    areas = _areas_of(case)
    language = case.inquiry.language
    qualified: list[Agent] = []
    refused: dict[str, int] = {}
    for agent in sorted((a for a in agents if a.unit == unit), key=lambda a: a.id):
        why = _why_not(agent, areas, language)
        if why is None:
            qualified.append(agent)
        else:
            refused[why] = refused.get(why, 0) + 1
    needs = ", ".join(areas) or "no particular area"
    if qualified:
        if strategy == "least_loaded":
            chosen = min(qualified, key=lambda a: (a.load, a.open_cases, a.id))
            how = f"least loaded ({chosen.open_cases}/{chosen.capacity} open cases)"
            next_cursor = cursor
        else:
            current = cursor or RoundRobinCursor()
            chosen = _pick_round_robin(qualified, current.last_for(unit))
            how = "next in turn (round robin)"
            next_cursor = current.advanced(unit, chosen.id)
        reason = (
            f"assigned to agent {chosen.id} of {unit}: {how}, among {len(qualified)} qualified "
            f"agent(s) for {needs} in language {language}"
        )
        return Assignment(
            unit=unit,
            agent=chosen.id,
            overflow=False,
            strategy=strategy,
            reason=reason,
            cursor=next_cursor,
        )
    counts = ", ".join(f"{n} {why}" for why, n in sorted(refused.items())) or "no agents"
    parent = directory.parent_of(unit)
    target = unit if parent is None else parent.code
    where = f"overflow to the parent unit {target}" if parent else "left unassigned in the unit"
    reason = f"no agent of {unit} qualifies for {needs} in language {language} ({counts}): {where}"
    return Assignment(
        unit=target,
        agent=None,
        overflow=parent is not None,
        strategy=strategy,
        reason=reason,
        cursor=cursor,
    )


def record_assignment(
    case: AssignableCase,
    assignment: Assignment,
    *,
    at: datetime,
    by: str,
    event_id: str | None = None,
) -> tuple[Event, ...]:
    """Record an assignment on the case through its process; return the events recorded.

    The process's vocabulary decides the moves:

    - at a step tagged ``assignment`` (the written process's ``assign``): completes it with
      ``unit=``, ``assignee=`` (when an agent was chosen) and ``reason=``;
    - where a side path tagged ``transfer`` leads back to such a step (``reassign`` later in
      the written process): takes it, then completes the step as above;
    - where a side path tagged ``transfer`` names the new assignee (a call's ``transfer``,
      which requires ``to=``): takes it with ``to=`` the agent (or the unit) and ``reason=``.

    A move the process does not allow now raises
    :class:`~vss_care_core.errors.TransitionNotAllowed` and leaves the case unchanged.
    With ``event_id=``, recording the same assignment again is a no-op (the move back to the
    assignment step, when there is one, gets ``event_id + ".reassign"``).
    """
    ids: dict[str, Any] = {} if event_id is None else {"event_id": event_id}
    data: dict[str, Any] = {"unit": assignment.unit, "reason": assignment.reason, **ids}
    if assignment.agent is not None:
        data["assignee"] = assignment.agent
    definition = case.definition
    assigning = definition.steps_tagged("assignment")
    if case.state in assigning:
        return (case.complete(case.state, at=at, by=by, **data),)
    transfers = [a for a in case.allowed() if a in definition.actions_tagged("transfer")]
    for action in transfers:
        target = definition.side_path(action).target
        if target in assigning:
            first = {} if event_id is None else {"event_id": f"{event_id}.reassign"}
            moved = case.fire(action, at=at, by=by, reason=assignment.reason, **first)
            return (moved, case.complete(target, at=at, by=by, **data))
    for action in transfers:
        if "to" in definition.side_path(action).requires:
            to = assignment.agent or assignment.unit
            return (case.fire(action, at=at, by=by, to=to, reason=assignment.reason, **ids),)
    raise TransitionNotAllowed(
        "record an assignment",
        case.state,
        case.allowed(),
        ("no step or side path of the process records an assignment now",),
    )

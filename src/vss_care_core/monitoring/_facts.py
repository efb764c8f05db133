"""What the KPIs keep of one case while it is open, and what it contributes when it ends.

An open case keeps its *shape* (its sequence of moves so far), the moves' times and the facts
its events' data established (by the process layer's one fold,
:func:`~vss_care_core.process.fold_facts`); the events themselves are not kept. The shapes met
in a log form a tree (:class:`Shape`: each shape leads to the shapes one move longer), so that
a case follows its history by one step in the tree per event; what a shape means is worked
out once, in its node: the transition of its last move, whether it ends the case, and when it
does, what the sequence means for measuring (outcome, answered, transfers..., from
:func:`~vss_care_core.process.summarise`, read from the process definition's vocabulary, never
from names). A contact centre's cases follow a few dozen shapes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import NamedTuple

from vss_care_core.models import VIETNAM_TZ, Channel, Event, Inquiry, Move, ProcessFamily
from vss_care_core.monitoring._decode import EventFields
from vss_care_core.process import (
    KNOWLEDGE_ENTRY_KEY,
    KNOWLEDGE_USED_KEY,
    MASTER_CASE_KEY,
    CaseFacts,
    MoveSummary,
    ProcessDefinition,
    Transition,
    fold_facts,
    summarise,
)

__all__ = ["Arrival", "GroupKey", "OpenCase", "Shape", "Shapes", "TimeFacts", "counted_channel"]

UNCLASSIFIED = "unclassified"
UNASSIGNED = "unassigned"
_MAX_SHAPES = 4096
"""How many shapes one tree keeps (an unusual shape past it is worked out for its case alone)."""

_HANDLED_BY = {ProcessFamily.CALL: Channel.PHONE.value, ProcessFamily.WRITTEN: Channel.POST.value}
"""The channel a case is handled in when its process is not the one of its inquiry's channel:
a written follow-up of an escalated call answers by an official letter (the post channel)."""


def counted_channel(inquiry_channel: str, family: ProcessFamily) -> str:
    """The channel a case is counted under: the one it is handled in.

    A case whose process belongs to its inquiry's channel (a call of a phone inquiry, a written
    case of an e-mail) is counted under that channel. A case handled in the other family, such
    as the written follow-up of an escalated call, is counted under the channel of its own
    process: ``post`` for a written case (the answer is an official letter), ``phone`` for a
    call. So the escalated call counts once, under phone, and its follow-up under post.

    >>> [counted_channel(channel, ProcessFamily.WRITTEN) for channel in ("email", "phone")]
    ['email', 'post']
    """
    try:
        own = Channel(inquiry_channel).process_family
    except ValueError:
        return inquiry_channel
    return inquiry_channel if own is family else _HANDLED_BY[family]


@dataclass(frozen=True, slots=True)
class Arrival:
    """What the KPIs keep of an inquiry until its case ends (the inquiry itself is not kept)."""

    id: str
    channel: str
    kind: str | None
    topic: str | None
    priority: str
    received_at: datetime
    keys: tuple[str, ...]
    """Digests of the requester's identifiers (:func:`requester_key`), to recognise the same
    requester asking again without keeping the identifiers."""

    @classmethod
    def of(cls, inquiry: Inquiry) -> Arrival:
        """The arrival of ``inquiry`` (enumerations as their recorded values)."""
        return cls(
            id=inquiry.id,
            channel=inquiry.channel.value,
            kind=inquiry.kind.value if inquiry.kind is not None else None,
            topic=inquiry.topic or None,
            priority=inquiry.priority.value,
            received_at=inquiry.received_at,
            keys=tuple(requester_key(identifier) for identifier in inquiry.requester.identifiers),
        )


def requester_key(identifier: str) -> str:
    """A digest of a requester's identifier: equal identifiers give equal digests, so a
    re-contact is recognised, while the identifier itself is neither kept in memory nor
    written in a saved state (BLAKE2b, 96 bits: no collision expected below 10^12 keys)."""
    return hashlib.blake2b(identifier.encode(), digest_size=12).hexdigest()


class GroupKey(NamedTuple):
    """The group a case is counted in: its channel, unit, kind and local day of opening."""

    channel: str
    unit: str
    kind: str
    day: str


class TimeFacts(NamedTuple):
    """The times of an ended case that the KPIs add up, in seconds."""

    received: float
    """When the inquiry arrived (or the case opened, if earlier), as a POSIX timestamp."""
    ended: float
    """When the case ended, as a POSIX timestamp."""
    wait: float
    """From opening to the answering step's completion (or to the end, if never answered)."""
    handle: float
    """From the answering step's completion to the end, plus the recorded wrap-up time."""


MoveParts = tuple[str, str | None, str, str | None]
"""What a :class:`~vss_care_core.models.Move` holds: action, from state, to state, step."""


class Shapes:
    """The tree of the shapes met in a log: one root per process, the empty sequence."""

    def __init__(self) -> None:
        self._roots: dict[str, Shape] = {}
        self.size = 0
        """How many shapes the tree holds (at most :data:`_MAX_SHAPES`)."""

    def root(self, definition: ProcessDefinition) -> Shape:
        """The empty sequence of moves of ``definition``."""
        found = self._roots.get(definition.name)
        if found is None or found.definition is not definition:
            found = self._roots[definition.name] = Shape(self, definition, ())
        return found

    def of(self, definition: ProcessDefinition, moves: Iterable[Move]) -> Shape:
        """The shape of ``moves``, from the root of ``definition``."""
        shape = self.root(definition)
        for move in moves:
            shape = shape.then(move)
        return shape


class Shape:
    """A sequence of moves of a process (a history's *shape*), a node of a :class:`Shapes`.

    :meth:`then` gives the shape one move longer, the same node each time the same move
    follows (up to the tree's bound: past it, a new node is made for its case alone). Each
    node works out once what its moves mean.
    """

    __slots__ = ("_next", "_summary", "_tree", "definition", "ends", "moves", "transition")

    def __init__(self, tree: Shapes, definition: ProcessDefinition, moves: tuple[Move, ...]):
        self._tree = tree
        self.definition = definition
        self.moves = moves
        """The moves, in order (0 is the opening)."""
        last = moves[-1] if moves else None
        self.transition: Transition | None = None
        """The definition's transition of the last move (None: the opening, or a stray move)."""
        if last is not None and last.action != "open":
            self.transition = definition.table.get((last.from_state or "", last.action))
        self.ends = last is not None and last.to_state in definition.outcome_set
        """The last move ends the case (it enters an outcome)."""
        self._next: dict[MoveParts, Shape] = {}
        self._summary: MoveSummary | None = None

    def then(self, move: MoveParts) -> Shape:
        """The shape of these moves followed by ``move``: a :class:`~vss_care_core.models.Move`,
        or its four values as a plain tuple (equal to the move, and cheaper to make: a report
        looks up one per event, and the move is made only for a new shape)."""
        found = self._next.get(move)
        if found is None:
            found = Shape(self._tree, self.definition, (*self.moves, Move(*move)))
            if self._tree.size < _MAX_SHAPES:
                self._tree.size += 1
                self._next[move] = found
        return found

    @property
    def summary(self) -> MoveSummary:
        """What the moves mean for measuring (:func:`~vss_care_core.process.summarise`)."""
        if self._summary is None:
            self._summary = summarise(self.definition, self.moves)
        return self._summary


@dataclass(slots=True)
class OpenCase:
    """One case while it is open: its shape and times, and the facts of its events' data."""

    case_id: str
    arrival: Arrival
    shape: Shape
    """The sequence of moves so far."""
    measured: bool
    """Opened within the report's period: counted in the figures."""
    opened_on: date
    """The local date of opening (the case's day in the report)."""
    channel: str
    """The channel the case is counted under (see :func:`counted_channel`)."""
    times: list[datetime] = field(default_factory=list)
    """The time of each move."""
    held: list[str | None] = field(default_factory=list)
    """The unit holding the case after each move (the facts' ``unit``; None before any), as
    :func:`~vss_care_core.process.units_held` gives it: for clocks counted on each unit's
    calendar."""
    facts: CaseFacts = field(default_factory=CaseFacts)
    last_seq: int = 0
    whole: bool = True
    """Every event seen, numbered without a gap and in time order (needed to judge its SLA)."""
    wrap_up: float = 0.0
    """Seconds of after-call work recorded (``wrap_up_seconds=`` on any move)."""
    from_master: bool = False
    """Answered with a master answer (a move recorded ``master_case=``)."""
    knowledge: bool | None = None
    """Whether the answer used the knowledge-base entry suggested for it (``knowledge_used=``
    on the answering move); None when no entry was suggested."""

    @classmethod
    def opened(
        cls, event: Event | EventFields, arrival: Arrival, root: Shape, *, period: Period
    ) -> OpenCase:
        """The case that ``event`` (an ``open`` event) opens for ``arrival``, in a process
        whose empty shape is ``root``."""
        day = event.at.astimezone(VIETNAM_TZ).date()
        case = cls(
            case_id=event.case_id,
            arrival=arrival,
            shape=root,
            measured=period.includes(day),
            opened_on=day,
            channel=counted_channel(arrival.channel, root.definition.family),
        )
        case.follow(event)
        return case

    @property
    def definition(self) -> ProcessDefinition:
        """The case's process."""
        return self.shape.definition

    @property
    def moves(self) -> tuple[Move, ...]:
        """The moves so far, in order."""
        return self.shape.moves

    def follow(self, event: Event | EventFields) -> bool:
        """Take the next ``event`` of the case into account; True when it ends the case.

        An event already seen (its ``seq`` not past the last one) is ignored.
        """
        if event.seq <= self.last_seq:
            return False  # delivered again: already counted
        if event.seq != self.last_seq + 1 or (self.times and event.at < self.times[-1]):
            self.whole = False
        self.last_seq = event.seq
        shape = self.shape = self.shape.then(
            (event.action, event.from_state, event.to_state, event.step)
        )
        self.times.append(event.at)
        data = event.data
        if data and event.action != "open":
            if shape.transition is not None:
                self.facts = fold_facts(self.facts, shape.transition, data, keep_answer=False)
            if MASTER_CASE_KEY in data:
                self.from_master = True
            if KNOWLEDGE_ENTRY_KEY in data:
                self.knowledge = data.get(KNOWLEDGE_USED_KEY) is True
            wrap_up = data.get("wrap_up_seconds")
            if isinstance(wrap_up, int | float) and not isinstance(wrap_up, bool) and wrap_up > 0:
                self.wrap_up += float(wrap_up)
        self.held.append(self.facts.unit)
        return shape.ends

    @property
    def kind(self) -> str | None:
        """The kind as classified, else the inquiry's."""
        classification = self.facts.classification
        return classification.kind.value if classification is not None else self.arrival.kind

    @property
    def topic(self) -> str | None:
        """The topic as classified, else the inquiry's."""
        classification = self.facts.classification
        if classification is not None and classification.topic:
            return classification.topic
        return self.arrival.topic

    @property
    def group(self) -> GroupKey:
        """The group the case is counted in."""
        return GroupKey(
            channel=self.channel,
            unit=self.facts.unit or UNASSIGNED,
            kind=self.kind or UNCLASSIFIED,
            day=self.opened_on.isoformat(),
        )

    def time_facts(self, summary: MoveSummary) -> TimeFacts:
        """The case's times, read with the summary of its moves."""
        times = self.times
        opened, last = times[0], times[-1]
        received = min(self.arrival.received_at, opened)
        answered = summary.answered_index
        if answered is None:
            wait, handle = (last - opened).total_seconds(), 0.0
        else:
            wait = (times[answered] - opened).total_seconds()
            handle = (last - times[answered]).total_seconds() + self.wrap_up
        return TimeFacts(
            received=received.timestamp(), ended=last.timestamp(), wait=wait, handle=handle
        )


@dataclass(frozen=True, slots=True)
class Period:
    """The local dates of opening a report measures (both ends included; None: open)."""

    start: date | None = None
    end: date | None = None

    def includes(self, day: date) -> bool:
        """True when a case opened on ``day`` is measured."""
        if self.start is not None and day < self.start:
            return False
        return self.end is None or day <= self.end

"""The audit record: one move on one case, append-only."""

from __future__ import annotations

import itertools
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import datetime
from functools import cache
from types import MappingProxyType
from typing import Annotated, Any, Literal, NamedTuple, Self

from pydantic import (
    ConfigDict,
    Field,
    JsonValue,
    PlainSerializer,
    TypeAdapter,
    with_config,
)
from pydantic_core import CoreConfig, SchemaValidator

from vss_care_core.models._base import Moment

__all__ = ["Event", "Move", "move_of", "new_event_id", "trusted_event"]

_Name = Annotated[str, Field(min_length=1, max_length=64)]
_EMPTY: Mapping[str, JsonValue] = MappingProxyType({})
_Data = Annotated[Mapping[str, JsonValue], PlainSerializer(dict, return_type=dict[str, JsonValue])]


_PROCESS_PREFIX = os.urandom(6).hex()
_COUNTER = itertools.count(1)


def new_event_id() -> str:
    """A new unique event identifier.

    A random 48-bit prefix drawn once per process, then a counter: unique within the process,
    and across processes unless two draw the same prefix (one chance in 2**24 for 4,096 processes).
    """
    return f"{_PROCESS_PREFIX}{next(_COUNTER):x}"


@with_config(ConfigDict(extra="forbid", hide_input_in_errors=True))
@dataclass(frozen=True, slots=True, kw_only=True)
class Event:
    """One recorded move on a case (bản ghi nhật ký): who did what, when, from which state.

    A case's history is the ordered tuple of its events; replaying them rebuilds the case.
    ``seq`` is the event's 1-based position in the history, so the case's version after the
    event equals ``seq``. ``action`` is ``"open"``, ``"complete"`` (with the completed ``step``)
    or the name of a side path (``"hold"``, ``"request_info"``...). ``data`` holds what the move
    carried (a classification, an answer, a note) as JSON values; it is read-only.

    Events are small immutable values (a slotted dataclass, not a pydantic model, because a case
    holds many of them); they offer the pydantic-style methods ``model_validate``,
    ``model_validate_json``, ``model_dump``, ``model_dump_json`` and ``model_json_schema``.

    >>> from datetime import datetime, timezone
    >>> event = Event(case_id="c-1", seq=1, at=datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc),
    ...               by="agent-7", action="open", to_state="greet", id="e-1")
    >>> Event.model_validate_json(event.model_dump_json()) == event
    True
    """

    case_id: _Name
    seq: Annotated[int, Field(ge=1)]
    at: Moment
    by: Annotated[str, Field(min_length=1, max_length=100)]
    action: _Name
    to_state: _Name
    step: _Name | None = None
    from_state: _Name | None = None
    data: _Data = field(default_factory=lambda: _EMPTY)
    id: _Name = field(default_factory=new_event_id)
    """The event's unique id; a new random one when not given (``None`` also means "new")."""

    def __post_init__(self) -> None:
        if not isinstance(self.data, MappingProxyType):
            frozen = MappingProxyType(dict(self.data)) if self.data else _EMPTY
            object.__setattr__(self, "data", frozen)

    def __hash__(self) -> int:
        return hash((self.case_id, self.seq, self.id))

    def __reduce__(self) -> tuple[Any, tuple[dict[str, Any]]]:
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        values["data"] = dict(self.data)
        return (_event_from_values, (values,))

    @classmethod
    def model_validate(cls, value: Any) -> Self:
        """Validate a mapping (or an ``Event``) into an ``Event``; raises ``ValidationError``."""
        return _validator().validate_python(value)  # type: ignore[no-any-return]

    @classmethod
    def model_validate_json(cls, text: str | bytes) -> Self:
        """Validate a JSON document into an ``Event``; raises ``ValidationError``."""
        return _validator().validate_json(text)  # type: ignore[no-any-return]

    def model_dump(self, *, mode: Literal["json", "python"] = "python") -> dict[str, Any]:
        """The event as a dictionary (``mode="json"`` for JSON-compatible values)."""
        dumped: dict[str, Any] = _adapter().dump_python(self, mode=mode)
        return dumped

    def model_dump_json(self) -> str:
        """The event as a compact JSON document."""
        return _adapter().dump_json(self).decode("utf-8")

    @classmethod
    def model_json_schema(cls) -> dict[str, Any]:
        """The JSON Schema of an event."""
        return _adapter().json_schema()


class Move(NamedTuple):
    """What an event does, without when, by whom or with what."""

    action: str
    from_state: str | None
    to_state: str
    step: str | None


def move_of(event: Event) -> Move:
    """The :class:`Move` an event records."""
    return Move(event.action, event.from_state, event.to_state, event.step)


def trusted_event(
    *,
    case_id: str,
    seq: int,
    at: datetime,
    by: str,
    action: str,
    to_state: str,
    step: str | None,
    from_state: str | None,
    data: Mapping[str, JsonValue],
    id: str,
) -> Event:
    """An event from values the library's own layers have already checked (not validated
    again); ``data`` is a read-only mapping."""
    event: Event = make_event(case_id, seq, at, by, action, to_state, step, from_state, data, id)
    return event


def _fast_init() -> Any:
    """A constructor that sets the slots directly: a case records many events, and the
    generated frozen-dataclass ``__init__`` costs three times as much for the same result."""
    slots = {name: getattr(Event, name).__set__ for name in Event.__slots__}
    set_case, set_seq, set_at, set_by = (slots[n] for n in ("case_id", "seq", "at", "by"))
    set_action, set_to, set_step = slots["action"], slots["to_state"], slots["step"]
    set_from, set_data, set_id = slots["from_state"], slots["data"], slots["id"]
    proxy = MappingProxyType

    def __init__(  # noqa: N807 - installed as Event.__init__
        self: Event,
        *,
        case_id: str,
        seq: int,
        at: datetime,
        by: str,
        action: str,
        to_state: str,
        step: str | None = None,
        from_state: str | None = None,
        data: Mapping[str, JsonValue] = _EMPTY,
        id: str | None = None,
    ) -> None:
        set_case(self, case_id)
        set_seq(self, seq)
        set_at(self, at)
        set_by(self, by)
        set_action(self, action)
        set_to(self, to_state)
        set_step(self, step)
        set_from(self, from_state)
        if type(data) is not proxy:
            data = proxy(dict(data)) if data else _EMPTY
        set_data(self, data)
        set_id(self, id if id is not None else new_event_id())

    __init__.__doc__ = Event.__init__.__doc__
    return __init__


Event.__init__ = _fast_init()  # type: ignore[method-assign]


def _positional_maker() -> Any:
    slot = {name: getattr(Event, name).__set__ for name in Event.__slots__}
    s_case, s_seq, s_at, s_by = slot["case_id"], slot["seq"], slot["at"], slot["by"]
    s_action, s_to, s_step = slot["action"], slot["to_state"], slot["step"]
    s_from, s_data, s_id = slot["from_state"], slot["data"], slot["id"]
    new = object.__new__

    def make(  # noqa: PLR0917 - the hot path: positional calls cost less
        case_id: str,
        seq: int,
        at: datetime,
        by: str,
        action: str,
        to_state: str,
        step: str | None,
        from_state: str | None,
        data: Mapping[str, JsonValue],
        id: str,
    ) -> Event:
        event: Event = new(Event)
        s_case(event, case_id)
        s_seq(event, seq)
        s_at(event, at)
        s_by(event, by)
        s_action(event, action)
        s_to(event, to_state)
        s_step(event, step)
        s_from(event, from_state)
        s_data(event, data)
        s_id(event, id)
        return event

    return make


make_event = _positional_maker()
"""Build an event from its ten fields in order, ``data`` already read-only; for the process
layer's hot path, which has checked every value itself."""


def _event_from_values(values: dict[str, Any]) -> Event:
    return Event(**values)


@cache
def _adapter() -> TypeAdapter[Event]:
    return TypeAdapter(Event)


@cache
def _validator() -> SchemaValidator:
    """The event validator; its errors never echo the input (it may hold personal data)."""
    return SchemaValidator(_adapter().core_schema, CoreConfig(hide_input_in_errors=True))

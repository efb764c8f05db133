"""The audit record: one move on one case, append-only."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import datetime
from functools import cache, partial
from types import MappingProxyType
from typing import Annotated, Any, Literal, NamedTuple, Self

from pydantic import (
    ConfigDict,
    Field,
    JsonValue,
    PlainSerializer,
    PlainValidator,
    Strict,
    TypeAdapter,
    WithJsonSchema,
    with_config,
)
from pydantic_core import ArgsKwargs, CoreConfig, SchemaValidator

from vss_care_core.models._base import Moment, discreetly, new_id
from vss_care_core.models._masking import mask_code
from vss_care_core.models._values import (
    MAX_BY_LENGTH,
    MAX_DATA_INTEGER,
    MAX_EVENT_ID_LENGTH,
    check_by,
    check_event_id,
    checked_data,
)

__all__ = ["Event", "Move", "move_of", "new_event_id", "trusted_event"]

_Name = Annotated[str, Field(min_length=1, max_length=64)]
_EMPTY: Mapping[str, JsonValue] = MappingProxyType({})


def new_event_id() -> str:
    """A new unique event identifier (32 hexadecimal characters, 128 random bits), drawn as
    :func:`~vss_care_core.models.new_id` draws every identifier: threads, forked workers and
    separate machines never share a sequence."""
    return new_id()


def _read_only_data(value: object) -> Mapping[str, JsonValue]:
    checked = checked_data(value)
    return MappingProxyType(checked) if checked else _EMPTY


def _event_id(value: object) -> str:
    checked = check_event_id(value)
    return new_event_id() if checked is None else checked


_By = Annotated[
    str,
    PlainValidator(check_by),
    WithJsonSchema({"type": "string", "minLength": 1, "maxLength": MAX_BY_LENGTH}),
]
_EventId = Annotated[
    str,
    PlainValidator(_event_id),
    WithJsonSchema({"type": "string", "minLength": 1, "maxLength": MAX_EVENT_ID_LENGTH}),
]
_Data = Annotated[
    Mapping[str, JsonValue],
    PlainValidator(_read_only_data),
    PlainSerializer(dict, return_type=dict[str, JsonValue]),
    WithJsonSchema({"type": "object", "description": "What the move carried, as JSON values."}),
]


def _shown(value: str | None) -> str:
    return "None" if value is None else repr(mask_code(value))


def _shown_data(data: Mapping[str, JsonValue]) -> str:
    """The data's keys with their values hidden (True, False and None are shown)."""
    items = (
        f"{key!r}: {value!r}" if value is None or isinstance(value, bool) else f"{key!r}: …"
        for key, value in data.items()
    )
    return "{" + ", ".join(items) + "}"


@with_config(ConfigDict(extra="forbid", hide_input_in_errors=True))
@dataclass(frozen=True, slots=True, kw_only=True, init=False, repr=False)
class Event:
    """One recorded move on a case (bản ghi nhật ký): who did what, when, from which state.

    A case's history is the ordered tuple of its events; replaying them rebuilds the case.
    ``seq`` is the event's 1-based position in the history, so the case's version after the
    event equals ``seq``. ``action`` is ``"open"``, ``"complete"`` (with the completed ``step``)
    or the name of a side path (``"hold"``, ``"request_info"``...). ``data`` holds what the move
    carried (a classification, an answer, a note) as JSON values; it is read-only.

    ``Event(...)`` validates its values with the same rules as ``Event.model_validate``: an
    aware ``at`` from 1990 to 2200, ``seq`` a whole number (not a text) from 1, ``by`` and
    ``id`` as :func:`check_event_values` says, data that can be written as JSON and read back
    equal. Validation errors never echo the input,
    and ``repr`` masks the data's values. :func:`trusted_event` builds an event from values the
    library has already checked, without checking them again.

    Events are small immutable values (a slotted dataclass, not a pydantic model, because a case
    holds many of them); they offer the pydantic-style methods ``model_validate``,
    ``model_validate_json``, ``model_dump``, ``model_dump_json`` and ``model_json_schema``.

    >>> from datetime import datetime, timezone
    >>> event = Event(case_id="c-1", seq=1, at=datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc),
    ...               by="agent-7", action="open", to_state="greet", id="e-1",
    ...               data={"note": "Khách gọi từ 0912345678", "verified": True})
    >>> Event.model_validate_json(event.model_dump_json()) == event
    True
    >>> event.data["note"]
    'Khách gọi từ 0912345678'
    >>> event  # doctest: +NORMALIZE_WHITESPACE
    Event(case_id='c-1', seq=1,
          at=datetime.datetime(2026, 3, 2, 1, 0, tzinfo=datetime.timezone.utc), by='agent-7',
          action='open', to_state='greet', step=None, from_state=None,
          data={'note': …, 'verified': True}, id='e-1')
    """

    case_id: _Name
    seq: Annotated[int, Strict(), Field(ge=1, le=MAX_DATA_INTEGER)]
    at: Moment
    by: _By
    action: _Name
    to_state: _Name
    step: _Name | None = None
    from_state: _Name | None = None
    data: _Data = field(default_factory=lambda: _EMPTY)
    id: _EventId = field(default_factory=new_event_id)
    """The event's unique id; a new random one when not given (``None`` also means "new")."""

    def __init__(
        self,
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
        values = {
            "case_id": case_id,
            "seq": seq,
            "at": at,
            "by": by,
            "action": action,
            "to_state": to_state,
            "step": step,
            "from_state": from_state,
            "data": data,
            "id": id,
        }
        discreetly(
            partial(_validator().validate_python, ArgsKwargs((), values), self_instance=self)
        )

    def __hash__(self) -> int:
        return hash((self.case_id, self.seq, self.id))

    def __repr__(self) -> str:
        return (
            f"Event(case_id={_shown(self.case_id)}, seq={self.seq}, at={self.at!r}, "
            f"by={_shown(self.by)}, action={_shown(self.action)}, "
            f"to_state={_shown(self.to_state)}, step={_shown(self.step)}, "
            f"from_state={_shown(self.from_state)}, data={_shown_data(self.data)}, "
            f"id={_shown(self.id)})"
        )

    def __reduce__(self) -> tuple[Any, tuple[dict[str, Any]]]:
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        values["data"] = dict(self.data)
        return (_event_from_values, (values,))

    @classmethod
    def model_validate(cls, value: Any) -> Self:
        """Validate a mapping (or an ``Event``) into an ``Event``; raises ``ValidationError``."""
        return discreetly(partial(_validator().validate_python, value))  # type: ignore[no-any-return]

    @classmethod
    def model_validate_json(cls, text: str | bytes) -> Self:
        """Validate a JSON document into an ``Event``; raises ``ValidationError``."""
        return discreetly(  # type: ignore[no-any-return]
            partial(_validator().validate_json, text), input_type="json"
        )

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
    """The library's own constructor of an event, for values it has already checked.

    Nothing is checked again: the process layer calls it for every move, after checking ``by``,
    the id and the data with :func:`check_event_values` and the rest with its definition.
    ``data`` should be read-only (a ``MappingProxyType``); any other mapping is copied into
    one. Everything else should build events with ``Event(...)`` or ``Event.model_validate``.
    """
    event = object.__new__(Event)
    if type(data) is not MappingProxyType:
        data = MappingProxyType(dict(data)) if data else _EMPTY
    object.__setattr__(event, "case_id", case_id)
    object.__setattr__(event, "seq", seq)
    object.__setattr__(event, "at", at)
    object.__setattr__(event, "by", by)
    object.__setattr__(event, "action", action)
    object.__setattr__(event, "to_state", to_state)
    object.__setattr__(event, "step", step)
    object.__setattr__(event, "from_state", from_state)
    object.__setattr__(event, "data", data)
    object.__setattr__(event, "id", id)
    return event


class Move(NamedTuple):
    """What an event does, without when, by whom or with what."""

    action: str
    """``"open"``, ``"complete"`` or a side path."""
    from_state: str | None
    """The state the case left (None for ``open``)."""
    to_state: str
    """The state the case entered."""
    step: str | None
    """The completed step (for ``complete`` only)."""


def move_of(event: Event) -> Move:
    """The :class:`Move` an event records."""
    return Move(event.action, event.from_state, event.to_state, event.step)


def _event_from_values(values: dict[str, Any]) -> Event:
    return Event(**values)


@cache
def _adapter() -> TypeAdapter[Event]:
    return TypeAdapter(Event)


@cache
def _validator() -> SchemaValidator:
    """The event validator; its errors never echo the input (it may hold personal data)."""
    return SchemaValidator(_adapter().core_schema, CoreConfig(hide_input_in_errors=True))

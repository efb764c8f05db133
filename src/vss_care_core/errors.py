"""Every error the library raises, in one tree.

Each error is a :class:`CareCoreError`; most also inherit the built-in exception a caller would
naturally catch, so ``except ValueError`` keeps working::

    CareCoreError
    ├── InvalidInputError (ValueError, TypeError) bad data given to the library
    │   ├── InvalidIdentifierError              a CCCD, BHXH number, MST or phone that is not valid
    │   ├── NaiveDatetimeError                  a datetime without a time zone
    │   └── InvalidEventError                   an event that cannot be applied
    ├── UnknownNameError (KeyError)             a lookup by name found nothing (close matches given)
    ├── DefinitionError (ValueError)            configuration refused when it is built
    │   ├── ProcessDefinitionError              a process definition (steps, side paths)
    │   ├── CalendarError                       a working calendar
    │   ├── SlaPolicyError                      an SLA target or policy
    │   └── RoutingTableError                   a routing table or the organisation directory
    ├── TransitionNotAllowed (ValueError)       a move the process does not allow now
    ├── ConcurrencyConflict (RuntimeError)      another writer changed the case first
    │   └── DuplicateEventError                 an event id already used for another move
    └── LogFormatError (ValueError)             a malformed line in an event log

Pydantic's own ``ValidationError``, raised when a model (an inquiry, a requester) is validated,
stays as it is: it is the convention of the pydantic ecosystem, and it is a ``ValueError``.

Messages say what was wrong and how to fix it. They never contain personal data in clear: an
identifier that is refused is shown masked (``'0792…89'``).
"""

from __future__ import annotations

from collections.abc import Sequence
from difflib import get_close_matches

__all__ = [
    "CalendarError",
    "CareCoreError",
    "ConcurrencyConflict",
    "DefinitionError",
    "DuplicateEventError",
    "InvalidEventError",
    "InvalidIdentifierError",
    "InvalidInputError",
    "LogFormatError",
    "NaiveDatetimeError",
    "ProcessDefinitionError",
    "RoutingTableError",
    "SlaPolicyError",
    "TransitionNotAllowed",
    "UnknownNameError",
]


class CareCoreError(Exception):
    """The base of every error raised by vss-care-core."""


class InvalidInputError(CareCoreError, ValueError, TypeError):
    """Data given to the library is not valid: a wrong value, or a value of the wrong type.

    It is both a ``ValueError`` and a ``TypeError``, so either ``except`` catches it.
    """


class UnknownNameError(CareCoreError, KeyError):
    """A lookup by name (a policy, a unit, a target, an outcome) found nothing.

    ``kind`` says what was looked up, ``name`` the name given, ``known`` the names that exist
    (the message shows the closest of them).
    """

    def __init__(self, kind: str, name: str, known: Sequence[str]) -> None:
        self.kind = kind
        self.name = name
        self.known = tuple(known)
        close = get_close_matches(name, self.known, n=3, cutoff=0.6)
        if close:
            hint = "did you mean " + " or ".join(repr(c) for c in close) + "?"
        elif self.known:
            shown = ", ".join(repr(k) for k in self.known[:12])
            more = ", ..." if len(self.known) > 12 else ""
            hint = f"known: {shown}{more}"
        else:
            hint = f"there is no {kind} at all"
        self.message = f"unknown {kind} {name!r}: {hint}"
        super().__init__(self.message)

    def __str__(self) -> str:
        # KeyError shows its argument's repr; a message reads better as it is.
        return self.message


class InvalidIdentifierError(InvalidInputError):
    """An identifier (CCCD, mã số BHXH, MST, phone number, e-mail) is not valid.

    ``kind`` names the identifier type; ``masked`` is the refused input with its middle hidden.
    """

    def __init__(self, kind: str, problem: str, *, masked: str) -> None:
        self.kind = kind
        self.problem = problem
        self.masked = masked
        super().__init__(f"{kind} {masked!r} is not valid: {problem}")


class NaiveDatetimeError(InvalidInputError):
    """A datetime without a time zone was given where an exact moment is needed."""

    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(
            f"{name} must be timezone-aware (got a naive datetime); attach a zone, e.g. "
            "datetime(2026, 1, 5, 8, 0, tzinfo=ZoneInfo('Asia/Ho_Chi_Minh'))"
        )


class InvalidEventError(InvalidInputError):
    """An event cannot be applied to a case (time goes backwards, wrong case, ...)."""


class DefinitionError(CareCoreError, ValueError):
    """A piece of configuration was refused when it was built.

    ``problems`` lists every problem found, so that all of them can be fixed at once.
    """

    def __init__(self, what: str, problems: Sequence[str]) -> None:
        self.what = what
        self.problems = tuple(problems)
        listed = "\n".join(f"  - {p}" for p in self.problems)
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        super().__init__(f"{what} is not valid ({count} {noun}):\n{listed}")


class ProcessDefinitionError(DefinitionError):
    """A process definition is not valid."""


class CalendarError(DefinitionError):
    """A working calendar is not valid."""


class SlaPolicyError(DefinitionError):
    """An SLA target or policy is not valid."""


class RoutingTableError(DefinitionError):
    """A routing table or organisation directory is not valid."""


class TransitionNotAllowed(CareCoreError, ValueError):  # noqa: N818 - the standard name for it
    """A move the case's process does not allow now; the case is left exactly as it was.

    ``action`` is the refused move, ``state`` the case's state, ``allowed`` the moves possible
    now, ``problems`` the reasons a guard gave (empty when the move is simply not in the table).
    """

    def __init__(
        self,
        action: str,
        state: str,
        allowed: Sequence[str],
        problems: Sequence[str] = (),
    ) -> None:
        self.action = action
        self.state = state
        self.allowed = tuple(allowed)
        self.problems = tuple(problems)
        moves = ", ".join(self.allowed) if self.allowed else "none (the case has ended)"
        if self.problems:
            reasons = "; ".join(self.problems)
            text = f"cannot {action!r} in state {state!r}: {reasons}"
        else:
            text = f"cannot {action!r} in state {state!r}; allowed now: {moves}"
        super().__init__(text)


class ConcurrencyConflict(CareCoreError, RuntimeError):  # noqa: N818 - the standard name for it
    """Another writer changed the case since the version the caller read."""

    def __init__(self, case_id: str, expected: int, actual: int) -> None:
        self.case_id = case_id
        self.expected = expected
        self.actual = actual
        super().__init__(
            f"case {case_id!r} is at version {actual}, not the expected {expected}: "
            "another writer got there first; reload the case and try again"
        )


class DuplicateEventError(ConcurrencyConflict):
    """An event id is used twice for different moves, or twice in one history.

    Replaying such a history, or making a move with an ``event_id`` already given to another
    move, would silently lose a move; it is refused. ``event_id`` is the id, ``first`` and
    ``second`` describe the two events (their ``seq`` and action); ``expected`` and ``actual``
    are both the case's version when the conflict was found.
    """

    def __init__(
        self, case_id: str, event_id: str, first: str, second: str, *, version: int
    ) -> None:
        self.event_id = event_id
        self.first = first
        self.second = second
        CareCoreError.__init__(
            self,
            f"case {case_id!r}: event id {event_id!r} is used by {first} and again by {second}; "
            "give each move its own event_id (the same id only for the same move sent again)",
        )
        self.case_id = case_id
        self.expected = self.actual = version


class LogFormatError(CareCoreError, ValueError):
    """A line of an event log is malformed; ``line`` is its 1-based number."""

    def __init__(self, line: int, problem: str) -> None:
        self.line = line
        self.problem = problem
        super().__init__(f"line {line}: {problem}")

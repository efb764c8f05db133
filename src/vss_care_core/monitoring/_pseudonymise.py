"""A log an analyst can have: identifiers replaced by keyed hashes, names and free text removed.

The event log holds what a case needs to be rebuilt: the requesters' names and identifiers, the
question's text, the answers, notes. :func:`pseudonymise` gives the same log without them:

- each requester becomes a :class:`~vss_care_core.models.Pseudonymous` one: its identifiers
  are replaced by keyed hashes (HMAC-SHA-256 with a key the operator keeps and never shares), so
  the same person has the same keys throughout the log and first-contact resolution and
  same-requester duplicates are computed unchanged; the name, contact details and address are
  dropped; the province is kept;
- the subject and content of each inquiry, and its attachments, are removed;
- in each event's data, only the values the KPIs and the processes' structure read are kept
  (classification, unit, priority, links between cases, wrap-up time...); an answer keeps its
  legal basis but not its text; every other value (notes, reasons, free text) is dropped;
- a survey response keeps its scores and loses its comment.

Without the key, a hash cannot be turned back into an identifier; with a different key, the
same log gives different hashes (a key per recipient keeps their logs unlinkable).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from vss_care_core.errors import InvalidInputError
from vss_care_core.models import Event, Inquiry, trusted_event
from vss_care_core.monitoring._eventlog import LogRecord
from vss_care_core.monitoring._satisfaction import SatisfactionResponse

__all__ = ["KEPT_DATA", "REMOVED_TEXT", "pseudonymise"]

REMOVED_TEXT = "[removed]"
"""What stands in a pseudonymised log for a removed text."""

KEPT_DATA: frozenset[str] = frozenset(
    {
        "process",
        "inquiry_id",
        "kind",
        "policy_areas",
        "topic",
        "unit",
        "assignee",
        "to",
        "agency",
        "into",
        "priority",
        "verified",
        "follow_up_case_id",
        "escalated_from",
        "master_case",
        "knowledge_entry",
        "knowledge_used",
        "wrap_up_seconds",
    }
)
"""The event data a pseudonymised log keeps: what the KPIs, the SLA judge and the case links
read. Everything else a move carried is dropped."""

_MIN_KEY_BYTES = 16


def _hash(key: bytes, identifier: str) -> str:
    digest = hmac.new(key, identifier.encode("utf-8"), hashlib.sha256).hexdigest()
    return f"p:{digest[:32]}"


def _inquiry(inquiry: Inquiry, key: bytes) -> Inquiry:
    requester = inquiry.requester
    data = inquiry.model_dump(mode="json")
    data["requester"] = {
        "type": "pseudonymous",
        "of": getattr(requester, "of", requester.type),
        "keys": [_hash(key, identifier) for identifier in requester.identifiers],
        "province": requester.province,
    }
    data["subject"] = REMOVED_TEXT
    data["content"] = REMOVED_TEXT
    data["attachments"] = []
    return Inquiry.model_validate(data)


def _data(data: Mapping[str, Any]) -> dict[str, Any]:
    kept = {name: value for name, value in data.items() if name in KEPT_DATA}
    answer = data.get("answer")
    if isinstance(answer, Mapping):
        kept["answer"] = {
            "text": REMOVED_TEXT,
            "legal_basis": answer.get("legal_basis", []),
            "discloses_personal_data": answer.get("discloses_personal_data", False),
        }
    return kept


def _event(event: Event) -> Event:
    return trusted_event(
        case_id=event.case_id,
        seq=event.seq,
        at=event.at,
        by=event.by,
        action=event.action,
        to_state=event.to_state,
        step=event.step,
        from_state=event.from_state,
        data=_data(event.data),
        id=event.id,
    )


def pseudonymise(records: Iterable[LogRecord], *, key: bytes) -> Iterator[LogRecord]:
    """The records of a log, pseudonymised with ``key`` (at least 16 bytes; keep it secret).

    The KPI report, first-contact resolution and same-requester duplicates of the result equal
    those of the original log.
    """
    if not isinstance(key, bytes) or len(key) < _MIN_KEY_BYTES:
        raise InvalidInputError(
            f"the key must be at least {_MIN_KEY_BYTES} bytes of secret (e.g. "
            "os.urandom(32), kept in a file only the operator can read)"
        )
    for record in records:
        if isinstance(record, Inquiry):
            yield _inquiry(record, key)
        elif isinstance(record, Event):
            yield _event(record)
        elif isinstance(record, SatisfactionResponse):
            yield SatisfactionResponse.model_validate({**record.model_dump(), "comment": None})
        else:
            raise InvalidInputError(f"not a log record: {type(record).__name__}")

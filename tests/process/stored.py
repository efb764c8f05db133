"""Events as a store might hold them after a case's history, for the fold's tests."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from vss_care_core.models import Event
from vss_care_core.process import Case


def stored(case: Case, action: str, data: dict[str, Any], step: str | None = None) -> Event:
    """An event as a store might hold it after the case's history (not checked by a case)."""
    last = case.history[-1]
    return Event(
        case_id=case.id,
        seq=last.seq + 1,
        at=last.at + timedelta(minutes=1),
        by="store",
        action=action,
        to_state=last.to_state,
        from_state=last.to_state,
        step=step,
        data=data,
        id=f"stored-{last.seq + 1}",
    )

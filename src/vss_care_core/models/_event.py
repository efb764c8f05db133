"""The audit record: one move on one case, append-only."""

from __future__ import annotations

from typing import Annotated

from pydantic import AwareDatetime, Field, JsonValue

from vss_care_core.models._base import CareModel, new_id

__all__ = ["Event"]

_Name = Annotated[str, Field(min_length=1, max_length=64)]


class Event(CareModel):
    """One recorded move on a case (bản ghi nhật ký): who did what, when, from which state to which.

    A case's history is the ordered tuple of its events; replaying them rebuilds the case.
    ``seq`` is the event's 1-based position in the history, so the case's version after the
    event equals ``seq``. ``action`` is ``"open"``, ``"complete"`` (with the completed ``step``)
    or the name of a side path (``"hold"``, ``"request_info"``...). ``data`` holds what the move
    carried (a classification, an answer, a note), as JSON values.
    """

    id: _Name = Field(default_factory=new_id)
    case_id: _Name
    seq: Annotated[int, Field(ge=1)]
    at: AwareDatetime
    by: Annotated[str, Field(min_length=1, max_length=100)]
    action: _Name
    step: _Name | None = None
    from_state: _Name | None = None
    to_state: _Name
    data: dict[str, JsonValue] = Field(default_factory=dict)

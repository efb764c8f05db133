"""Answer once, deliver everywhere: one approved master answer for a flood of the same question.

After a policy change the same general question arrives through every channel. One written
case, the *master*, drafts and reviews the answer once; every linked case then finishes its own
process's remaining steps with that answer (a letter's remaining steps end with the answer
posted, an e-mail's with the reply sent, an open call with the answer given), each recording
which master answer it used (``master_case=`` on the move that gives the answer).

Only general questions share an answer: one that needs the requester's identity or discloses
their records (a question about their own contributions or card) is personal, and stays a case
of its own, answered with that person's data after verification.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from vss_care_core.errors import InvalidInputError
from vss_care_core.models import Answer, Event
from vss_care_core.process._case import Case

__all__ = [
    "KNOWLEDGE_ENTRY_KEY",
    "KNOWLEDGE_USED_KEY",
    "MASTER_CASE_KEY",
    "deliver_master_answer",
    "master_answer",
]

MASTER_CASE_KEY = "master_case"
"""The data key, on the move that gives a linked case its answer, naming the master case."""

KNOWLEDGE_ENTRY_KEY = "knowledge_entry"
"""The data key, on the move that gives or drafts an answer (respond, draft), naming the
knowledge-base entry that was suggested for it."""

KNOWLEDGE_USED_KEY = "knowledge_used"
"""The data key saying whether the answer used that entry (True) or not (False)."""


def master_answer(master: Case) -> Answer:
    """The approved answer of ``master``: a case that ended with a resolved outcome and holds
    an answer that is not personal. Refused otherwise, saying why."""
    outcome = master.outcome
    if outcome is None or outcome not in master.definition.outcomes_tagged("resolved"):
        raise InvalidInputError(
            f"case {master.id!r} is not a master answer yet: its answer must be reviewed and "
            "sent first (it has not reached a resolved outcome)"
        )
    answer = master.facts.answer
    if answer is None:
        raise InvalidInputError(f"case {master.id!r} ended without an answer to share")
    if answer.discloses_personal_data:
        raise InvalidInputError(
            f"the answer of case {master.id!r} discloses the requester's own records: it is a "
            "personal answer and cannot be given to others"
        )
    return answer


def deliver_master_answer(
    case: Case, master: Case, *, at: datetime, by: str, unit: str | None = None
) -> tuple[Event, ...]:
    """Finish ``case``'s remaining steps with the master answer; return the events recorded.

    Each remaining step is completed in order at ``at`` by ``by``: a step guarded by
    ``classification`` records the master's classification, the assignment step names
    ``unit`` (or the master's unit), the step guarded by ``answer`` gives the master answer and
    records :data:`MASTER_CASE_KEY`; the others are simply completed (the review checklist runs
    as usual). A paused case is refused: it waits for its requester; so is the master itself.
    Which cases share the answer is the desk's choice: keep personal questions apart.
    """
    if case.id == master.id:
        raise InvalidInputError("a master case does not deliver its answer to itself")
    answer = master_answer(master)
    if not case.is_open:
        raise InvalidInputError(f"case {case.id!r} has ended: nothing to deliver")
    if case.is_paused:
        raise InvalidInputError(
            f"case {case.id!r} is waiting ({case.state}): resume it before delivering an answer"
        )
    definition = case.definition
    classification = master.classification
    answer_data = {
        "text": answer.text,
        "legal_basis": list(answer.legal_basis),
        "discloses_personal_data": False,
    }
    events = []
    while case.is_open:
        step = case.step
        data: dict[str, Any] = {}
        if "classification" in step.guards and classification is not None:
            data.update(
                kind=classification.kind.value,
                policy_areas=[area.value for area in classification.policy_areas],
                topic=classification.topic,
            )
        if step.code in definition.steps_tagged("assignment"):
            chosen = unit or master.facts.unit
            if chosen is not None:
                data["unit"] = chosen
        if "answer" in step.guards:
            data["answer"] = answer_data
            data[MASTER_CASE_KEY] = master.id
        events.append(case.complete(step.code, at=at, by=by, **data))
    return tuple(events)

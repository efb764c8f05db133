"""The master-answer desk: a surge is answered once, and the answer delivered to every copy.

When the detector raises a surge, the desk opens one written case, the *master*, for the
cluster's question put in general terms; it is taken in, assigned by the routing table, drafted
from the knowledge base's best entry in force (its citations as legal basis), reviewed and sent
like any written case. Once sent, the desk delivers it
(:func:`~vss_care_core.process.deliver_master_answer`) to every open written case of the same
general question, and to those that arrive later; a call of that question is answered with it
by the agent. Personal questions (about the asker's own benefit) stay cases of their own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from vss_care_core.knowledge import KnowledgeBase
from vss_care_core.models import Answer, Inquiry
from vss_care_core.monitoring import Surge, question_similarity
from vss_care_core.process import (
    KNOWLEDGE_ENTRY_KEY,
    KNOWLEDGE_USED_KEY,
    MASTER_CASE_KEY,
    Case,
    deliver_master_answer,
    master_answer,
    open_case,
)
from vss_care_core.simulation._catalogue import Template
from vss_care_core.simulation._world import Script, World

__all__ = ["MASTER_DESK", "MasterDesk"]

MASTER_DESK = "master-desk"
"""Who writes master answers and delivers them."""
_OPEN_STATES = frozenset({"intake", "assign", "draft"})
"""A case not yet answered on its own: the states in which the master answer is delivered."""


@dataclass(slots=True)
class _Flood:
    representative: Inquiry
    master: Case
    answered: bool = False


class MasterDesk:
    """Answers each surge once and delivers the answer to the general questions of it."""

    def __init__(self, world: World, knowledge: KnowledgeBase, *, threshold: float) -> None:
        self.world = world
        self.knowledge = knowledge
        self.threshold = threshold
        self.floods: list[_Flood] = []
        self.masters: list[str] = []
        """The master cases' ids, in the order they were opened."""
        self.delivered = 0
        """Cases given a master answer with :func:`deliver_master_answer`."""

    def on_surge(self, surge: Surge, at: datetime) -> None:
        """Open the master case of a surge (once per cluster's question)."""
        world = self.world
        representative = world.inquiries[surge.representative]
        if any(self._linked(representative, flood) for flood in self.floods):
            return  # the same question surging again: it has its master already
        template = world.templates[representative.id]
        content = representative.content if not template.personal else representative.subject
        inquiry = Inquiry(
            id=world.next_id(),
            channel="portal",
            received_at=at,
            requester={},
            subject=representative.subject,
            content=content,
        )
        case_id = f"c-{inquiry.id}"
        master = open_case(
            inquiry,
            at=at,
            by=MASTER_DESK,
            case_id=case_id,
            event_id=f"{case_id}.1",
            units=world.table.directory,
        )
        world.add(master)
        self.masters.append(master.id)
        flood = _Flood(representative=representative, master=master)
        self.floods.append(flood)
        world.start(self._write(flood, template, at))

    def _move(self, case: Case, step: str, at: datetime, by: str, **data: Any) -> None:
        event = case.complete(step, at=at, by=by, event_id=f"{case.id}.{case.version + 1}", **data)
        self.world.stored(event)

    def _write(self, flood: _Flood, template: Template, at: datetime) -> Script:
        """Take in, assign, draft from the knowledge base, review and send the master."""
        world = self.world
        master = flood.master
        moments = [world.calendar.add(at, timedelta(minutes=minutes)) for minutes in (15, 45)]
        moments += [world.calendar.add(moments[-1], timedelta(minutes=m)) for m in (90, 150, 165)]
        if moments[-1] > world.horizon:
            return
        yield moments[0]
        classification = {
            "kind": template.kind,
            "policy_areas": list(template.areas),
            "topic": template.topic,
        }
        self._move(master, "intake", moments[0], MASTER_DESK, **classification)
        yield moments[1]
        unit = world.table.route(master).unit
        self._move(master, "assign", moments[1], MASTER_DESK, unit=unit, assignee=MASTER_DESK)
        yield moments[2]
        draft = self._draft(master, moments[2], template)
        self._move(master, "draft", moments[2], MASTER_DESK, **draft)
        yield moments[3]
        self._move(master, "review", moments[3], "reviewer")
        yield moments[4]
        self._move(master, "send", moments[4], MASTER_DESK)
        flood.answered = True
        for case in list(world.live.values()):
            if self.takes(case, world.templates.get(case.inquiry.id)):
                self.deliver(case, at=moments[4])

    def _draft(self, master: Case, at: datetime, template: Template) -> dict[str, Any]:
        """The draft: the best knowledge entry in force, citing what the entry cites (the
        desk's own answer when the knowledge base has none for the question)."""
        question = f"{master.inquiry.subject} {master.inquiry.content}"
        suggestions = self.knowledge.suggest(question, at=at, limit=1)
        if not suggestions:
            return {"answer": Answer(text=template.answer, legal_basis=template.legal_basis)}
        entry = suggestions[0].entry
        answer = Answer(text=entry.answer, legal_basis=tuple(str(c) for c in entry.citations))
        return {"answer": answer, KNOWLEDGE_ENTRY_KEY: entry.id, KNOWLEDGE_USED_KEY: True}

    def _linked(self, inquiry: Inquiry, flood: _Flood) -> bool:
        return question_similarity(inquiry, flood.representative) >= self.threshold

    def _answered_flood(self, inquiry: Inquiry, template: Template | None) -> _Flood | None:
        if template is None or template.personal:
            return None  # a personal question stays a case of its own
        for flood in self.floods:
            if flood.answered and self._linked(inquiry, flood):
                return flood
        return None

    def takes(self, case: Case, template: Template | None) -> bool:
        """Whether ``case`` gets a master answer now: an open written case, not answered on
        its own yet, of a general question whose master is sent."""
        if case.definition.name != "written" or case.state not in _OPEN_STATES:
            return False
        if case.id in self.masters:
            return False
        return self._answered_flood(case.inquiry, template) is not None

    def deliver(self, case: Case, *, at: datetime) -> None:
        """Finish ``case`` with its flood's master answer, storing every move."""
        flood = self._answered_flood(case.inquiry, self.world.templates.get(case.inquiry.id))
        if flood is None:
            return
        for event in deliver_master_answer(case, flood.master, at=at, by=MASTER_DESK):
            self.world.stored(event)
        self.delivered += 1

    def answer_for_call(self, inquiry: Inquiry, template: Template) -> dict[str, Any] | None:
        """The data of a call's answer when the caller asks a question answered by a master:
        the master answer, and the master's id (None otherwise)."""
        flood = self._answered_flood(inquiry, template)
        if flood is None:
            return None
        return {"answer": master_answer(flood.master), MASTER_CASE_KEY: flood.master.id}

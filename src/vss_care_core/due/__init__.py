"""What must happen now: SLA warnings and breaches, automatic rules, and each unit's queue.

Pure functions an application calls on its own timer, with the moment it asks about (``at=``):

- :func:`due` lists what is due on a set of open cases, most urgent first, each item with its
  reason: SLA warnings and breaches within a horizon, and the automatic rules
  (:class:`DueRule`, data) whose time has come;
- :func:`apply_due` makes the move an item asks for, with an ``event_id`` derived from the
  rule, the case and the due time, so that running :func:`due` twice never acts twice;
- :func:`next_case` orders a unit's queue: priority, then SLA urgency, then age, within the
  agent's skills;
- :func:`next_rule_at` says when the next automatic rule comes due on a case (a store's
  next-alert rule for an application that acts on them).
"""

from vss_care_core.due._due import (
    DEFAULT_RULES,
    CaseSource,
    DueItem,
    DueKind,
    DueRule,
    apply_due,
    due,
    load_rules,
    next_case,
    next_rule_at,
)

__all__ = [
    "DEFAULT_RULES",
    "CaseSource",
    "DueItem",
    "DueKind",
    "DueRule",
    "apply_due",
    "due",
    "load_rules",
    "next_case",
    "next_rule_at",
]

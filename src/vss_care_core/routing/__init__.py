"""Routing: the VSS organisation as data, declarative routing rules, explanations, assignment.

- :class:`Directory` and :func:`vss_directory`: the units (central, departments, the 34
  provincial offices, grassroots offices, outside agencies) as data.
- :class:`RoutingTable`: ordered rules (TOML or JSON, never code), checked when built;
  :meth:`RoutingTable.route` and :meth:`RoutingTable.explain`.
- :func:`assign` and :func:`record_assignment`: an agent of the unit, by least load or round
  robin, or overflow to the parent unit; the reason recorded on the case.
"""

from vss_care_core.routing._assignment import (
    Agent,
    AssignableCase,
    Assignment,
    RoundRobinCursor,
    assign,
    record_assignment,
)
from vss_care_core.routing._checks import MAX_RULES, ShadowedProblem
from vss_care_core.routing._conditions import (
    MAX_DEPTH,
    MAX_KEYWORDS,
    MAX_PHRASE_WORDS,
    AllOf,
    Always,
    AnyOf,
    Condition,
    ConditionTrace,
    FieldCondition,
    KeywordCondition,
    Not,
)
from vss_care_core.routing._directory import (
    Contact,
    Directory,
    OrgUnit,
    UnitHandles,
    vss_directory,
)
from vss_care_core.routing._rules import PROVINCIAL_OFFICE, Effects, Rule, TableProblem
from vss_care_core.routing._table import (
    MAX_TABLE_BYTES,
    RoutingDecision,
    RoutingExplanation,
    RoutingTable,
    RuleTrace,
    check_table,
)
from vss_care_core.routing._topics import TOPICS

__all__ = [
    "MAX_DEPTH",
    "MAX_KEYWORDS",
    "MAX_PHRASE_WORDS",
    "MAX_RULES",
    "MAX_TABLE_BYTES",
    "PROVINCIAL_OFFICE",
    "TOPICS",
    "Agent",
    "AllOf",
    "Always",
    "AnyOf",
    "AssignableCase",
    "Assignment",
    "Condition",
    "ConditionTrace",
    "Contact",
    "Directory",
    "Effects",
    "FieldCondition",
    "KeywordCondition",
    "Not",
    "OrgUnit",
    "RoundRobinCursor",
    "RoutingDecision",
    "RoutingExplanation",
    "RoutingTable",
    "Rule",
    "RuleTrace",
    "ShadowedProblem",
    "TableProblem",
    "UnitHandles",
    "assign",
    "check_table",
    "record_assignment",
    "vss_directory",
]

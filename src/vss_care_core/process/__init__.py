"""The two standard processes as enforced state machines, and the cases that follow them."""

from vss_care_core.process._case import (
    Case,
    UnitLookup,
    check_structure,
    first_stray_move,
    open_case,
)
from vss_care_core.process._checklist import MIN_ANSWER_WORDS, check_answer, key_terms
from vss_care_core.process._definition import (
    MOVE_TAGS,
    OUTCOME_TAGS,
    RESUME,
    STAY,
    STEP_TAGS,
    Outcome,
    PauseState,
    ProcessDefinition,
    SidePath,
    Step,
    Transition,
)
from vss_care_core.process._diagram import to_dot, to_mermaid
from vss_care_core.process._fold import (
    CaseFacts,
    MoveSummary,
    fold_facts,
    priority_in_force,
    recorded_kind,
    summarise,
    units_held,
)
from vss_care_core.process._master import (
    KNOWLEDGE_ENTRY_KEY,
    KNOWLEDGE_USED_KEY,
    MASTER_CASE_KEY,
    deliver_master_answer,
    master_answer,
)
from vss_care_core.process._standard import (
    CALL_PROCESS,
    STANDARD_PROCESSES,
    WRITTEN_PROCESS,
    process_for,
    standard_process,
)

__all__ = [
    "CALL_PROCESS",
    "KNOWLEDGE_ENTRY_KEY",
    "KNOWLEDGE_USED_KEY",
    "MASTER_CASE_KEY",
    "MIN_ANSWER_WORDS",
    "MOVE_TAGS",
    "OUTCOME_TAGS",
    "RESUME",
    "STANDARD_PROCESSES",
    "STAY",
    "STEP_TAGS",
    "WRITTEN_PROCESS",
    "Case",
    "CaseFacts",
    "MoveSummary",
    "Outcome",
    "PauseState",
    "ProcessDefinition",
    "SidePath",
    "Step",
    "Transition",
    "UnitLookup",
    "check_answer",
    "check_structure",
    "deliver_master_answer",
    "first_stray_move",
    "fold_facts",
    "key_terms",
    "master_answer",
    "open_case",
    "priority_in_force",
    "process_for",
    "recorded_kind",
    "standard_process",
    "summarise",
    "to_dot",
    "to_mermaid",
    "units_held",
]

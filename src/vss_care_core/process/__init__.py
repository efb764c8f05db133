"""The two standard processes as enforced state machines, and the cases that follow them."""

from vss_care_core.process._case import Case, CaseFacts, open_case
from vss_care_core.process._checklist import MIN_ANSWER_WORDS, check_answer, key_terms
from vss_care_core.process._definition import (
    RESUME,
    STAY,
    Outcome,
    PauseState,
    ProcessDefinition,
    SidePath,
    Step,
    Transition,
)
from vss_care_core.process._diagram import to_dot, to_mermaid
from vss_care_core.process._standard import CALL_PROCESS, WRITTEN_PROCESS, process_for

__all__ = [
    "CALL_PROCESS",
    "MIN_ANSWER_WORDS",
    "RESUME",
    "STAY",
    "WRITTEN_PROCESS",
    "Case",
    "CaseFacts",
    "Outcome",
    "PauseState",
    "ProcessDefinition",
    "SidePath",
    "Step",
    "Transition",
    "check_answer",
    "key_terms",
    "open_case",
    "process_for",
    "to_dot",
    "to_mermaid",
]

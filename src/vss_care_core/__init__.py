"""vss-care-core: the customer-care standards of Vietnam Social Security, as a library.

Every public name is importable from here; the subpackages group them by domain concept.
"""

from vss_care_core._time import VIETNAM_TZ, Clock, require_aware, system_clock
from vss_care_core._version import __version__
from vss_care_core.errors import (
    CalendarError,
    CareCoreError,
    ConcurrencyConflict,
    DefinitionError,
    InvalidEventError,
    InvalidIdentifierError,
    InvalidInputError,
    LogFormatError,
    NaiveDatetimeError,
    ProcessDefinitionError,
    RoutingTableError,
    SlaPolicyError,
    TransitionNotAllowed,
)

# models
from vss_care_core.models import (
    MAX_ATTACHMENTS,
    MAX_CONTENT_LENGTH,
    PROVINCES,
    Answer,
    Attachment,
    Channel,
    CitizenId,
    Classification,
    EmailAddress,
    Event,
    Individual,
    Inquiry,
    InquiryKind,
    Organization,
    PhoneNumber,
    PolicyArea,
    Priority,
    ProcessFamily,
    Province,
    ProvinceInfo,
    Requester,
    SocialInsuranceNumber,
    TaxCode,
    fold_vietnamese,
    province_info,
    resolve_province,
)

# process
from vss_care_core.process import (
    CALL_PROCESS,
    MIN_ANSWER_WORDS,
    WRITTEN_PROCESS,
    Case,
    CaseFacts,
    Outcome,
    PauseState,
    ProcessDefinition,
    SidePath,
    Step,
    Transition,
    check_answer,
    open_case,
    process_for,
    to_dot,
    to_mermaid,
)

# calendar

# sla

# routing

# monitoring

__all__ = [
    "CALL_PROCESS",
    "MAX_ATTACHMENTS",
    "MAX_CONTENT_LENGTH",
    "MIN_ANSWER_WORDS",
    "PROVINCES",
    "VIETNAM_TZ",
    "WRITTEN_PROCESS",
    "Answer",
    "Attachment",
    "CalendarError",
    "CareCoreError",
    "Case",
    "CaseFacts",
    "Channel",
    "CitizenId",
    "Classification",
    "Clock",
    "ConcurrencyConflict",
    "DefinitionError",
    "EmailAddress",
    "Event",
    "Individual",
    "Inquiry",
    "InquiryKind",
    "InvalidEventError",
    "InvalidIdentifierError",
    "InvalidInputError",
    "LogFormatError",
    "NaiveDatetimeError",
    "Organization",
    "Outcome",
    "PauseState",
    "PhoneNumber",
    "PolicyArea",
    "Priority",
    "ProcessDefinition",
    "ProcessDefinitionError",
    "ProcessFamily",
    "Province",
    "ProvinceInfo",
    "Requester",
    "RoutingTableError",
    "SidePath",
    "SlaPolicyError",
    "SocialInsuranceNumber",
    "Step",
    "TaxCode",
    "Transition",
    "TransitionNotAllowed",
    "__version__",
    "check_answer",
    "fold_vietnamese",
    "open_case",
    "process_for",
    "province_info",
    "require_aware",
    "resolve_province",
    "system_clock",
    "to_dot",
    "to_mermaid",
]

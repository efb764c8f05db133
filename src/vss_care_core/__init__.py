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

# calendar

# sla

# routing

# monitoring

__all__ = [
    "MAX_ATTACHMENTS",
    "MAX_CONTENT_LENGTH",
    "PROVINCES",
    "VIETNAM_TZ",
    "Answer",
    "Attachment",
    "CalendarError",
    "CareCoreError",
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
    "PhoneNumber",
    "PolicyArea",
    "Priority",
    "ProcessDefinitionError",
    "ProcessFamily",
    "Province",
    "ProvinceInfo",
    "Requester",
    "RoutingTableError",
    "SlaPolicyError",
    "SocialInsuranceNumber",
    "TaxCode",
    "TransitionNotAllowed",
    "__version__",
    "fold_vietnamese",
    "province_info",
    "require_aware",
    "resolve_province",
    "system_clock",
]

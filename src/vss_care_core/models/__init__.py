"""Typed inquiry models: enums, identifiers, requesters, inquiries, answers and events."""

from vss_care_core.models._base import CareModel, new_id
from vss_care_core.models._enums import (
    Channel,
    InquiryKind,
    PolicyArea,
    Priority,
    ProcessFamily,
    UnitLevel,
)
from vss_care_core.models._event import Event, Move, move_of, new_event_id, trusted_event
from vss_care_core.models._identifiers import (
    CitizenId,
    EmailAddress,
    PhoneNumber,
    SocialInsuranceNumber,
    TaxCode,
    tax_check_digit,
)
from vss_care_core.models._identifiers import _Identifier as Identifier
from vss_care_core.models._inquiry import (
    MAX_ATTACHMENTS,
    MAX_CONTENT_LENGTH,
    Answer,
    Attachment,
    Classification,
    Inquiry,
)
from vss_care_core.models._masking import mask_code, mask_email, mask_middle, mask_name, mask_text
from vss_care_core.models._provinces import (
    PROVINCES,
    Province,
    ProvinceInfo,
    province_info,
    resolve_province,
)
from vss_care_core.models._requesters import Individual, Organization, Pseudonymous, Requester
from vss_care_core.models._text import fold_vietnamese, words
from vss_care_core.models._time import EARLIEST_MOMENT, LATEST_MOMENT, VIETNAM_TZ, require_aware
from vss_care_core.models._values import (
    MAX_BY_LENGTH,
    MAX_DATA_BYTES,
    MAX_DATA_DEPTH,
    MAX_DATA_INTEGER,
    MAX_EVENT_ID_LENGTH,
    MIN_DATA_INTEGER,
    check_event_values,
)

__all__ = [
    "EARLIEST_MOMENT",
    "LATEST_MOMENT",
    "MAX_ATTACHMENTS",
    "MAX_BY_LENGTH",
    "MAX_CONTENT_LENGTH",
    "MAX_DATA_BYTES",
    "MAX_DATA_DEPTH",
    "MAX_DATA_INTEGER",
    "MAX_EVENT_ID_LENGTH",
    "MIN_DATA_INTEGER",
    "PROVINCES",
    "VIETNAM_TZ",
    "Answer",
    "Attachment",
    "CareModel",
    "Channel",
    "CitizenId",
    "Classification",
    "EmailAddress",
    "Event",
    "Identifier",
    "Individual",
    "Inquiry",
    "InquiryKind",
    "Move",
    "Organization",
    "PhoneNumber",
    "PolicyArea",
    "Priority",
    "ProcessFamily",
    "Province",
    "ProvinceInfo",
    "Pseudonymous",
    "Requester",
    "SocialInsuranceNumber",
    "TaxCode",
    "UnitLevel",
    "check_event_values",
    "fold_vietnamese",
    "mask_code",
    "mask_email",
    "mask_middle",
    "mask_name",
    "mask_text",
    "move_of",
    "new_event_id",
    "new_id",
    "province_info",
    "require_aware",
    "resolve_province",
    "tax_check_digit",
    "trusted_event",
    "words",
]

"""An inquiry (yêu cầu): what a citizen or an organisation asks VSS, through any channel."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cached_property
from typing import Annotated, Any

from pydantic import Field, field_validator

from vss_care_core.models._base import CareModel, Moment, new_id
from vss_care_core.models._enums import Channel, InquiryKind, PolicyArea, Priority, ProcessFamily
from vss_care_core.models._masking import mask_code, mask_text
from vss_care_core.models._requesters import Requester

__all__ = [
    "MAX_ATTACHMENTS",
    "MAX_CONTENT_LENGTH",
    "Answer",
    "Attachment",
    "Classification",
    "Inquiry",
]

MAX_CONTENT_LENGTH = 20_000
"""The longest inquiry content accepted, in characters."""
MAX_ATTACHMENTS = 20
"""The most attachments one inquiry may list."""

_Topic = Annotated[str, Field(min_length=1, max_length=100, pattern=r"^[a-z0-9][a-z0-9_.\-]*$")]


_AREA_RANK = {area: rank for rank, area in enumerate(PolicyArea)}
_MAX_SHOWN_EXTENSION = 5


def _masked_filename(name: str) -> str:
    """A file name with all but a short extension hidden (``'….jpg'``): names of scans often
    hold the person's name or ID number."""
    _, dot, extension = name.rpartition(".")
    shown = extension.isascii() and extension.isalnum() and len(extension) <= _MAX_SHOWN_EXTENSION
    return f"….{extension}" if dot and shown else "…"


def _unique_sorted(areas: tuple[PolicyArea, ...]) -> tuple[PolicyArea, ...]:
    if len(areas) < 2:
        return areas
    return tuple(sorted(set(areas), key=_AREA_RANK.__getitem__))


class Attachment(CareModel):
    """Metadata of an attached file; the file itself is stored elsewhere.

    ``repr`` hides the file name but its extension (``'….jpg'``).

    >>> Attachment(filename="CCCD_079203001234.jpg", media_type="image/jpeg", size_bytes=52_100)
    Attachment(filename='….jpg', media_type='image/jpeg', size_bytes=52100)
    """

    filename: Annotated[str, Field(min_length=1, max_length=255)]
    media_type: Annotated[str, Field(min_length=3, max_length=100, pattern=r"^[\w.+-]+/[\w.+-]+$")]
    size_bytes: Annotated[int, Field(ge=0, le=50_000_000)]
    sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")] | None = None

    def __repr_args__(self) -> Iterator[tuple[str | None, Any]]:
        yield "filename", _masked_filename(self.filename)
        yield "media_type", mask_code(self.media_type)
        yield "size_bytes", self.size_bytes
        if self.sha256 is not None:
            yield "sha256", self.sha256


class Classification(CareModel):
    """What an inquiry is about: its kind, the insurance it concerns and a topic code.

    Topics are short lowercase codes (``pension``, ``health-card``, ``contribution``...).
    """

    kind: InquiryKind
    policy_areas: Annotated[tuple[PolicyArea, ...], Field(min_length=1)]
    topic: _Topic

    _sorted = field_validator("policy_areas")(_unique_sorted)

    def __repr_args__(self) -> Iterator[tuple[str | None, Any]]:
        yield "kind", self.kind
        yield "policy_areas", self.policy_areas
        yield "topic", mask_code(self.topic)


class Answer(CareModel):
    """An answer (câu trả lời) to an inquiry, as drafted or given on the phone.

    ``legal_basis`` cites the documents the answer rests on (needed for complaints and
    denunciations); ``discloses_personal_data`` is True when the answer reveals the requester's
    own records, which needs the requester's identity verified first.
    """

    text: Annotated[str, Field(min_length=1, max_length=MAX_CONTENT_LENGTH)]
    legal_basis: tuple[Annotated[str, Field(min_length=1, max_length=300)], ...] = ()
    discloses_personal_data: bool = False

    def __repr_args__(self) -> Iterator[tuple[str | None, Any]]:
        yield "text", mask_text(self.text)
        count = len(self.legal_basis)
        yield "legal_basis", f"<{count} document{'' if count == 1 else 's'}>"
        yield "discloses_personal_data", self.discloses_personal_data


class Inquiry(CareModel):
    """An inquiry received through one channel.

    Only ``channel``, ``received_at``, ``requester``, ``subject`` and ``content`` are needed;
    the classification (``kind``, ``policy_areas``, ``topic``) may come later, in the process.

    >>> from datetime import datetime
    >>> from zoneinfo import ZoneInfo
    >>> inquiry = Inquiry(
    ...     channel="email",
    ...     received_at=datetime(2026, 3, 2, 9, 30, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")),
    ...     requester={"type": "individual", "name": "Trần Thị Bình"},
    ...     subject="Cách tính lương hưu",
    ...     content="Tôi đóng BHXH 25 năm, lương hưu được tính thế nào?",
    ... )
    >>> inquiry.process_family
    <ProcessFamily.WRITTEN: 'written'>
    >>> Inquiry.model_validate_json(inquiry.model_dump_json()) == inquiry
    True
    """

    id: Annotated[str, Field(min_length=1, max_length=64)] = Field(default_factory=new_id)
    channel: Channel
    received_at: Moment
    requester: Requester
    subject: Annotated[str, Field(min_length=1, max_length=300)]
    content: Annotated[str, Field(min_length=1, max_length=MAX_CONTENT_LENGTH)]
    policy_areas: tuple[PolicyArea, ...] = ()
    kind: InquiryKind | None = None
    topic: _Topic | None = None
    priority: Priority = Priority.NORMAL
    language: Annotated[str, Field(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")] = "vi"
    attachments: Annotated[tuple[Attachment, ...], Field(max_length=MAX_ATTACHMENTS)] = ()
    related: tuple[Annotated[str, Field(min_length=1, max_length=64)], ...] = ()
    reference: Annotated[str, Field(min_length=1, max_length=100)] | None = None

    _sorted = field_validator("policy_areas")(_unique_sorted)

    @property
    def process_family(self) -> ProcessFamily:
        """The process that handles this inquiry, from its channel."""
        return self.channel.process_family

    @cached_property
    def classification(self) -> Classification | None:
        """The classification, when kind, policy areas and topic are all known."""
        if self.kind is None or not self.policy_areas or self.topic is None:
            return None
        return Classification(kind=self.kind, policy_areas=self.policy_areas, topic=self.topic)

    def __repr_args__(self) -> Iterator[tuple[str | None, Any]]:
        for name, value in super().__repr_args__():
            if name in {"subject", "content"}:
                yield name, mask_text(value)
            elif name in {"id", "topic", "reference"} and isinstance(value, str):
                yield name, mask_code(value)
            elif name == "related" and value:
                yield name, tuple(mask_code(related) for related in value)
            elif value not in (None, ()):
                yield name, value

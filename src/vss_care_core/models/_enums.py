"""The closed vocabularies that VSS systems exchange: channels, policy areas, kinds, priorities.

Each enum's value is its JSON wire format (a short lowercase English word); ``label_vi`` and
``label_en`` give the labels to show to people.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["Channel", "InquiryKind", "PolicyArea", "Priority", "ProcessFamily", "UnitLevel"]


class ProcessFamily(StrEnum):
    """Which standard process handles an inquiry: the call process or the written one."""

    CALL = "call"
    WRITTEN = "written"


class UnitLevel(StrEnum):
    """Where a unit sits in the organisation (cấp): the directory's units have one, and SLA
    policies can be selected by it."""

    CENTRAL = "central"
    """Trung ương: VSS itself and the central Customer Care Center."""
    DEPARTMENT = "department"
    """A central department (ban, trung tâm) an inquiry can be transferred to."""
    PROVINCIAL = "provincial"
    """Bảo hiểm xã hội tỉnh, thành phố: one office per province since 1 July 2025."""
    GRASSROOTS = "grassroots"
    """Bảo hiểm xã hội cơ sở: the former district offices, under a provincial office."""
    EXTERNAL = "external"
    """An agency outside VSS, for matters outside VSS's authority (forwarding)."""


class _Labelled(StrEnum):
    """A string enum with Vietnamese and English labels."""

    @property
    def label_vi(self) -> str:
        """The Vietnamese label."""
        return _LABELS[self][0]

    @property
    def label_en(self) -> str:
        """The English label."""
        return _LABELS[self][1]


class Channel(_Labelled):
    """Where an inquiry came in (kênh tiếp nhận)."""

    PHONE = "phone"
    FANPAGE = "fanpage"
    PORTAL = "portal"
    EMAIL = "email"
    POST = "post"
    ZALO = "zalo"
    SMS = "sms"

    @property
    def process_family(self) -> ProcessFamily:
        """The process that handles this channel: phone → call, every other → written.

        >>> Channel.PHONE.process_family
        <ProcessFamily.CALL: 'call'>
        >>> Channel.ZALO.process_family
        <ProcessFamily.WRITTEN: 'written'>
        """
        return ProcessFamily.CALL if self is Channel.PHONE else ProcessFamily.WRITTEN


class PolicyArea(_Labelled):
    """The insurance an inquiry is about."""

    SOCIAL = "social"
    HEALTH = "health"
    UNEMPLOYMENT = "unemployment"


class InquiryKind(_Labelled):
    """What the requester asks for; complaints and denunciations have legal time limits."""

    QUESTION = "question"
    SUPPORT = "support"
    FEEDBACK = "feedback"
    COMPLAINT = "complaint"
    DENUNCIATION = "denunciation"


class Priority(_Labelled):
    """How urgent an inquiry is; ordered from ``LOW`` to ``URGENT``."""

    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"

    @property
    def rank(self) -> int:
        """0 for ``LOW`` up to 3 for ``URGENT``, for comparisons.

        >>> Priority.HIGH.rank > Priority.NORMAL.rank
        True
        """
        return list(Priority).index(self)


_LABELS: dict[_Labelled, tuple[str, str]] = {
    Channel.PHONE: ("Tổng đài điện thoại", "Phone switchboard"),
    Channel.FANPAGE: ("Fanpage", "Fanpage"),
    Channel.PORTAL: ("Cổng thông tin điện tử", "Web portal"),
    Channel.EMAIL: ("Thư điện tử", "E-mail"),
    Channel.POST: ("Bưu chính", "Post"),
    Channel.ZALO: ("Zalo", "Zalo"),
    Channel.SMS: ("Tin nhắn SMS", "SMS"),
    PolicyArea.SOCIAL: ("Bảo hiểm xã hội (BHXH)", "Social insurance"),
    PolicyArea.HEALTH: ("Bảo hiểm y tế (BHYT)", "Health insurance"),
    PolicyArea.UNEMPLOYMENT: ("Bảo hiểm thất nghiệp (BHTN)", "Unemployment insurance"),
    InquiryKind.QUESTION: ("Hỏi đáp", "Question"),
    InquiryKind.SUPPORT: ("Yêu cầu hỗ trợ", "Support request"),
    InquiryKind.FEEDBACK: ("Phản ánh, kiến nghị", "Feedback or petition"),
    InquiryKind.COMPLAINT: ("Khiếu nại", "Complaint"),
    InquiryKind.DENUNCIATION: ("Tố cáo", "Denunciation"),
    Priority.LOW: ("Thấp", "Low"),
    Priority.NORMAL: ("Bình thường", "Normal"),
    Priority.HIGH: ("Cao", "High"),
    Priority.URGENT: ("Khẩn", "Urgent"),
}

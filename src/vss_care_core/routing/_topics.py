"""The topic vocabulary: short lowercase codes for what an inquiry is about."""

from __future__ import annotations

from types import MappingProxyType

__all__ = ["TOPICS"]

TOPICS: MappingProxyType[str, tuple[str, str]] = MappingProxyType(
    {
        "pension": ("Lương hưu", "Pension"),
        "lump-sum": ("Bảo hiểm xã hội một lần", "One-time social insurance withdrawal"),
        "sickness-maternity": ("Ốm đau, thai sản", "Sickness and maternity benefits"),
        "work-accident": (
            "Tai nạn lao động, bệnh nghề nghiệp",
            "Work accidents and occupational diseases",
        ),
        "survivorship": ("Tử tuất", "Survivorship: funeral allowance, survivors' benefits"),
        "unemployment-benefit": ("Trợ cấp thất nghiệp", "Unemployment benefit"),
        "contribution": ("Đóng BHXH, BHYT, BHTN", "Contributions"),
        "voluntary-insurance": ("Bảo hiểm xã hội tự nguyện", "Voluntary social insurance"),
        "insurance-book": ("Sổ bảo hiểm xã hội", "Social insurance book and records"),
        "health-card": ("Thẻ bảo hiểm y tế", "Health insurance card"),
        "health-benefit": (
            "Khám chữa bệnh, thanh toán BHYT",
            "Health insurance treatment and reimbursement",
        ),
        "refund": ("Hoàn trả", "Refunds of contributions or medical costs"),
        "registration": ("Đăng ký tham gia, cấp mã số", "Registration and insurance numbers"),
        "e-services": ("Dịch vụ công trực tuyến, VssID", "Online services and the VssID app"),
        "staff-conduct": ("Thái độ, tác phong của cán bộ", "Conduct of VSS staff"),
        "labour-contract": (
            "Hợp đồng lao động, tranh chấp lao động",
            "Labour contracts and disputes (outside VSS's authority)",
        ),
        "wages": ("Tiền lương", "Wages and pay (outside VSS's authority)"),
        "medical-care-quality": (
            "Chất lượng khám, chữa bệnh",
            "Quality of care at a health facility (outside VSS's authority)",
        ),
        "other": ("Khác", "Other"),
    }
)
"""Topic code → (Vietnamese label, English label). A table may declare more in ``topics``."""

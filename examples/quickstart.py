"""Quick start: an e-mail about pensions, handled through the 5-step written process."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from vss_care_core import Answer, Inquiry, TransitionNotAllowed, open_case

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def main() -> None:
    """Receive an e-mail, classify, assign, draft, review and send the answer."""
    received = datetime(2026, 3, 2, 9, 15, tzinfo=HANOI)
    inquiry = Inquiry(
        channel="email",
        received_at=received,
        requester={"name": "Trần Thị Bình", "citizen_id": "001303012345", "province": "Hà Nam"},
        subject="Cách tính lương hưu",
        content="Tôi đã đóng BHXH 25 năm. Lương hưu của tôi được tính thế nào?",
    )
    print("requester:", inquiry.requester)  # masked: no personal data in clear
    case = open_case(inquiry, at=received, by="email-desk")
    step = timedelta(hours=1)
    at = received + step
    case.complete(
        "intake", at=at, by="email-desk", kind="question", policy_areas=["social"], topic="pension"
    )
    case.complete("assign", at=at + step, by="lead", unit="BHXH-NINH-BINH", assignee="officer-7")
    case.complete("draft", at=at + 2 * step, by="officer-7", answer="Đã nhận.")
    try:
        case.complete("review", at=at + 3 * step, by="lead")
    except TransitionNotAllowed as refused:
        print("review refused:", "; ".join(refused.problems))
    case.fire("return_draft", at=at + 3 * step, by="lead", reasons=["answer the question"])
    answer = Answer(
        text="Lương hưu hằng tháng được tính theo số năm đóng BHXH và mức bình quân tiền "
        "lương tháng đóng BHXH.",
        legal_basis=("Luật Bảo hiểm xã hội 2024, Điều 66",),
    )
    case.complete("draft", at=at + 4 * step, by="officer-7", answer=answer)
    case.complete("review", at=at + 5 * step, by="lead")
    case.complete("send", at=at + 6 * step, by="officer-7")
    print(f"outcome: {case.outcome} after {case.version} events")
    for event in case.history:
        print(
            f"  {event.seq}. {event.at:%H:%M} {event.by:<11} {event.action:<13} -> {event.to_state}"
        )


if __name__ == "__main__":
    main()

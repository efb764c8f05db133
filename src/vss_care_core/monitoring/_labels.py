"""The one catalogue of the labels a report shows, in Vietnamese and in English.

KPI names, column headings, the page's texts, SLA target names, the reasons an SLA could not
be judged, satisfaction factors, groupings and ageing buckets are written here. Channel and
kind labels come from their enums (:class:`~vss_care_core.models.Channel`,
:class:`~vss_care_core.models.InquiryKind`), outcome and step labels from the process
definitions, unit names from the organisation directory: each label has one home.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, get_args

from vss_care_core.errors import InvalidInputError
from vss_care_core.models import Channel, InquiryKind
from vss_care_core.process import ProcessDefinition
from vss_care_core.routing import Directory

__all__ = [
    "AGEING_LABELS",
    "DURATION_LABELS",
    "FACTOR_LABELS",
    "GROUPING_LABELS",
    "KPI_LABELS",
    "KPI_SHORT_LABELS",
    "LANGUAGES",
    "NOT_JUDGED_LABELS",
    "PERCENTILE_LABELS",
    "SATISFACTION_LABELS",
    "SLA_TARGET_LABELS",
    "TEXTS",
    "Label",
    "Lang",
    "check_lang",
    "group_label",
]

Lang = Literal["vi", "en"]
"""A report language: ``"vi"`` (Vietnamese, the default) or ``"en"`` (English)."""

LANGUAGES: tuple[Lang, ...] = get_args(Lang)
"""The report languages, Vietnamese first."""


@dataclass(frozen=True, slots=True)
class Label:
    """One label in Vietnamese and in English; ``{name}`` fields are filled by ``text``."""

    vi: str
    en: str

    def text(self, lang: Lang, **values: object) -> str:
        """The label in ``lang``, its ``{name}`` fields filled from ``values``."""
        template = self.vi if lang == "vi" else self.en
        return template.format(**values) if values else template


def check_lang(lang: object) -> Lang:
    """``lang`` if it is a report language; otherwise an error that says which exist.

    >>> check_lang("en")
    'en'
    >>> check_lang("fr")
    Traceback (most recent call last):
    ...
    vss_care_core.errors.InvalidInputError: lang 'fr' is not a report language: choose 'vi' ...
    """
    if lang == "vi":
        return "vi"
    if lang == "en":
        return "en"
    message = f"lang {lang!r} is not a report language: choose 'vi' (Vietnamese) or 'en' (English)"
    raise InvalidInputError(message)


KPI_LABELS: Mapping[str, Label] = {
    "ended": Label("Yêu cầu đã kết thúc", "Cases ended"),
    "outcomes": Label("Kết quả xử lý", "Outcomes"),
    "calls_offered": Label("Cuộc gọi đến", "Calls offered"),
    "calls_answered": Label("Cuộc gọi được trả lời", "Calls answered"),
    "answered_within_threshold": Label(
        "Cuộc gọi được trả lời trong ngưỡng", "Calls answered within the threshold"
    ),
    "queue_abandons": Label("Cuộc gọi bị bỏ khi đang chờ", "Calls abandoned in the queue"),
    "short_abandons": Label(
        "Cuộc gọi bỏ sớm (không tính)", "Short abandons (left out of the rates)"
    ),
    "dropped_calls": Label("Cuộc gọi bị ngắt sau khi trả lời", "Calls dropped after the answer"),
    "service_level": Label("Mức độ phục vụ", "Service level"),
    "average_speed_of_answer": Label("Thời gian trả lời trung bình", "Average speed of answer"),
    "abandonment_rate": Label("Tỷ lệ cuộc gọi bị bỏ", "Abandonment rate"),
    "average_handle_time": Label("Thời gian xử lý trung bình", "Average handle time"),
    "fcr_eligible": Label(
        "Yêu cầu được xét giải quyết ngay lần đầu", "Cases counted for first-contact resolution"
    ),
    "fcr_resolved": Label("Yêu cầu giải quyết ngay lần đầu", "Cases resolved at the first contact"),
    "first_contact_resolution": Label("Giải quyết ngay lần đầu", "First-contact resolution"),
    "transfers": Label("Lượt chuyển tiếp", "Transfers"),
    "escalations": Label("Lượt chuyển xử lý bằng văn bản", "Escalations to a written case"),
    "requests_for_info": Label("Lượt đề nghị bổ sung thông tin", "Requests for information"),
    "returned_drafts": Label("Dự thảo bị trả lại", "Drafts returned by the review"),
    "written_answered": Label("Yêu cầu bằng văn bản đã trả lời", "Written cases answered"),
    "reopens": Label("Lượt mở lại", "Reopens"),
    "knowledge_suggested": Label(
        "Trả lời có gợi ý từ cơ sở tri thức", "Answers with a knowledge-base suggestion"
    ),
    "knowledge_share": Label(
        "Tỷ lệ trả lời dùng cơ sở tri thức", "Answers that used the knowledge base"
    ),
    "master_answers": Label("Trả lời bằng câu trả lời chung", "Answered with a master answer"),
    "reopen_rate": Label("Tỷ lệ mở lại", "Reopen rate"),
    "sla": Label("Tỷ lệ đúng hạn (SLA)", "SLA compliance"),
    "sla_not_judged": Label("Không đánh giá được SLA", "SLA not judged"),
    "percentiles": Label("Phân vị thời gian", "Time percentiles"),
    "satisfaction": Label("Mức độ hài lòng", "Satisfaction"),
    "backlog": Label("Yêu cầu tồn (đang xử lý)", "Backlog (open cases)"),
}
"""The name of every field of :class:`~vss_care_core.monitoring.KpiFigures`."""

KPI_SHORT_LABELS: Mapping[str, Label] = {
    "ended": Label("Kết thúc", "Ended"),
    "service_level": Label("Mức phục vụ", "Service level"),
    "average_speed_of_answer": Label("TG trả lời TB", "ASA"),
    "abandonment_rate": Label("Tỷ lệ bỏ", "Abandoned"),
    "average_handle_time": Label("TG xử lý TB", "AHT"),
    "first_contact_resolution": Label("GQ lần đầu", "FCR"),
    "reopen_rate": Label("Mở lại", "Reopens"),
    "csat": Label("Hài lòng", "CSAT"),
    "sla": Label("Đúng hạn", "SLA"),
    "backlog": Label("Tồn", "Backlog"),
}
"""Column headings of the group tables (the full names are in :data:`KPI_LABELS`)."""

SATISFACTION_LABELS: Mapping[str, Label] = {
    "responses": Label("Phiếu khảo sát", "Survey responses"),
    "satisfied": Label("Hài lòng (điểm 4–5)", "Satisfied (score 4–5)"),
    "csat": Label("Tỷ lệ hài lòng (CSAT)", "Satisfaction (CSAT)"),
    "factor_means": Label("Điểm trung bình theo yếu tố", "Mean score per factor"),
}
"""The fields of :class:`~vss_care_core.monitoring.SatisfactionFigures`, and CSAT."""

FACTOR_LABELS: Mapping[str, Label] = {
    "accessibility": Label("Tiếp cận dịch vụ", "Access to the service"),
    "procedures": Label("Thủ tục hành chính", "Administrative procedures"),
    "quality": Label("Sự phục vụ của công chức", "Service by the staff"),
    "results": Label("Kết quả giải quyết", "Results"),
    "feedback_handling": Label(
        "Tiếp nhận, xử lý góp ý, phản ánh", "Handling of feedback and complaints"
    ),
}
"""The five factors of VSS's satisfaction survey (``SATISFACTION_FACTORS``)."""

DURATION_LABELS: Mapping[str, Label] = {
    "wait": Label("Thời gian chờ (cuộc gọi được trả lời)", "Wait (answered calls)"),
    "handle": Label("Thời gian xử lý cuộc gọi", "Call handle time"),
    "written_answer": Label(
        "Thời gian trả lời văn bản (tính từ khi tiếp nhận)", "Written answer time (from receipt)"
    ),
}
"""The durations of ``KpiFigures.percentiles``."""

PERCENTILE_LABELS: Mapping[str, Label] = {
    "p50": Label("Trung vị (P50)", "Median (P50)"),
    "p90": Label("P90", "P90"),
    "p95": Label("P95", "P95"),
}
"""The percentiles of ``KpiFigures.percentiles``; another key is shown as it is."""

GROUPING_LABELS: Mapping[str, Label] = {
    "channel": Label("Kênh tiếp nhận", "Channel"),
    "unit": Label("Đơn vị xử lý", "Unit"),
    "step": Label("Bước quy trình", "Process step"),
    "kind": Label("Loại yêu cầu", "Kind"),
    "day": Label("Ngày tiếp nhận", "Day opened"),
}
"""The ways a report can be split (``GROUPINGS``)."""

AGEING_LABELS: Mapping[str, Label] = {
    "0-1": Label("0–1 ngày", "0–1 days"),
    "2-5": Label("2–5 ngày", "2–5 days"),
    "6-10": Label("6–10 ngày", "6–10 days"),
    "11-15": Label("11–15 ngày", "11–15 days"),
    "16+": Label("Trên 15 ngày", "Over 15 days"),
}
"""The backlog ageing buckets (``AGEING_BUCKETS``), in working days."""

NOT_JUDGED_LABELS: Mapping[str, Label] = {
    "events missing, repeated or out of time order": Label(
        "thiếu sự kiện, sự kiện lặp lại hoặc sai thứ tự thời gian",
        "events missing, repeated or out of time order",
    ),
    "the history does not follow its process": Label(
        "diễn biến không theo đúng quy trình", "the history does not follow its process"
    ),
    "the process is not known": Label("quy trình không xác định", "the process is not known"),
    "no SLA policy applies": Label("không có chính sách SLA áp dụng", "no SLA policy applies"),
}
"""The reasons an ended case's SLA could not be judged (``KpiFigures.sla_not_judged``)."""

# The targets of the default SLA policies, one a line: name | Vietnamese | English. Written as a
# table of text because two target names ("hold" and "review") are also words of the process
# vocabulary, which the monitoring code never names.
_SLA_TARGET_TABLE = """
accept  | Thụ lý khiếu nại                    | Accept the complaint
answer  | Thời hạn trả lời                    | Time to answer
handle  | Thời gian xử lý cuộc gọi            | Call handle time
hold    | Thời gian giữ máy                   | Time on hold
notify  | Thông báo thụ lý tố cáo             | Notify the denouncer
pickup  | Thời gian chờ nhấc máy              | Time to pick up a call
resolve | Giải quyết khiếu nại                | Resolve the complaint
review  | Kiểm tra, phê duyệt dự thảo         | Review of the draft
route   | Phân loại, chuyển xử lý phản ánh    | Route the feedback
settle  | Giải quyết tố cáo                   | Settle the denunciation
"""


def _read_table(text: str) -> dict[str, Label]:
    labels: dict[str, Label] = {}
    for line in text.strip().splitlines():
        name, vi, en = (cell.strip() for cell in line.split("|"))
        labels[name] = Label(vi, en)
    return labels


SLA_TARGET_LABELS: Mapping[str, Label] = _read_table(_SLA_TARGET_TABLE)
"""The targets of the default SLA policies, by name; another name is shown as it is."""

UNASSIGNED = "unassigned"
"""The unit key of the cases no unit was assigned to."""
UNCLASSIFIED = "unclassified"
"""The kind key of the cases that were never classified."""
UNKNOWN_OUTCOME = "?"
"""The outcome key of a case that ended in a state its process does not call an outcome."""

TEXTS: Mapping[str, Label] = {
    # The page
    "title": Label("Báo cáo chăm sóc khách hàng BHXH Việt Nam", "VSS customer care report"),
    "kpis": Label("Chỉ số chăm sóc khách hàng BHXH Việt Nam", "VSS customer care KPIs"),
    "period": Label("yêu cầu tiếp nhận từ {start} đến {end}", "cases opened {start} to {end}"),
    "period_day": Label("yêu cầu tiếp nhận ngày {day}", "cases opened on {day}"),
    "as_of": Label("số liệu tính đến {moment}", "as of {moment}"),
    "counts": Label(
        "{records} bản ghi nhật ký · {ended} yêu cầu đã kết thúc · {open} đang xử lý",
        "{records} log records · {ended} cases ended · {open} open",
    ),
    "warning": Label(
        "{orphans} sự kiện thiếu yêu cầu gốc hoặc sự kiện mở, {responses} phiếu khảo sát không "
        "gắn với yêu cầu nào: nhật ký có thể chưa đầy đủ.",
        "{orphans} events had no inquiry or opening event and {responses} survey responses no "
        "case: the log may be incomplete.",
    ),
    "footer": Label(
        "Định nghĩa và cách tính từng chỉ số: trang «Đo lường và giám sát» trong tài liệu "
        "vss-care-core. Trong ngoặc: số yêu cầu (n) mà mỗi tỷ lệ được tính trên đó.",
        "Definitions of every figure: the monitoring page of the vss-care-core documentation. "
        "In brackets: the number of cases (n) each share is computed over.",
    ),
    "no_data": Label("chưa có số liệu", "no data"),
    "n": Label("n = {n}", "n = {n}"),
    "target": Label("mục tiêu {value}", "target {value}"),
    "targets_csat": Label(
        "mục tiêu {first} (2025), {second} (2030)", "target {first} (2025), {second} (2030)"
    ),
    # Tiles
    "sl_name": Label("Mức độ phục vụ ({seconds} giây)", "Service level ({seconds} s)"),
    "sl_note": Label(
        "mục tiêu {target} · n = {n} cuộc gọi",
        "target {target} · n = {n} calls",
    ),
    "asa_note": Label("n = {n} cuộc gọi được trả lời", "n = {n} calls answered"),
    "asa_note_p90": Label(
        "n = {n} cuộc gọi được trả lời · 90 % chờ không quá {p90}",
        "n = {n} calls answered · 90 % waited at most {p90}",
    ),
    "aband_note": Label(
        "n = {n} cuộc gọi · {short} cuộc gọi bỏ sớm không tính",
        "n = {n} calls · {short} short abandons left out",
    ),
    "aht_note": Label(
        "đàm thoại + giữ máy + xử lý sau cuộc gọi · n = {n} cuộc gọi",
        "talk + hold + wrap-up · n = {n} calls",
    ),
    "fcr_note": Label(
        "n = {n} yêu cầu · không liên hệ lại trong {days} ngày",
        "n = {n} cases · no re-contact within {days} days",
    ),
    "csat_note": Label(
        "mục tiêu {first} (2025), {second} (2030) · n = {n} phiếu",
        "target {first} (2025), {second} (2030) · n = {n} responses",
    ),
    "reopen_note": Label(
        "n = {n} yêu cầu bằng văn bản đã trả lời", "n = {n} written cases answered"
    ),
    "backlog_note": Label(
        "yêu cầu đang xử lý · {old} quá 15 ngày làm việc",
        "open cases · {old} older than 15 working days",
    ),
    # Charts
    "volume_title": Label("Số yêu cầu theo kênh, theo {period}", "Volume per channel per {period}"),
    "volume_sub": Label(
        "yêu cầu tiếp nhận, theo ngày (giờ Việt Nam)", "cases opened, by local date"
    ),
    "sl_title": Label("Mức độ phục vụ theo {period}", "Service level per {period}"),
    "sl_sub": Label(
        "cuộc gọi trả lời trong {seconds} giây / (trả lời + bỏ sau {short} giây)",
        "calls answered within {seconds} s / (answered + abandoned after {short} s)",
    ),
    "sla_title": Label("Tỷ lệ đúng hạn theo chỉ tiêu SLA", "SLA compliance per target"),
    "sla_sub": Label(
        "đạt / (đạt + vi phạm), đánh giá khi mỗi yêu cầu kết thúc",
        "met / (met + breached), judged when each case ended",
    ),
    "sla_shown": Label("{rate} · {breached} vi phạm / {n}", "{rate} · {breached} breached / {n}"),
    "sla_not_judged": Label(
        "{count} yêu cầu không đánh giá được SLA: {reasons}",
        "{count} cases whose SLA could not be judged: {reasons}",
    ),
    "backlog_title": Label("Thời gian tồn đọng của yêu cầu", "Backlog ageing"),
    "backlog_sub": Label(
        "{open} yêu cầu đang xử lý, theo số ngày làm việc đã tồn; trên 15 ngày là quá thời hạn 15 "
        "ngày làm việc",
        "{open} open cases by age in working days; over 15 is past the 15-working-day limit",
    ),
    "satisfaction_title": Label("Mức độ hài lòng", "Satisfaction"),
    "satisfaction_sub": Label(
        "CSAT: tỷ lệ phiếu chấm 4–5 điểm; mục tiêu Nghị quyết 28-NQ/TW: {first} năm 2025, "
        "{second} năm 2030; bên dưới: điểm trung bình từng yếu tố khảo sát của BHXH Việt Nam",
        "CSAT: share of overall scores 4–5; targets of Resolution 28-NQ/TW: {first} by 2025, "
        "{second} by 2030; below, the mean score of each VSS survey factor",
    ),
    "all_channels": Label("Tất cả các kênh", "All channels"),
    "outcomes_title": Label("Kết quả xử lý", "Outcomes"),
    "outcomes_sub": Label(
        "các yêu cầu đã kết thúc, theo kết quả", "how the cases that ended, ended"
    ),
    "percentiles_title": Label("Phân vị thời gian", "Time percentiles"),
    "percentiles_sub": Label(
        "P90: 90 % số yêu cầu không vượt quá thời gian này; sai số tương đối tối đa 1 %",
        "P90: 90 % of the cases took at most this long; within 1 % of the exact value",
    ),
    "duration": Label("Thời gian", "Duration"),
    # Periods of the charts
    "day": Label("ngày", "day"),
    "week": Label("tuần", "week"),
    "month": Label("tháng", "month"),
    "week_of": Label("Tuần từ {start} đến {end}", "Week of {start} to {end}"),
    "month_of": Label("Tháng {month}", "{month}"),
    "weeks_note": Label(
        "mỗi cột một tuần, ghi ngày thứ Hai đầu tuần", "one column a week, dated by its Monday"
    ),
    "days_with_cases": Label(
        "{period} ({days} ngày có yêu cầu)", "{period} ({days} days with cases)"
    ),
    # Tables
    "by": Label("Theo {grouping}", "By {grouping}"),
    "by_busiest": Label(
        "Theo {grouping} (nhiều yêu cầu nhất trước)", "By {grouping} (busiest first)"
    ),
    "step_completions": Label("Số lần hoàn thành", "Completed"),
    "step_mean": Label("Thời gian trung bình", "Mean time"),
    "kpi": Label("Chỉ số", "KPI"),
    "value": Label("Giá trị", "Value"),
    "detail": Label("Mục tiêu / chi tiết", "Target / detail"),
    "met_breached": Label("{met} đạt, {breached} vi phạm", "{met} met, {breached} breached"),
    "calls_offered_answered": Label("Cuộc gọi đến / được trả lời", "Calls offered / answered"),
    "ageing_detail": Label("theo số ngày làm việc: {ageing}", "by age in working days: {ageing}"),
    "table_warning": Label(
        "cảnh báo: {orphans} sự kiện thiếu yêu cầu gốc hoặc sự kiện mở, {responses} phiếu khảo "
        "sát không gắn với yêu cầu nào",
        "warning: {orphans} events without their inquiry or case opening, {responses} survey "
        "responses without their case",
    ),
    "in_brackets": Label(
        "Trong ngoặc: số yêu cầu (n) mà mỗi tỷ lệ được tính trên đó.",
        "In brackets: the number of cases (n) each share is computed over.",
    ),
    # Surges, master answers and stale knowledge entries
    "surges_title": Label(
        "Câu hỏi tăng đột biến (cùng một nội dung)", "Surges (one question flooding in)"
    ),
    "surges_sub": Label(
        "phát hiện khi đang xảy ra; câu hỏi nêu bằng các từ khóa chung của cụm, không chép nội "
        "dung của người hỏi",
        "seen as they start; each question named by its cluster's shared keywords, never by what "
        "someone wrote",
    ),
    "surges_none": Label("Không có đợt tăng đột biến nào.", "No surge was raised."),
    "surge_keywords": Label("Từ khóa của câu hỏi", "Question keywords"),
    "surge_started": Label("Bắt đầu", "Started"),
    "surge_raised": Label("Phát hiện lúc", "Raised at"),
    "surge_count": Label("Số yêu cầu", "Inquiries"),
    "surge_channels": Label("Theo kênh", "By channel"),
    "surge_rate": Label("Số yêu cầu / giờ làm việc", "Per working hour"),
    "surge_rate_value": Label("{rate} (trước đó {baseline})", "{rate} (before: {baseline})"),
    "master_delivered": Label(
        "{n} yêu cầu được trả lời bằng câu trả lời chung (một lần soạn, gửi qua kênh của từng "
        "yêu cầu)",
        "{n} cases answered from a master answer (written once, delivered through each case's "
        "own channel)",
    ),
    "stale_title": Label(
        "Câu trả lời mẫu trích dẫn văn bản hết hiệu lực",
        "Knowledge entries citing a law no longer in force",
    ),
    "stale_sub": Label("tính đến ngày {day}", "as of {day}"),
    "stale_none": Label("Không có câu trả lời mẫu nào cần xem lại.", "No entry to review."),
    "stale_entry": Label("Câu trả lời mẫu", "Entry"),
    "stale_question": Label("Câu hỏi", "Question"),
    "stale_document": Label("Văn bản trích dẫn", "Document cited"),
    "stale_replacement": Label("Được thay thế bởi", "Replaced by"),
    "stale_since": Label("Từ ngày", "From"),
    "stale_state": Label("Tình trạng", "State"),
    "stale_retired": Label("đã ngừng áp dụng", "retired in time"),
    "stale_review": Label("cần xem lại", "to review"),
    # The short summary a command prints (kpi_summary)
    "summary_calls": Label(
        "Cuộc gọi: mức phục vụ {sl} trong {seconds} giây (mục tiêu 80 %), thời gian trả lời "
        "trung bình {asa}, tỷ lệ bỏ {abandoned}, thời gian xử lý trung bình {aht}",
        "Calls: service level {sl} within {seconds} s (target 80 %), ASA {asa}, "
        "abandonment {abandoned}, AHT {aht}",
    ),
    "summary_quality": Label(
        "Giải quyết ngay lần đầu {fcr}, tỷ lệ mở lại {reopen}, hài lòng {csat} (mục tiêu 85 % "
        "năm 2025, 90 % năm 2030; {responses} phản hồi)",
        "First-contact resolution {fcr}, reopen rate {reopen}, CSAT {csat} (targets 85 % by "
        "2025, 90 % by 2030; {responses} responses)",
    ),
    "summary_sla": Label("Tuân thủ thời hạn (SLA): {targets}", "SLA compliance: {targets}"),
    "summary_backlog": Label(
        "Tồn đọng: {open} yêu cầu đang xử lý (theo ngày làm việc: {ageing})",
        "Backlog: {open} open cases (by working days: {ageing})",
    ),
    "summary_master": Label(
        "Câu trả lời chung: {n} yêu cầu được trả lời bằng câu trả lời chung",
        "Master answers: {n} cases answered from a master answer",
    ),
    # Group keys the data cannot name
    UNASSIGNED: Label("Chưa giao đơn vị", "Not assigned"),
    UNCLASSIFIED: Label("Chưa phân loại", "Not classified"),
    UNKNOWN_OUTCOME: Label("Không xác định", "Unknown"),
    "overall": Label("Tất cả", "All cases"),
    # CSV headings
    "code": Label("Mã", "Code"),
    "name": Label("Tên", "Name"),
    "fraction": Label("{name} (tỷ lệ 0–1)", "{name} (fraction 0–1)"),
    "seconds": Label("{name} (giây)", "{name} (seconds)"),
    "sla_met": Label("SLA {target}: đạt", "SLA {target}: met"),
    "sla_breached": Label("SLA {target}: vi phạm", "SLA {target}: breached"),
    "sla_compliance": Label(
        "SLA {target}: tỷ lệ đúng hạn (0–1)", "SLA {target}: compliance (fraction 0–1)"
    ),
    "percentile": Label("{duration}: {percentile} (giây)", "{duration}: {percentile} (seconds)"),
    "ageing": Label("Tồn {bucket}", "Backlog {bucket}"),
    "factor_mean": Label("Điểm TB: {factor} (1–5)", "Mean score: {factor} (1–5)"),
}
"""Every other text of the HTML page, the table and the CSV headings."""


def channel_label(code: str, lang: Lang) -> str:
    """A channel's label, from :class:`~vss_care_core.models.Channel`; an unknown code as is."""
    try:
        channel = Channel(code)
    except ValueError:
        return code
    return channel.label_vi if lang == "vi" else channel.label_en


def kind_label(code: str, lang: Lang) -> str:
    """A kind's label, from :class:`~vss_care_core.models.InquiryKind`; an unknown code as is."""
    if code == UNCLASSIFIED:
        return TEXTS[UNCLASSIFIED].text(lang)
    try:
        kind = InquiryKind(code)
    except ValueError:
        return code
    return kind.label_vi if lang == "vi" else kind.label_en


def unit_label(code: str, lang: Lang, directory: Directory) -> str:
    """A unit's name in the directory (the Vietnamese one when it has no English one); an
    unknown code as is."""
    if code == UNASSIGNED:
        return TEXTS[UNASSIGNED].text(lang)
    unit = directory.get(code)
    if unit is None:
        return code
    if lang == "en" and unit.name_en:
        return unit.name_en
    return unit.name_vi


def outcome_label(code: str, lang: Lang, processes: Sequence[ProcessDefinition]) -> str:
    """An outcome's label in the first process that has it; an unknown code as is."""
    if code == UNKNOWN_OUTCOME:
        return TEXTS[UNKNOWN_OUTCOME].text(lang)
    for definition in processes:
        for outcome in definition.outcomes:
            if outcome.code == code:
                return outcome.label_vi if lang == "vi" else outcome.label_en
    return code


def step_label(key: str, lang: Lang, processes: Sequence[ProcessDefinition]) -> str:
    """A ``process:step`` key as ``Step label (process)``; an unknown key as is."""
    process_name, _, code = key.partition(":")
    for definition in processes:
        if definition.name != process_name:
            continue
        for step in definition.steps:
            if step.code == code:
                label = step.label_vi if lang == "vi" else step.label_en
                return f"{label} ({process_name})"
    return key


def group_label(
    by: str,
    key: str,
    lang: Lang,
    *,
    directory: Directory,
    processes: Sequence[ProcessDefinition],
) -> str:
    """The label of one group of a report split ``by`` a grouping (a day is shown as is)."""
    if by == "channel":
        return channel_label(key, lang)
    if by == "unit":
        return unit_label(key, lang, directory)
    if by == "kind":
        return kind_label(key, lang)
    if by == "step":
        return step_label(key, lang, processes)
    return key


def sla_target_label(name: str, lang: Lang) -> str:
    """An SLA target's label; a target the catalogue does not know, by its name."""
    label = SLA_TARGET_LABELS.get(name)
    return name if label is None else label.text(lang)


def not_judged_label(reason: str, lang: Lang) -> str:
    """Why an SLA could not be judged; a reason the catalogue does not know, as given."""
    label = NOT_JUDGED_LABELS.get(reason)
    return reason if label is None else label.text(lang)


def labelled(catalogue: Mapping[str, Label], key: str, lang: Lang) -> str:
    """``catalogue[key]`` in ``lang``, or ``key`` itself when the catalogue does not have it."""
    label = catalogue.get(key)
    return key if label is None else label.text(lang)

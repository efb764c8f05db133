"""What the simulated citizens and employers ask: question templates and model answers.

The templates are ours, written from the topics VSS answers every day; the weights make a few
questions very common, as after a policy change.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["OPENINGS", "TEMPLATES", "Template"]


@dataclass(frozen=True, slots=True)
class Template:
    """One kind of question: its wording, classification, a model answer and its weight."""

    topic: str
    kind: str
    areas: tuple[str, ...]
    subject: str
    text: str
    answer: str
    weight: float
    legal_basis: tuple[str, ...] = ()
    personal: bool = False


OPENINGS: tuple[str, ...] = (
    "",
    "Kính gửi Bảo hiểm xã hội Việt Nam. ",
    "Cho tôi hỏi: ",
    "Xin chào, ",
    "Nhờ tổng đài hướng dẫn giúp: ",
)
"""How a message may begin; the rest of the text is the template's."""

_LAW_BHXH = "Luật Bảo hiểm xã hội số 41/2024/QH15"
_LAW_BHYT = "Luật Bảo hiểm y tế"
_LAW_KN = "Luật Khiếu nại 2011, Điều 27"

TEMPLATES: tuple[Template, ...] = (
    Template(
        "voluntary-insurance",
        "question",
        ("social",),
        "Mức đóng BHXH tự nguyện",
        "Từ ngày 1 tháng 7 năm 2025 mức đóng bảo hiểm xã hội tự nguyện thay đổi thế nào, tôi có "
        "được nhà nước hỗ trợ tiền đóng không?",
        "Mức đóng bảo hiểm xã hội tự nguyện bằng 22% mức thu nhập tháng bạn chọn; nhà nước hỗ "
        "trợ tiền đóng theo tỷ lệ phần trăm mức chuẩn hộ nghèo khu vực nông thôn.",
        9.0,
        (_LAW_BHXH,),
    ),
    Template(
        "pension",
        "question",
        ("social",),
        "Điều kiện hưởng lương hưu",
        "Theo luật mới tôi cần đóng bảo hiểm xã hội bao nhiêu năm thì được hưởng lương hưu hằng "
        "tháng?",
        "Từ ngày 1 tháng 7 năm 2025, người lao động đủ tuổi nghỉ hưu và có từ đủ 15 năm đóng "
        "bảo hiểm xã hội trở lên thì được hưởng lương hưu hằng tháng.",
        8.0,
        (_LAW_BHXH,),
    ),
    Template(
        "lump-sum",
        "question",
        ("social",),
        "Rút BHXH một lần",
        "Tôi nghỉ việc đã hơn một năm, có được rút bảo hiểm xã hội một lần không và thủ tục "
        "như thế nào?",
        "Điều kiện hưởng bảo hiểm xã hội một lần đã thay đổi từ ngày 1 tháng 7 năm 2025; hồ sơ "
        "gồm mẫu 14-HSB và căn cước, nộp tại cơ quan bảo hiểm xã hội hoặc trực tuyến.",
        7.0,
        (_LAW_BHXH,),
    ),
    Template(
        "health-card",
        "question",
        ("health",),
        "Gia hạn thẻ BHYT",
        "Thẻ bảo hiểm y tế hộ gia đình của tôi sắp hết hạn, gia hạn thẻ ở đâu và có thể đóng "
        "trực tuyến không?",
        "Bạn gia hạn thẻ bảo hiểm y tế hộ gia đình tại đại lý thu hoặc đóng trực tuyến trên "
        "Cổng Dịch vụ công hay ứng dụng VssID; thẻ có giá trị ngay sau khi đóng.",
        7.0,
        (_LAW_BHYT,),
    ),
    Template(
        "health-benefit",
        "question",
        ("health",),
        "Khám chữa bệnh trái tuyến",
        "Tôi đi khám chữa bệnh trái tuyến ở bệnh viện tỉnh thì bảo hiểm y tế có thanh toán "
        "không, được hưởng bao nhiêu phần trăm?",
        "Khám chữa bệnh nội trú trái tuyến tại bệnh viện tuyến tỉnh được quỹ bảo hiểm y tế "
        "thanh toán theo mức hưởng như đúng tuyến; ngoại trú tùy trường hợp.",
        5.0,
        (_LAW_BHYT,),
    ),
    Template(
        "sickness-maternity",
        "question",
        ("social",),
        "Chế độ thai sản",
        "Vợ tôi sinh con, chồng đóng bảo hiểm xã hội thì được nghỉ mấy ngày và hưởng chế độ "
        "thai sản như thế nào?",
        "Lao động nam đang đóng bảo hiểm xã hội khi vợ sinh con được nghỉ hưởng chế độ thai sản "
        "từ 5 đến 14 ngày làm việc tùy trường hợp.",
        5.0,
        (_LAW_BHXH,),
    ),
    Template(
        "unemployment-benefit",
        "question",
        ("unemployment",),
        "Trợ cấp thất nghiệp",
        "Tôi bị chấm dứt hợp đồng lao động, hồ sơ hưởng trợ cấp thất nghiệp gồm những gì và "
        "nộp ở đâu?",
        "Hồ sơ hưởng trợ cấp thất nghiệp gồm đề nghị hưởng, quyết định chấm dứt hợp đồng lao "
        "động và sổ bảo hiểm xã hội, nộp tại trung tâm dịch vụ việc làm trong 3 tháng.",
        5.0,
    ),
    Template(
        "insurance-book",
        "support",
        ("social",),
        "Cấp lại sổ BHXH",
        "Tôi bị mất sổ bảo hiểm xã hội, xin hướng dẫn thủ tục cấp lại sổ và thời gian giải quyết.",
        "Để cấp lại sổ bảo hiểm xã hội bị mất, bạn nộp tờ khai TK1-TS tại cơ quan bảo hiểm xã "
        "hội nơi cư trú; thời gian giải quyết không quá 5 ngày làm việc.",
        4.0,
        personal=True,
    ),
    Template(
        "contribution",
        "support",
        ("social", "health"),
        "Tra cứu quá trình đóng",
        "Công ty đã trừ lương nhưng tôi tra cứu không thấy quá trình đóng bảo hiểm xã hội mấy "
        "tháng gần đây, nhờ kiểm tra giúp.",
        "Quá trình đóng bảo hiểm xã hội của bạn được cập nhật khi đơn vị nộp tiền; cơ quan bảo "
        "hiểm xã hội sẽ đối chiếu với đơn vị và đôn đốc đơn vị đóng đủ.",
        4.0,
        personal=True,
    ),
    Template(
        "e-services",
        "support",
        ("social", "health"),
        "Đăng nhập VssID",
        "Tôi không đăng nhập được ứng dụng VssID, đã cài lại nhưng vẫn báo lỗi tài khoản.",
        "Bạn đăng nhập VssID bằng tài khoản định danh điện tử VNeID; nếu ứng dụng vẫn báo lỗi "
        "tài khoản, hãy cập nhật phiên bản mới và liên hệ tổng đài.",
        4.0,
    ),
    Template(
        "registration",
        "support",
        ("social",),
        "Mã số BHXH",
        "Tôi có hai mã số bảo hiểm xã hội ở hai công ty khác nhau, làm sao gộp thành một mã số?",
        "Hai mã số bảo hiểm xã hội được gộp khi bạn nộp tờ khai TK1-TS kèm hai sổ; cơ quan bảo "
        "hiểm xã hội hợp nhất quá trình đóng vào một mã số.",
        3.0,
        personal=True,
    ),
    Template(
        "refund",
        "question",
        ("health",),
        "Hoàn trả chi phí khám bệnh",
        "Tôi đã tự chi trả chi phí khám bệnh khi quên mang thẻ bảo hiểm y tế, có được thanh "
        "toán lại không?",
        "Chi phí khám bệnh khi không xuất trình thẻ bảo hiểm y tế được thanh toán trực tiếp "
        "tại cơ quan bảo hiểm xã hội khi bạn nộp hóa đơn và giấy ra viện.",
        2.0,
        (_LAW_BHYT,),
    ),
    Template(
        "contribution",
        "complaint",
        ("social",),
        "Khiếu nại nợ đóng",
        "Tôi khiếu nại việc công ty nợ đóng bảo hiểm xã hội khiến tôi không chốt được sổ khi "
        "nghỉ việc.",
        "Cơ quan bảo hiểm xã hội thụ lý khiếu nại về việc đơn vị nợ đóng, đã lập biên bản và "
        "yêu cầu đơn vị đóng đủ để chốt sổ theo quy định.",
        2.0,
        (_LAW_KN, _LAW_BHXH),
        personal=True,
    ),
    Template(
        "pension",
        "complaint",
        ("social",),
        "Khiếu nại mức lương hưu",
        "Tôi khiếu nại quyết định hưởng lương hưu vì mức lương hưu tính thấp hơn quá trình "
        "đóng của tôi.",
        "Cơ quan bảo hiểm xã hội đã kiểm tra quá trình đóng và cách tính mức lương hưu; kết quả "
        "giải quyết khiếu nại gửi kèm bảng tính chi tiết.",
        1.0,
        (_LAW_KN, _LAW_BHXH),
        personal=True,
    ),
    Template(
        "staff-conduct",
        "feedback",
        ("social",),
        "Phản ánh thái độ cán bộ",
        "Tôi phản ánh thái độ của cán bộ tiếp nhận hồ sơ tại bộ phận một cửa chưa nhiệt tình.",
        "Cảm ơn phản ánh của bạn về thái độ cán bộ tiếp nhận hồ sơ; đơn vị đã kiểm tra, nhắc "
        "nhở cán bộ và cải thiện việc tiếp nhận tại bộ phận một cửa.",
        1.0,
    ),
    Template(
        "wages",
        "feedback",
        ("social",),
        "Công ty chậm trả lương",
        "Công ty chậm trả lương ba tháng liền, tôi phải làm đơn gửi cơ quan nào?",
        "Việc chậm trả lương thuộc thẩm quyền của cơ quan quản lý lao động; phản ánh của bạn về "
        "tiền lương đã được chuyển đến cơ quan có thẩm quyền.",
        1.0,
    ),
    Template(
        "staff-conduct",
        "denunciation",
        ("health",),
        "Tố cáo trục lợi BHYT",
        "Tôi tố cáo một cơ sở khám bệnh lập hồ sơ khống để trục lợi quỹ bảo hiểm y tế.",
        "Cơ quan bảo hiểm xã hội đã thụ lý tố cáo về việc trục lợi quỹ bảo hiểm y tế và sẽ thông "
        "báo kết quả giải quyết theo Luật Tố cáo 2018.",
        0.3,
        ("Luật Tố cáo 2018",),
    ),
)
"""The question templates, from the most to the least common."""

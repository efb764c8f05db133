"""The flood after a policy change: the question that floods in, and the desk that answers once.

The question is about the Law on Social Insurance No. 41/2024/QH15 (in force from 1 July 2025):
how many days of paternity leave a father gets when his wife gives birth, a rule the new law
changed. Most who ask it ask in general terms (one answer fits all of them); some tell their
own story and ask about their own benefit (a personal question, answered from their records).
"""

from __future__ import annotations

from vss_care_core.simulation._catalogue import Template

__all__ = ["FLOOD_CHANNELS", "FLOOD_GENERAL", "FLOOD_PERSONAL"]

_LAW = "Luật Bảo hiểm xã hội số 41/2024/QH15"
_QUESTION = (
    "Theo Luật Bảo hiểm xã hội mới, lao động nam đang đóng bảo hiểm xã hội được nghỉ chế độ thai "
    "sản bao nhiêu ngày khi vợ sinh con?"
)

FLOOD_GENERAL = Template(
    "maternity",
    "question",
    ("social",),
    "Chế độ thai sản của lao động nam theo luật mới",
    _QUESTION,
    "Lao động nam đang đóng bảo hiểm xã hội có vợ sinh con được nghỉ 5 ngày làm việc; 7 ngày khi "
    "vợ sinh con phải phẫu thuật; 10 ngày khi vợ sinh đôi, thêm 3 ngày cho mỗi con từ con thứ ba; "
    "14 ngày khi vợ sinh đôi trở lên mà phải phẫu thuật; nghỉ trong vòng 60 ngày kể từ ngày sinh.",
    0.0,
    (_LAW,),
)
"""The general question: one master answer fits everyone who asks it."""

FLOOD_PERSONAL = Template(
    "maternity",
    "question",
    ("social",),
    "Chế độ thai sản của lao động nam theo luật mới",
    _QUESTION + " Vợ tôi sinh đôi bằng phẫu thuật tuần trước, tôi được hưởng bao nhiêu tiền?",
    "Theo quá trình đóng bảo hiểm xã hội của bạn, bạn được nghỉ 14 ngày làm việc và hưởng trợ "
    "cấp thai sản tính trên mức bình quân tiền lương tháng đóng bảo hiểm xã hội của bạn.",
    0.0,
    (_LAW,),
    personal=True,
)
"""The same question about the asker's own benefit: personal, answered on its own."""

FLOOD_CHANNELS: tuple[tuple[str, float], ...] = (
    ("phone", 0.45),
    ("fanpage", 0.14),
    ("portal", 0.12),
    ("zalo", 0.12),
    ("email", 0.10),
    ("sms", 0.04),
    ("post", 0.03),
)
"""How the flood arrives: by every channel, most of it by phone (our assumption)."""

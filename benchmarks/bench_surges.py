"""Surge detection, streaming: the cost of `SurgeDetector.add` once many inquiries were seen.

Generates a stream of inquiries over working days (one-off questions, a few everyday ones, and a
flood of one new question), feeds it to a `SurgeDetector`, and prints the CPU time per `add`
over the last tenth of the stream (at up to `--n` inquiries seen), against the batch
`find_duplicates` over the same inquiries, per inquiry. Target: under 1 ms per `add` at 100,000
inquiries seen.

Run: ``python benchmarks/bench_surges.py [--n 100000] [--seed 7]``.
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from vss_care_core import Inquiry
from vss_care_core.calendar import vietnam_calendar
from vss_care_core.monitoring import SurgeDetector, find_duplicates

VN = ZoneInfo("Asia/Ho_Chi_Minh")
CALENDAR = vietnam_calendar()
WORDS = [
    "bảo",
    "hiểm",
    "xã",
    "hội",
    "y",
    "tế",
    "thất",
    "nghiệp",
    "lương",
    "hưu",
    "thẻ",
    "đóng",
    "mức",
    "hưởng",
    "chế",
    "độ",
    "ốm",
    "đau",
    "thai",
    "sản",
    "hồ",
    "sơ",
    "giấy",
    "tờ",
    "công",
    "ty",
    "người",
    "lao",
    "động",
    "tháng",
    "năm",
    "tiền",
    "trợ",
    "cấp",
    "một",
    "lần",
    "gia",
    "hạn",
    "đăng",
    "ký",
    "khám",
    "chữa",
    "bệnh",
    "viện",
    "tuyến",
    "huyện",
    "tỉnh",
    "tra",
    "cứu",
    "mã",
    "số",
    "sổ",
    "quá",
    "trình",
    "công",
    "tác",
    "nghỉ",
    "việc",
    "con",
    "nhỏ",
]
EVERYDAY = (
    "Thủ tục cấp lại thẻ bảo hiểm y tế bị mất cần những giấy tờ gì",
    "Tra cứu quá trình đóng bảo hiểm xã hội trên ứng dụng VssID như thế nào",
    "Nghỉ việc bao lâu thì được nhận trợ cấp thất nghiệp",
)
FLOOD = "Điều kiện rút bảo hiểm xã hội một lần theo luật mới từ 1/7/2025 là gì"
CHANNELS = ("phone", "email", "portal", "zalo", "fanpage", "post")


def stream(n: int, seed: int) -> list[Inquiry]:
    """``n`` inquiries, 60 an hour of opening hours, one in ten a flood after the first half."""
    rng = random.Random(seed)
    moment = datetime(2026, 3, 2, 8, 0, tzinfo=VN)
    inquiries = []
    for number in range(n):
        moment = CALENDAR.add(moment, timedelta(minutes=1))
        roll = rng.random()
        if number > n // 2 and roll < 0.1:
            text = FLOOD
        elif roll < 0.4:
            text = rng.choice(EVERYDAY)
        else:
            text = " ".join(rng.choices(WORDS, k=10)) + f" {number}"
        inquiries.append(
            Inquiry(
                id=f"q{number}",
                channel=rng.choice(CHANNELS),
                received_at=moment,
                requester={},
                subject="Hỏi đáp",
                content=text,
            )
        )
    return inquiries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--n", type=int, default=100_000, help="inquiries (default 100,000)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    inquiries = stream(args.n, args.seed)
    detector = SurgeDetector(calendar=CALENDAR)
    last_tenth = len(inquiries) - len(inquiries) // 10
    for inquiry in inquiries[:last_tenth]:
        detector.add(inquiry)
    began = time.process_time()
    for inquiry in inquiries[last_tenth:]:
        detector.add(inquiry)
    per_add = (time.process_time() - began) / (len(inquiries) - last_tenth)
    began = time.process_time()
    find_duplicates(inquiries, window=timedelta(days=7))
    batch = (time.process_time() - began) / len(inquiries)
    print(f"inquiries: {len(inquiries):,}; surges raised: {len(detector.surges)}")
    print(f"active clusters at the end: {detector.active_clusters:,}")
    print(f"SurgeDetector.add, over the last tenth:   {per_add * 1e3:8.3f} ms per inquiry")
    print(f"find_duplicates (batch), same inquiries:  {batch * 1e3:8.3f} ms per inquiry")
    verdict = "PASS" if per_add < 1e-3 else "FAIL"
    print(f"target: under 1 ms per add at {len(inquiries):,} seen [{verdict}]")


if __name__ == "__main__":
    main()

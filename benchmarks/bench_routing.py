"""Routing benchmark: the indexed ``RoutingTable.route`` against the first-match loop.

One process, one generated table (1,000 rules by default) and a stream of generated inquiries
(200,000 by default). Both sides fold the inquiry's text once and build the same decision; they
differ only in how the deciding rule is found: ``route`` intersects the table's precomputed
indexes (field values and keyword words → candidate rules) and evaluates only the candidates,
``route_reference`` tries every rule in order. The script prints the per-inquiry costs, the
ratio and the number of differing decisions (which must be 0).

Usage::

    python benchmarks/bench_routing.py [--rules 1000] [--n 200000] [--seed 7]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from vss_care_core.models import PROVINCES, Channel, Inquiry, InquiryKind, PolicyArea, Priority
from vss_care_core.routing import TOPICS, RoutingTable, check_table

AT = datetime(2026, 3, 2, 9, 30, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
_VOCABULARY = (
    "lương hưu thẻ bảo hiểm xã hội y tế thất nghiệp đóng sổ chốt gộp cấp lại đổi hoàn trả "
    "trợ cấp ốm đau thai sản tai nạn lao động bệnh nghề nghiệp tử tuất mai táng phí công ty "
    "doanh nghiệp người tham gia mức hưởng thời gian tra cứu quá trình khám chữa tuyến "
    "bệnh viện thanh toán chi phí hồ sơ giấy tờ mã số định danh tài khoản ứng dụng đăng nhập "
    "mật khẩu hạn sử dụng gia hạn tự nguyện hộ gia đình học sinh sinh viên nợ chậm"
)
SYLLABLES = tuple(_VOCABULARY.split())
RARE = tuple(f"{a}{b}" for a in ("kh", "ng", "tr", "ph", "qu") for b in SYLLABLES[:60])
"""Rarer words (300), each in a few inquiries only."""
UNITS = ("VSS-CSKH", "VSS-BHXH", "VSS-BHYT", "VSS-THU", "VSS-KT", "VSS-CNTT", "provincial-office")


def _subset(rng: random.Random, values: list[Any], most: int) -> list[Any]:
    return rng.sample(values, rng.randint(1, most))


def generate_rule(rng: random.Random, index: int) -> dict[str, Any]:
    """One random rule: a few field tests, mostly with keywords, sometimes a not.

    Rules without keywords test four fields, so that few of them shadow later rules.
    """
    fields: dict[str, Any] = {}
    choices = {
        "channel": lambda: _subset(rng, [c.value for c in Channel], 3),
        "kind": lambda: _subset(rng, [k.value for k in InquiryKind], 2),
        "policy_area": lambda: _subset(rng, [a.value for a in PolicyArea], 2),
        "topic": lambda: _subset(rng, sorted(TOPICS), 3),
        "min_priority": lambda: rng.choice([p.value for p in Priority]),
        "requester_type": lambda: [rng.choice(["individual", "organization"])],
        "province": lambda: _subset(rng, list(PROVINCES), 4),
    }
    with_keywords = rng.random() < 0.85
    count = rng.randint(1, 3) if with_keywords else 4
    for key in rng.sample(sorted(choices), count):
        fields[key] = choices[key]()
    parts: list[dict[str, Any]] = [fields]
    if with_keywords:
        words = [
            " ".join(rng.sample(SYLLABLES, 2)) if rng.random() < 0.7 else rng.choice(RARE)
            for _ in range(3)
        ]
        key = "any_keywords" if rng.random() < 0.8 else "all_keywords"
        parts.append({key: words})
    if rng.random() < 0.2:
        parts.append({"not": {"channel": [rng.choice([c.value for c in Channel])]}})
    when = parts[0] if len(parts) == 1 else {"all": parts}
    rule: dict[str, Any] = {"name": f"rule-{index}", "when": when, "destination": rng.choice(UNITS)}
    if rule["destination"] == "provincial-office":
        rule["fallback"] = "VSS-CSKH"
    if rng.random() < 0.1:
        rule["effects"] = {"raise_priority": "high", "tags": ["generated"]}
    return rule


def generate_table(rng: random.Random, size: int) -> RoutingTable:
    """A table of ``size`` generated rules that passes the checks, ending with a catch-all.

    Rules reported as shadowed or never matching are replaced until the table is clean.
    """
    rules: list[dict[str, Any]] = []
    counter = 0
    for _ in range(50):
        if len(rules) >= size - 1:
            break
        while len(rules) < size - 1:
            rules.append(generate_rule(rng, counter))
            counter += 1
        flagged = {p.rule for p in check_table({"rules": rules, "default": "VSS-CSKH"})}
        rules = [r for r in rules if r["name"] not in flagged]
    rules.append({"name": "catch-all", "destination": "VSS-CSKH"})
    return RoutingTable.from_dict({"rules": rules})


def _text(rng: random.Random, shortest: int, longest: int) -> str:
    words = rng.choices(SYLLABLES, k=rng.randint(shortest, longest))
    if rng.random() < 0.3:
        words.insert(rng.randrange(len(words) + 1), rng.choice(RARE))
    return " ".join(words)


def generate_inquiries(rng: random.Random, count: int) -> list[Inquiry]:
    """``count`` random inquiries with Vietnamese subjects and contents."""
    inquiries = []
    provinces = [*PROVINCES, None]
    topics = [*sorted(TOPICS), None]
    kinds = [*InquiryKind, None]
    for _ in range(count):
        province = rng.choice(provinces)
        inquiries.append(
            Inquiry.model_validate(
                {
                    "channel": rng.choice(list(Channel)),
                    "received_at": AT,
                    "requester": (
                        {"type": "organization", "name": "Công ty", "province": province}
                        if rng.random() < 0.2
                        else {"type": "individual", "province": province}
                    ),
                    "subject": _text(rng, 2, 6),
                    "content": _text(rng, 10, 40),
                    "kind": rng.choice(kinds),
                    "policy_areas": rng.sample(list(PolicyArea), rng.randint(0, 2)),
                    "topic": rng.choice(topics),
                    "priority": rng.choice(list(Priority)),
                }
            )
        )
    return inquiries


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the figures; exit 1 if any decision differs."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rules", type=int, default=1_000, help="rules in the table")
    parser.add_argument("--n", type=int, default=200_000, help="inquiries to route")
    parser.add_argument("--seed", type=int, default=7, help="random seed")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)

    started = time.perf_counter()
    table = generate_table(rng, args.rules)
    built = time.perf_counter() - started
    inquiries = generate_inquiries(rng, args.n)
    print(f"table: {len(table.rules)} rules, checked and compiled in {built:.2f} s")
    print(f"inquiries: {len(inquiries):,}")

    started = time.perf_counter()
    ours = [table.route(inquiry) for inquiry in inquiries]
    ours_s = time.perf_counter() - started
    started = time.perf_counter()
    reference = [table.route_reference(inquiry) for inquiry in inquiries]
    reference_s = time.perf_counter() - started

    differing = sum(a != b for a, b in zip(ours, reference, strict=True))
    decided_by = sum(d.rule != "catch-all" for d in ours)
    per_ours = ours_s / len(inquiries) * 1e6
    per_reference = reference_s / len(inquiries) * 1e6
    print(f"decided by a generated rule: {decided_by:,} of {len(inquiries):,}")
    print(f"route (indexed):      {per_ours:9.1f} µs per inquiry  ({ours_s:.2f} s)")
    print(f"first-match loop:     {per_reference:9.1f} µs per inquiry  ({reference_s:.2f} s)")
    print(f"ratio: {reference_s / ours_s:.1f}x faster (target: at least 5x)")
    print(f"differing decisions: {differing}")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())

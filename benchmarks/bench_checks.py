"""Routing-table checks benchmark: ``check_table`` on generated tables of 1,000 to 10,000 rules.

Three kinds of generated tables, each ending with a catch-all rule:

- ``keywords``: ``any_keywords`` / ``all_keywords`` of words and phrases drawn from a
  vocabulary, written with or without diacritics and capitals (so that many rules overlap and
  some are shadowed by an earlier one, or by several together);
- ``fields``: two to four field tests (channel, kind, priority, province, policy area, topic);
- ``mixed``: field tests and keywords, with ``any`` across fields and ``not``.

For each kind and size the script prints the CPU time of ``check_table`` on the parsed document
(checks only; the routing index is built inside them), the number of rules reported shadowed or
never matching, and the verdict against the budget: 10,000 rules checked in under 10 s. The
pairwise checks this replaced took 3-5 s for 1,000 rules, 69 s for 4,000 and 292 s for 9,999
keyword rules (context only: they did not decide keywords, ``any`` across fields or ``not``
over policy areas). The exit status is 1 when a figure is over budget.

Run::

    python benchmarks/bench_checks.py                       # 1,000, 4,000 and 10,000 rules
    python benchmarks/bench_checks.py --sizes 1000 --kinds keywords
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from vss_care_core.models import PROVINCES
from vss_care_core.routing import check_table

BUDGET_SECONDS = 10.0
"""The most CPU time the checks of a 10,000-rule table may take."""

_TEXT = (
    "thẻ bhyt lương hưu trợ cấp thất nghiệp sổ bảo hiểm xã hội y tế đóng mức hưởng một lần "
    "thai sản ốm đau tai nạn lao động bệnh nghề nghiệp cấp lại gia hạn hộ gia đình học sinh "
    "sinh viên doanh nghiệp nợ đọng hoàn trả truy thu điều chỉnh quá trình công tác chốt sổ "
    "tra cứu mã số khám chữa bệnh tuyến chuyển viện thanh toán chi phí giám định hồ sơ"
)
_SYLLABLES = tuple(_TEXT.split())
_CHANNELS = ("phone", "fanpage", "portal", "email", "post", "zalo", "sms")
_KINDS = ("question", "support", "feedback", "complaint", "denunciation")
_PRIORITIES = ("low", "normal", "high", "urgent")
_AREAS = ("social", "health", "unemployment")
_TOPICS = ("pension", "health-card", "unemployment-benefit", "refund", "contribution")


def _spelling(word: str, rng: random.Random) -> str:
    """The word as written, as folded, or in capitals: one keyword for the checks."""
    choice = rng.random()
    if choice < 0.2:
        return word.upper()
    if choice < 0.35:
        return word.replace("đ", "d").encode("ascii", "ignore").decode() or word
    return word


def _keyword(rng: random.Random) -> str:
    size = rng.choices((1, 2, 3), weights=(1, 6, 3))[0]
    return " ".join(_spelling(w, rng) for w in rng.sample(_SYLLABLES, size))


def _keywords(rng: random.Random) -> dict[str, Any]:
    listed = [_keyword(rng) for _ in range(rng.randint(1, 4))]
    key = "all_keywords" if rng.random() < 0.3 else "any_keywords"
    condition: dict[str, Any] = {key: listed}
    if rng.random() < 0.2:
        condition["scope"] = rng.choice(("subject", "content"))
    return condition


def _fields(rng: random.Random) -> dict[str, Any]:
    choices: dict[str, Any] = {
        "channel": lambda: rng.sample(_CHANNELS, rng.randint(1, 3)),
        "kind": lambda: rng.sample(_KINDS, rng.randint(1, 2)),
        "priority": lambda: rng.sample(_PRIORITIES, rng.randint(1, 2)),
        "province": lambda: rng.sample(PROVINCES, rng.randint(1, 3)),
        "policy_area": lambda: rng.sample(_AREAS, rng.randint(1, 2)),
        "topic": lambda: rng.sample(_TOPICS, rng.randint(1, 2)),
    }
    keys = rng.sample(sorted(choices), rng.randint(2, 4))
    return {key: choices[key]() for key in keys}


def _mixed(rng: random.Random) -> dict[str, Any]:
    shape = rng.random()
    if shape < 0.4:
        return {"all": [_fields(rng), _keywords(rng)]}
    if shape < 0.6:
        return {"any": [_fields(rng), _fields(rng), _keywords(rng)]}
    if shape < 0.8:
        return {"all": [_keywords(rng), {"not": _fields(rng)}]}
    return {"all": [_fields(rng), {"not": _keywords(rng)}]}


_MAKERS = {"keywords": _keywords, "fields": _fields, "mixed": _mixed}


def table(kind: str, size: int, seed: int) -> dict[str, Any]:
    """A generated table of ``size`` rules of one kind (the last a catch-all)."""
    rng = random.Random(f"{kind}-{size}-{seed}")
    rules = [
        {"name": f"r{number}", "when": _MAKERS[kind](rng), "destination": "VSS-CSKH"}
        for number in range(1, size)
    ]
    rules.append({"name": "còn lại", "destination": "VSS-CSKH"})
    return {"rules": rules}


def main() -> int:
    """Time the checks for every kind and size; 1 when over budget."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 4000, 10000])
    parser.add_argument("--kinds", nargs="+", choices=sorted(_MAKERS), default=list(_MAKERS))
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    over = False
    print(f"{'kind':<9} {'rules':>6} {'CPU s':>7} {'shadowed':>9} {'never':>6}  verdict")
    for kind in args.kinds:
        for size in args.sizes:
            document = table(kind, size, args.seed)
            started = time.process_time()
            problems = check_table(document)
            elapsed = time.process_time() - started
            counts = Counter(problem.code for problem in problems)
            budget = BUDGET_SECONDS * size / 10_000
            verdict = "ok" if elapsed <= budget else f"over ({budget:.1f} s)"
            over = over or elapsed > budget
            print(
                f"{kind:<9} {size:>6} {elapsed:>7.2f} {counts['shadowed']:>9} "
                f"{counts['never-matches']:>6}  {verdict}"
            )
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())

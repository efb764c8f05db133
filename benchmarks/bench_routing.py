"""Routing benchmark: the indexed ``RoutingTable.route`` against the first-match loop, a baseline.

One generated table (1,000 rules by default) and a stream of generated inquiries, written once
to a temporary file so that every worker reads the same input. Both ``route`` and the
reference (the tests' oracle) fold the inquiry's text once and build the same decision; they
differ only in how the deciding rule is found: ``route`` intersects the table's precomputed
indexes (field values and keyword words → candidate rules) and evaluates only the candidates,
the reference tries every rule in order.

1. Against the first-match loop (working tree): the two take turns on chunks of ``--reference``
   inquiries, in CPU time; the script prints the per-inquiry costs, the ratio (target: ``route``
   at least 5x faster) and the number of differing decisions (which must be 0).
2. Against a baseline version (git ref in ``benchmarks/BASELINE``): loading the table
   (``RoutingTable.from_dict``: checks and compilation), ``route`` over ``--n`` inquiries and
   ``explain`` over ``--explained`` of them, each the least of ``--repeat`` runs in CPU time
   (garbage collector paused), the workers of the two versions taking turns for ``--rounds``
   rounds. Target: none more than 10% slower.

The exit status is 1 when a decision differs or a figure is over budget.

Run::

    python benchmarks/bench_routing.py                   # against the baseline (a minute or two)
    python benchmarks/bench_routing.py --baseline none   # the working tree alone
    python benchmarks/bench_routing.py --rules 300 --n 5000 --reference 500 --rounds 2
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from _compare import (
    BenchmarkError,
    Result,
    Version,
    add_options,
    check_counts,
    compare,
    describe,
    digest,
    emit,
    fail,
    in_rounds,
    least_timed,
    run_worker,
    timed,
    versions,
)

if TYPE_CHECKING:
    from vss_care_core import Inquiry, RoutingDecision, RoutingTable

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
CHUNK = 100  # inquiries per turn of route and route_reference
SHARED = {
    "load": "RoutingTable.from_dict (checks, compilation)",
    "route": "RoutingTable.route, per inquiry",
    "explain": "RoutingTable.explain, per inquiry",
}


# -- generated input (working tree) -----------------------------------------------------------
def _subset(rng: random.Random, values: list[Any], most: int) -> list[Any]:
    return rng.sample(values, rng.randint(1, most))


def generate_rule(rng: random.Random, index: int) -> dict[str, Any]:
    """One random rule: a few field tests, mostly with keywords, sometimes a not.

    Rules without keywords test four fields, so that few of them shadow later rules.
    """
    from vss_care_core import PROVINCES, Channel, InquiryKind, PolicyArea, Priority  # noqa: PLC0415
    from vss_care_core.routing import TOPICS  # noqa: PLC0415 - workers only

    fields: dict[str, Any] = {}
    choices: dict[str, Callable[[], Any]] = {
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


def generate_table(rng: random.Random, size: int) -> dict[str, Any]:
    """A table document of ``size`` generated rules that passes the checks, ending with a
    catch-all.

    Rules reported as shadowed or never matching are replaced until the table is clean.
    """
    from vss_care_core import check_table  # noqa: PLC0415 - workers only

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
    return {"rules": rules}


def _text(rng: random.Random, shortest: int, longest: int) -> str:
    words = rng.choices(SYLLABLES, k=rng.randint(shortest, longest))
    if rng.random() < 0.3:
        words.insert(rng.randrange(len(words) + 1), rng.choice(RARE))
    return " ".join(words)


def generate_inquiries(rng: random.Random, count: int) -> list[dict[str, Any]]:
    """``count`` random inquiries with Vietnamese subjects and contents, as JSON data."""
    from vss_care_core import PROVINCES, Channel, InquiryKind, PolicyArea, Priority  # noqa: PLC0415
    from vss_care_core.routing import TOPICS  # noqa: PLC0415 - workers only

    inquiries = []
    provinces = [*PROVINCES, None]
    topics = [*sorted(TOPICS), None]
    kinds = [*(k.value for k in InquiryKind), None]
    for _ in range(count):
        province = rng.choice(provinces)
        inquiries.append(
            {
                "channel": rng.choice([c.value for c in Channel]),
                "received_at": AT.isoformat(),
                "requester": (
                    {"type": "organization", "name": "Công ty", "province": province}
                    if rng.random() < 0.2
                    else {"type": "individual", "province": province}
                ),
                "subject": _text(rng, 2, 6),
                "content": _text(rng, 10, 40),
                "kind": rng.choice(kinds),
                "policy_areas": [a.value for a in rng.sample(list(PolicyArea), rng.randint(0, 2))],
                "topic": rng.choice(topics),
                "priority": rng.choice([p.value for p in Priority]),
            }
        )
    return inquiries


def generate_worker(args: argparse.Namespace) -> None:
    """Write the table and the inquiries to ``--data``; print how long the table took."""
    rng = random.Random(args.seed)
    seconds, document = timed(lambda: generate_table(rng, args.rules), collector=True)
    inquiries = generate_inquiries(rng, max(args.n, args.reference))
    with Path(args.data).open("w", encoding="utf-8") as out:
        json.dump({"table": document, "inquiries": inquiries}, out, ensure_ascii=False)
    emit(generated=seconds, rules=len(document["rules"]), inquiries=len(inquiries))


# -- measurements -----------------------------------------------------------------------------
def load(path: str, count: int) -> tuple[dict[str, Any], list[Inquiry]]:
    """The table document and the first ``count`` inquiries, validated, from ``path``."""
    from vss_care_core import Inquiry  # noqa: PLC0415 - workers only

    with Path(path).open(encoding="utf-8") as stream:
        data = json.load(stream)
    inquiries = [Inquiry.model_validate(item) for item in data["inquiries"][:count]]
    return data["table"], inquiries


def shared_worker(args: argparse.Namespace) -> None:
    """Load the table, route every inquiry, explain a few (both versions, CPU time)."""
    from vss_care_core import RoutingTable  # noqa: PLC0415 - workers only

    document, inquiries = load(args.data, args.n)
    load_seconds, table = least_timed(lambda: RoutingTable.from_dict(document), args.repeat)
    route_seconds, decisions = least_timed(lambda: [table.route(q) for q in inquiries], args.repeat)
    explained = inquiries[: args.explained]
    explain_seconds, explanations = least_timed(
        lambda: [table.explain(q) for q in explained], args.repeat
    )
    assert [e.decision for e in explanations] == decisions[: len(explained)]
    emit(
        seconds={
            "load": load_seconds,
            "route": route_seconds / len(inquiries),
            "explain": explain_seconds / len(explained),
        },
        decided_by=sum(d.rule != "catch-all" for d in decisions),
        digest=digest(d.model_dump_json() for d in decisions),
    )


def decide_all(
    decide: Callable[[Inquiry], RoutingDecision], inquiries: list[Inquiry]
) -> list[RoutingDecision]:
    """The decision of ``decide`` for every inquiry."""
    return [decide(inquiry) for inquiry in inquiries]


def in_turns(table: RoutingTable, inquiries: list[Inquiry]) -> dict[str, Any]:
    """``route`` and the reference taking turns on chunks (who goes first alternates)."""
    # the tests' oracle: every rule tried in order (private, as an oracle is)
    ways = {"route": table.route, "reference": table._reference_route}
    seconds = dict.fromkeys(ways, 0.0)
    decisions: dict[str, list[RoutingDecision]] = {name: [] for name in ways}
    for turn, first in enumerate(range(0, len(inquiries), CHUNK)):
        chunk = inquiries[first : first + CHUNK]
        order = list(ways) if turn % 2 == 0 else list(reversed(ways))
        for name in order:
            spent, decided = timed(partial(decide_all, ways[name], chunk))
            seconds[name] += spent
            decisions[name].extend(decided)
    differing = sum(a != b for a, b in zip(decisions["route"], decisions["reference"], strict=True))
    return {"seconds": seconds, "differing": differing}


def alternatives_worker(args: argparse.Namespace) -> None:
    """``route`` against the first-match loop, on the same inquiries (working tree only)."""
    from vss_care_core import RoutingTable  # noqa: PLC0415 - workers only

    document, inquiries = load(args.data, args.reference)
    table = RoutingTable.from_dict(document)
    found = in_turns(table, inquiries)
    emit(
        route=found["seconds"]["route"] / len(inquiries),
        reference=found["seconds"]["reference"] / len(inquiries),
        differing=found["differing"],
        count=len(inquiries),
    )


# -- the parent -------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    """Run the benchmark (or one of its workers); 1 if a decision differs or over budget."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rules", type=int, default=1_000, help="rules in the table (1,000)")
    parser.add_argument("--n", type=int, default=20_000, help="inquiries to route (20,000)")
    parser.add_argument(
        "--reference",
        type=int,
        default=2_000,
        help="inquiries also decided by the first-match loop (2,000)",
    )
    parser.add_argument(
        "--explained", type=int, default=50, help="inquiries also explained (50; slow)"
    )
    parser.add_argument(
        "--repeat", type=int, default=2, help="timing runs of each figure in a worker (least kept)"
    )
    parser.add_argument("--seed", type=int, default=7, help="random seed")
    parser.add_argument("--data", help=argparse.SUPPRESS)
    add_options(parser)
    args = parser.parse_args(argv)
    check_counts(parser, args, "rules", "n", "reference", "explained", "repeat", "rounds")
    if args.explained > args.n:
        parser.error("--explained must not be more than --n")
    workers = {
        "generate": generate_worker,
        "shared": shared_worker,
        "alternatives": alternatives_worker,
    }
    if args.worker in workers:
        workers[args.worker](args)
        return 0

    started = time.perf_counter()
    sizes = ["--rules", str(args.rules), "--n", str(args.n), "--seed", str(args.seed)]
    sizes += ["--reference", str(args.reference), "--explained", str(args.explained)]
    sizes += ["--repeat", str(args.repeat)]
    try:
        with versions(args.baseline) as found, tempfile.TemporaryDirectory() as folder:
            describe("Routing: the indexed route against the first-match loop", found, args.rounds)
            working = found[-1]
            common = [*sizes, "--data", str(Path(folder) / "input.json")]
            made = run_worker(working, __file__, [*common, "--worker", "generate"])
            print(
                f"table: {made['rules']} rules, generated and checked in {made['generated']:.2f} s"
            )
            print(f"inquiries: {made['inquiries']:,}")
            print()
            turns = run_worker(working, __file__, [*common, "--worker", "alternatives"])

            def shared(version: Version) -> Result:
                return run_worker(version, __file__, [*common, "--worker", "shared"])

            results = in_rounds(found, args.rounds, shared)
    except BenchmarkError as error:
        return fail(__file__, error)

    count = turns["count"]
    print(f"1. Against the first-match loop (working tree; in turns on chunks of {CHUNK})")
    print(
        f"   decided by a generated rule: {results[working.name][0]['decided_by']:,} of {args.n:,}"
    )
    print(f"   route (indexed):      {turns['route'] * 1e6:9.1f} µs per inquiry  ({count:,})")
    print(f"   first-match loop:     {turns['reference'] * 1e6:9.1f} µs per inquiry  ({count:,})")
    ratio = turns["reference"] / turns["route"]
    mark = "PASS" if ratio >= 5 else "FAIL"
    print(f"   ratio: {ratio:.1f}x faster (target: at least 5x) [{mark}]")
    print(f"   differing decisions: {turns['differing']}")
    print()
    print(f"2. The public routing API ({args.n:,} routed, {args.explained:,} explained), each")
    print(f"   figure the least of {args.repeat} runs per worker")
    within = compare(results, SHARED)
    print(f"Total time {time.perf_counter() - started:,.1f} s")
    return 1 if turns["differing"] or not within else 0


if __name__ == "__main__":
    sys.exit(main())

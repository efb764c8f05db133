"""A pseudonymised log: nothing personal left, and the same figures as the original."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from vss_care_core import Inquiry, InvalidInputError
from vss_care_core.cli import main
from vss_care_core.models import Individual, Organization
from vss_care_core.monitoring import (
    DuplicateKind,
    LogRecord,
    compute_kpis,
    find_duplicates,
    pseudonymise,
    read_event_log,
    write_event_log,
)
from vss_care_core.simulation import simulate

KEY = b"k" * 32


@pytest.fixture(scope="module")
def records() -> list[LogRecord]:
    log, _ = simulate(days=2, seed=8, settle_days=5)
    return list(log)


def _personal(records: list[LogRecord]) -> set[str]:
    """Every name, identifier and question text of the original log."""
    found: set[str] = set()
    for record in records:
        if not isinstance(record, Inquiry):
            continue
        requester = record.requester
        if isinstance(requester, Individual | Organization) and requester.name:
            found.add(requester.name)
        for identifier in requester.identifiers:
            found.add(identifier.split(":", 1)[1])
        if len(record.content) > 20:
            found.add(record.content)
    return found


def test_the_report_is_the_same(records: list[LogRecord]) -> None:
    shared = list(pseudonymise(records, key=KEY))
    assert compute_kpis(shared).model_dump() == compute_kpis(records).model_dump()


def test_same_requester_duplicates_are_the_same(records: list[LogRecord]) -> None:
    def same_requester(log: list[LogRecord]) -> list[tuple[str, ...]]:
        inquiries = [r for r in log if isinstance(r, Inquiry)]
        groups = find_duplicates(inquiries, window=timedelta(days=7))
        return [g.members for g in groups if g.kind is DuplicateKind.SAME_REQUESTER]

    original = same_requester(records)
    assert original
    assert same_requester(list(pseudonymise(records, key=KEY))) == original


def test_nothing_personal_is_left(records: list[LogRecord], tmp_path: Path) -> None:
    path = tmp_path / "shared.jsonl"
    with path.open("w", encoding="utf-8") as out:
        write_event_log(pseudonymise(records, key=KEY), out)
    text = path.read_text(encoding="utf-8")
    personal = _personal(records)
    assert len(personal) > 100
    assert [value for value in personal if value in text] == []
    back = list(read_event_log(path))
    assert len(back) == len(records)


def test_the_key_decides_the_hashes(records: list[LogRecord]) -> None:
    def keys(key: bytes) -> set[str]:
        return {
            k
            for r in pseudonymise(records[:200], key=key)
            if isinstance(r, Inquiry)
            for k in r.requester.identifiers
        }

    first, again, other = keys(KEY), keys(KEY), keys(b"x" * 32)
    assert first
    assert first == again
    assert not first & other


def test_a_short_key_is_refused(records: list[LogRecord]) -> None:
    with pytest.raises(InvalidInputError, match="at least 16 bytes"):
        list(pseudonymise(records, key=b"short"))


def test_the_command(records: list[LogRecord], tmp_path: Path) -> None:
    log = tmp_path / "events.jsonl"
    with log.open("w", encoding="utf-8") as stream:
        write_event_log(records[:500], stream)
    key = tmp_path / "key"
    key.write_bytes(KEY)
    out = tmp_path / "shared.jsonl"
    argv = ["export", str(log), "--pseudonymise", "--key-file", str(key), "--out", str(out)]
    assert main(argv) == 0
    shared = out.read_text(encoding="utf-8")
    assert shared.count("\n") == 500
    assert "pseudonymous" in shared
    key.write_bytes(b"123")
    assert main(argv) == 1

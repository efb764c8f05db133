"""A real store: cases and their events in SQLite, with the case version as an optimistic lock.

Two desk officers open the same written case at the same moment and both act on it. The store
accepts the first write and refuses the second with ``ConcurrencyConflict``; the second officer
reloads the case and acts again, so nothing is lost. At the end every case is rebuilt from the
stored events alone and compared with the live one.
"""

from __future__ import annotations

import sqlite3
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from vss_care_core import Answer, ConcurrencyConflict, Event, Inquiry
from vss_care_core.process import Case, open_case

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")

SCHEMA = """
CREATE TABLE IF NOT EXISTS inquiries (
    id TEXT PRIMARY KEY,
    body TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS cases (
    id TEXT PRIMARY KEY,
    inquiry_id TEXT NOT NULL REFERENCES inquiries (id),
    version INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS events (
    case_id TEXT NOT NULL REFERENCES cases (id),
    seq INTEGER NOT NULL,
    event_id TEXT NOT NULL UNIQUE,
    body TEXT NOT NULL,
    PRIMARY KEY (case_id, seq)
);
"""


class CaseStore:
    """Cases in SQLite: an inquiry row, a case row with its version, and one row per event."""

    def __init__(self, path: Path) -> None:
        self.path = path
        with self._connect() as db:
            db.executescript(SCHEMA)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, isolation_level=None, timeout=5)
        try:
            yield db
        finally:
            db.close()

    def add(self, case: Case) -> None:
        """Store a newly opened case with its inquiry and its first events."""
        with self._connect() as db:
            db.execute("BEGIN IMMEDIATE")
            db.execute(
                "INSERT OR IGNORE INTO inquiries (id, body) VALUES (?, ?)",
                (case.inquiry.id, case.inquiry.model_dump_json()),
            )
            db.execute(
                "INSERT INTO cases (id, inquiry_id, version) VALUES (?, ?, 0)",
                (case.id, case.inquiry.id),
            )
            self._append(db, case.id, case.history, expected=0)
            db.execute("COMMIT")

    def save(self, case: Case, *, expected_version: int) -> None:
        """Store the events ``case`` gained since ``expected_version`` (the version read).

        Raises :class:`ConcurrencyConflict` when another writer stored events first; the
        transaction then stores nothing.
        """
        with self._connect() as db:
            db.execute("BEGIN IMMEDIATE")  # one writer at a time; readers are not blocked
            try:
                self._append(db, case.id, case.history[expected_version:], expected_version)
            except ConcurrencyConflict:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    @staticmethod
    def _append(
        db: sqlite3.Connection, case_id: str, events: Sequence[Event], expected: int
    ) -> None:
        row = db.execute("SELECT version FROM cases WHERE id = ?", (case_id,)).fetchone()
        actual = int(row[0])
        if actual != expected:
            raise ConcurrencyConflict(case_id, expected, actual)
        db.executemany(
            "INSERT INTO events (case_id, seq, event_id, body) VALUES (?, ?, ?, ?)",
            [(e.case_id, e.seq, e.id, e.model_dump_json()) for e in events],
        )
        db.execute("UPDATE cases SET version = ? WHERE id = ?", (expected + len(events), case_id))

    def load(self, case_id: str) -> Case:
        """Rebuild a case from its stored inquiry and events."""
        with self._connect() as db:
            (body,) = db.execute(
                "SELECT i.body FROM cases c JOIN inquiries i ON i.id = c.inquiry_id WHERE c.id = ?",
                (case_id,),
            ).fetchone()
            rows = db.execute(
                "SELECT body FROM events WHERE case_id = ? ORDER BY seq", (case_id,)
            ).fetchall()
        inquiry = Inquiry.model_validate_json(body)
        return Case.replay(inquiry, [Event.model_validate_json(row[0]) for row in rows])

    def case_ids(self) -> list[str]:
        """Every stored case, in the order of their identifiers."""
        with self._connect() as db:
            return [row[0] for row in db.execute("SELECT id FROM cases ORDER BY id")]


def _inquiries(start: datetime) -> list[Inquiry]:
    people = [
        ("Trần Thị Bình", "001303012345", "Cấp lại sổ BHXH", "Tôi bị mất sổ BHXH, xin cấp lại."),
        (
            "Lê Văn Cường",
            "079203001234",
            "Thẻ BHYT hết hạn",
            "Thẻ BHYT của tôi hết hạn, gia hạn ở đâu?",
        ),
        (
            "Phạm Thu Hà",
            "031185004567",
            "Trợ cấp thất nghiệp",
            "Hồ sơ hưởng trợ cấp thất nghiệp gồm gì?",
        ),
    ]
    return [
        Inquiry(
            id=f"q-{number}",
            channel="email",
            received_at=start + timedelta(minutes=10 * number),
            requester={"name": name, "citizen_id": cid},
            subject=subject,
            content=content,
        )
        for number, (name, cid, subject, content) in enumerate(people, start=1)
    ]


def main() -> None:
    """Store three e-mail cases, race two writers on one of them, rebuild everything."""
    start = datetime(2026, 3, 2, 8, 0, tzinfo=HANOI)
    with tempfile.TemporaryDirectory() as folder:
        store = CaseStore(Path(folder) / "cases.sqlite3")
        live: dict[str, Case] = {}
        for inquiry in _inquiries(start):
            case = open_case(
                inquiry, at=inquiry.received_at, by="email-desk", case_id=f"c-{inquiry.id}"
            )
            case.complete(
                "intake",
                at=inquiry.received_at + timedelta(minutes=30),
                by="email-desk",
                kind="question",
                policy_areas=["social"],
                topic="insurance-book",
            )
            store.add(case)
            live[case.id] = case
        print(f"stored {len(live)} cases")

        # Two officers read case c-q-1 at version 2 (opened, intake done) at the same time.
        officer_a = store.load("c-q-1")
        officer_b = store.load("c-q-1")
        read = officer_a.version
        at = start + timedelta(hours=2)
        officer_a.complete(
            "assign",
            at=at,
            by="lead-a",
            unit="VSS-CSKH",
            assignee="officer-a",
            expected_version=read,
        )
        store.save(officer_a, expected_version=read)
        print(f"officer A assigned the case: version {read} -> {officer_a.version}")

        officer_b.fire(
            "request_info", at=at, by="lead-b", note="thiếu ảnh căn cước", expected_version=read
        )
        try:
            store.save(officer_b, expected_version=read)
        except ConcurrencyConflict as conflict:
            print(f"officer B refused: {conflict}")
            officer_b = store.load("c-q-1")  # reload: the assignment is there
            moved = officer_b.version
            officer_b.complete(
                "draft",
                at=at + timedelta(hours=1),
                by="officer-a",
                answer=Answer(
                    text="Để cấp lại sổ BHXH bị mất, bạn nộp tờ khai TK1-TS tại cơ quan BHXH "
                    "nơi cư trú; thời gian giải quyết không quá 5 ngày làm việc."
                ),
                expected_version=moved,
            )
            store.save(officer_b, expected_version=moved)
            print(f"officer B retried on the new version: {moved} -> {officer_b.version}")
        live["c-q-1"] = officer_b

        rebuilt = {case_id: store.load(case_id) for case_id in store.case_ids()}
        assert rebuilt == live, "a case rebuilt from the store differs from the live one"
        steps = [
            event.action if event.step is None else event.step for event in rebuilt["c-q-1"].history
        ]
        print(f"rebuilt {len(rebuilt)} cases from the stored events; c-q-1: {' > '.join(steps)}")


if __name__ == "__main__":
    main()

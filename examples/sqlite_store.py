"""Two desk officers on one case, through the SQLite case store.

Both officers load the same written case at the same moment and act on it. The store accepts
the first move and refuses the second with ``ConcurrencyConflict``; the second officer loads the
case again and decides again, so nothing is lost. An exporter then reads every record from the
store's outbox, in order, as the versioned JSON Lines log.
"""

from __future__ import annotations

import tempfile
from datetime import datetime, timedelta
from pathlib import Path

from vss_care_core import VIETNAM_TZ, ConcurrencyConflict, Inquiry, encode_record, open_case
from vss_care_core.store import SQLiteCaseStore


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = SQLiteCaseStore(Path(folder) / "cases.sqlite3")
        at = datetime(2026, 3, 2, 9, 0, tzinfo=VIETNAM_TZ)
        inquiry = Inquiry(
            channel="email",
            received_at=at,
            requester={"name": "Trần Thị Bình"},
            subject="Cấp lại sổ BHXH",
            content="Tôi bị mất sổ BHXH, xin cấp lại thế nào?",
        )
        case = open_case(inquiry, at=at, by="email-desk")
        store.add(case)
        store.move(
            case.id, "complete", "intake", at=at + timedelta(minutes=20), by="officer-7",
            kind="question", policy_areas=["social"], topic="insurance-book",
        )  # fmt: skip

        desk_a, desk_b = store.load(case.id), store.load(case.id)
        read = desk_a.version
        assigned = desk_a.complete("assign", at=at + timedelta(hours=1), by="lead-a", unit="HN")
        store.append(assigned, expected_version=read)
        late = desk_b.fire("request_info", at=at + timedelta(hours=1), by="lead-b")
        try:
            store.append(late, expected_version=read)
        except ConcurrencyConflict as conflict:
            print(f"the second officer is told: {conflict}")
        fresh = store.load(case.id)
        print(f"after reloading, the case is at step {fresh.state!r}, version {fresh.version}")

        lines = [encode_record(item.record) for item in store.outbox()]
        print(f"the outbox holds {len(lines)} records, the first: {lines[0][:60]}...")
        store.close()


if __name__ == "__main__":
    main()

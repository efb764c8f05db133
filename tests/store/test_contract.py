"""The store contract, run against every store: SQLite, and PostgreSQL when a server is given."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from workload import STEP, inquiry, make_move, new_case

from conftest import Backend
from vss_care_core.errors import (
    CareCoreError,
    ConcurrencyConflict,
    DuplicateEventError,
    InvalidEventError,
    InvalidInputError,
    TransitionNotAllowed,
)
from vss_care_core.models import VIETNAM_TZ, Event, Inquiry
from vss_care_core.monitoring import decode_record, encode_record
from vss_care_core.process import WRITTEN_PROCESS, Case, ProcessDefinition, open_case
from vss_care_core.sla import sla_status
from vss_care_core.store import (
    SCHEMA_VERSION,
    CaseNotFoundError,
    CaseStore,
    OpenCase,
    sla_next_alert,
)
from vss_care_core.testing import DEFAULT_TIME, case_at, make_inquiry

CALL_STEPS = ("greet", "identify", "listen", "classify", "respond", "confirm", "close", "closed")
WRITTEN_STEPS = ("intake", "assign", "draft", "review", "send", "answered")


def vn(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment in March 2026, Vietnam time."""
    return datetime(2026, 3, day, hour, minute, tzinfo=VIETNAM_TZ)


def test_every_store_follows_the_contract(store: CaseStore) -> None:
    """The store is a CaseStore, at the library's schema version, and empty."""
    assert isinstance(store, CaseStore)
    assert store.schema_version == SCHEMA_VERSION
    assert store.last_position() == 0
    assert list(store.outbox()) == []
    assert store.open_cases() == []


# ------------------------------------------------------------------------------ add, load
@pytest.mark.parametrize("step", CALL_STEPS + WRITTEN_STEPS)
def test_a_stored_case_rebuilds_equal(store: CaseStore, step: str) -> None:
    """A case driven to each step of both processes is rebuilt equal from the store."""
    case = case_at(step)
    store.add(case)
    rebuilt = store.load(case.id)
    assert rebuilt == case
    assert rebuilt.version == case.version
    assert rebuilt.facts == case.facts


def test_adding_the_same_case_again_is_a_no_op(store: CaseStore) -> None:
    """A retried add stores nothing more; another case under the same id is a conflict."""
    case = new_case(1)
    store.add(case)
    store.add(case)
    assert store.last_position() == 2  # the inquiry and the opening event, once
    other = open_case(inquiry(1), at=inquiry(1).received_at, by="desk", case_id="c-1")
    with pytest.raises(ConcurrencyConflict) as raised:
        store.add(other)
    assert (raised.value.expected, raised.value.actual) == (0, 1)
    assert store.last_position() == 2


def test_an_inquiry_is_stored_once_for_two_cases(store: CaseStore) -> None:
    """A follow-up case shares its inquiry: the outbox holds the inquiry once."""
    call = case_at("respond")
    call.fire("escalate", at=DEFAULT_TIME + timedelta(hours=1), by="agent-1")
    follow = call.follow_up()
    assert follow is not None
    store.add(call)
    store.add(follow)
    kinds = [type(item.record).__name__ for item in store.outbox()]
    assert kinds.count("Inquiry") == 1
    assert store.load(follow.id) == follow


def test_an_inquiry_id_with_other_content_is_refused(store: CaseStore) -> None:
    """Two different inquiries under one id: the second case is refused, nothing written."""
    store.add(new_case(1))
    other = make_inquiry(id="q-1", subject="Một câu hỏi khác")
    with pytest.raises(InvalidInputError, match="inquiry 'q-1' is stored already"):
        store.add(open_case(other, at=other.received_at, by="desk", case_id="c-2"))
    assert store.last_position() == 2
    with pytest.raises(CaseNotFoundError):
        store.load("c-2")


def test_an_unknown_case_is_a_key_error(store: CaseStore) -> None:
    """CaseNotFoundError is a KeyError too, and says what to do."""
    with pytest.raises(KeyError) as raised:
        store.load("c-404")
    assert isinstance(raised.value, CaseNotFoundError)
    assert "there is no case 'c-404' in the store" in str(raised.value)
    assert store.where in str(raised.value)


# ------------------------------------------------------------------------------- append
def test_append_stores_a_move_and_refuses_a_stale_version(store: CaseStore) -> None:
    """Two writers read version 1; the first append wins, the second is a conflict."""
    store.add(new_case(1))
    first, second = store.load("c-1"), store.load("c-1")
    winner = make_move(first, by="writer-a")
    loser = make_move(second, by="writer-b")
    assert store.append(winner, expected_version=1) == winner
    before = store.last_position()
    with pytest.raises(ConcurrencyConflict) as raised:
        store.append(loser, expected_version=1)
    assert (raised.value.expected, raised.value.actual, raised.value.case_id) == (1, 2, "c-1")
    assert store.last_position() == before
    assert store.load("c-1") == first


def test_another_store_objects_moves_are_seen(backend: Backend) -> None:
    """Two store objects on one store: a move stored through one is never hidden from the
    other by what it read before."""
    location = backend.new_location()
    with backend.open(location, fast=True) as first, backend.open(location, fast=True) as second:
        first.add(new_case(1))
        seen = first.load("c-1")
        case = second.load("c-1")
        read = case.version
        second.append(make_move(case, by="agent-2"), expected_version=read)
        with pytest.raises(ConcurrencyConflict):
            first.append(make_move(seen, by="agent-1"), expected_version=read)
        event = first.move("c-1", "complete", "assign", at=vn(2, 11), by="agent-1", unit="CCC")
        assert event.seq == 3
        assert first.load("c-1") == second.load("c-1")


def test_the_same_event_again_is_a_no_op(store: CaseStore) -> None:
    """At-least-once delivery: the event appended twice is stored once."""
    store.add(new_case(1))
    case = store.load("c-1")
    event = make_move(case, by="agent-1")
    store.append(event, expected_version=1)
    position = store.last_position()
    assert store.append(event, expected_version=1) == event  # the version is stale: still fine
    assert store.last_position() == position
    assert store.load("c-1").version == 2


def test_another_event_under_a_known_id_is_refused(store: CaseStore) -> None:
    """An event id reused for another move, in the same case or another, loses nothing."""
    store.add(new_case(1))
    store.add(new_case(2))
    case = store.load("c-1")
    event = make_move(case, by="agent-1")
    store.append(event, expected_version=1)
    again = make_move(case, by="agent-1")
    reused = Event.model_validate({**again.model_dump(), "id": event.id})
    with pytest.raises(DuplicateEventError) as raised:
        store.append(reused, expected_version=2)
    assert raised.value.event_id == event.id
    other = store.load("c-2")
    elsewhere = make_move(other, by="agent-1")
    with pytest.raises(DuplicateEventError):
        store.append(
            Event.model_validate({**elsewhere.model_dump(), "id": event.id}), expected_version=1
        )
    assert store.last_position() == 5


def test_an_event_the_process_does_not_allow_is_refused(store: CaseStore) -> None:
    """An event that skips a step, or claims another target, is refused; nothing written."""
    store.add(new_case(1))
    forged = Event(
        case_id="c-1",
        seq=2,
        at=inquiry(1).received_at + STEP,
        by="agent-1",
        action="complete",
        step="intake",
        from_state="intake",
        to_state="draft",
        data={"kind": "question", "policy_areas": ["social"], "topic": "pension"},
    )
    with pytest.raises(InvalidEventError):
        store.append(forged, expected_version=1)
    skipping = replace_event(forged, step="assign", from_state="assign")
    with pytest.raises(InvalidEventError):
        store.append(skipping, expected_version=1)
    assert store.last_position() == 2


def replace_event(event: Event, **changes: object) -> Event:
    return Event.model_validate({**event.model_dump(), **changes})


def test_append_to_an_unknown_case(store: CaseStore) -> None:
    """A move of a case that was never added is refused with CaseNotFoundError."""
    case = new_case(1)
    event = make_move(case, by="agent-1")
    with pytest.raises(CaseNotFoundError):
        store.append(event, expected_version=1)
    assert store.last_position() == 0


@pytest.mark.parametrize("version", [0, -1, True, "1", None])
def test_append_needs_a_version(store: CaseStore, version: object) -> None:
    """expected_version= is a whole number from 1 (a case has its opening event)."""
    store.add(new_case(1))
    event = make_move(store.load("c-1"), by="agent-1")
    with pytest.raises(InvalidInputError, match="expected_version="):
        store.append(event, expected_version=version)  # type: ignore[arg-type]


# --------------------------------------------------------------------------------- move
def test_move_loads_moves_and_stores(store: CaseStore) -> None:
    """store.move makes the move on the stored case and stores it in one step."""
    store.add(new_case(1))
    at = inquiry(1).received_at + STEP
    event = store.move(
        "c-1",
        "complete",
        "intake",
        at=at,
        by="agent-1",
        kind="question",
        policy_areas=["social"],
        topic="pension",
    )
    assert (event.seq, event.to_state) == (2, "assign")
    held = store.move("c-1", "complete", "assign", at=at, by="agent-1", unit="CCC")
    paused = store.move("c-1", "request_info", at=at + STEP, by="agent-1", note="thiếu hồ sơ")
    assert (held.to_state, paused.to_state) == ("draft", "awaiting_info")
    case = store.load("c-1")
    assert case.history[1:] == (event, held, paused)
    assert case.facts.unit == "CCC"


def test_move_with_a_stale_version_or_a_refused_move(store: CaseStore) -> None:
    """A stale expected_version is a conflict; a move the process refuses is refused; neither
    writes anything."""
    store.add(new_case(1))
    at = inquiry(1).received_at + STEP
    with pytest.raises(ConcurrencyConflict):
        store.move("c-1", "withdraw", at=at, by="agent-1", expected_version=3)
    with pytest.raises(TransitionNotAllowed):
        store.move("c-1", "complete", "assign", at=at, by="agent-1")
    with pytest.raises(TransitionNotAllowed, match="classification"):
        store.move("c-1", "complete", "intake", at=at, by="agent-1")
    assert store.last_position() == 2


def test_move_is_idempotent_by_event_id(store: CaseStore) -> None:
    """The same move sent again with its event_id is stored once; another move with that id,
    even in another case, is refused."""
    store.add(new_case(1))
    store.add(new_case(2))
    at = inquiry(2).received_at + STEP
    first = store.move("c-1", "withdraw", at=at, by="agent-1", event_id="e-withdraw")
    again = store.move("c-1", "withdraw", at=at, by="agent-1", event_id="e-withdraw")
    assert again == first
    assert store.load("c-1").version == 2
    with pytest.raises(DuplicateEventError):
        store.move("c-2", "withdraw", at=at, by="agent-1", event_id="e-withdraw")
    assert store.load("c-2").version == 1


@pytest.mark.parametrize(
    ("action", "step", "problem"),
    [("complete", None, "needs the code of the step"), ("hold", "greet", "takes no step")],
)
def test_move_names_a_step_only_to_complete(
    store: CaseStore, action: str, step: str | None, problem: str
) -> None:
    """``complete`` needs its step, a side path takes none."""
    store.add(new_case(1))
    with pytest.raises(InvalidInputError, match=problem):
        store.move("c-1", action, step, at=DEFAULT_TIME, by="agent-1")


# --------------------------------------------------------------------------- open cases
def test_open_cases_by_unit_step_and_due_time(store: CaseStore) -> None:
    """Concrete dated case: three open cases, one ended; filters and order."""
    for number in (1, 2, 3, 4):
        store.add(new_case(number), next_alert_at=vn(3 + number, 8))
    store.move("c-1", "complete", "intake", at=vn(2, 10), by="a", kind="question",
               policy_areas=["social"], topic="pension", next_alert_at=vn(9, 8))  # fmt: skip
    store.move("c-1", "complete", "assign", at=vn(2, 11), by="a", unit="CCC",
               next_alert_at=vn(2, 17))  # fmt: skip
    store.move("c-4", "withdraw", at=vn(2, 12), by="a", next_alert_at=vn(2, 9))
    listed = store.open_cases()
    assert [item.case_id for item in listed] == ["c-1", "c-2", "c-3"]
    assert listed[0] == OpenCase(
        case_id="c-1",
        process="written",
        state="draft",
        step="draft",
        unit="CCC",
        version=3,
        next_alert_at=datetime(2026, 3, 2, 10, 0, tzinfo=UTC),
    )
    assert [item.case_id for item in store.open_cases(unit="CCC")] == ["c-1"]
    assert [item.case_id for item in store.open_cases(step="intake")] == ["c-2", "c-3"]
    due = store.open_cases(due_before=vn(6, 8))
    assert [item.case_id for item in due] == ["c-1", "c-2"]  # c-3 is due exactly then: not before
    assert [item.case_id for item in store.open_cases(due_before=vn(7, 0), limit=1)] == ["c-1"]
    store.set_next_alert("c-2", None)
    assert [item.case_id for item in store.open_cases()] == ["c-1", "c-3", "c-2"]
    with pytest.raises(InvalidInputError, match="has ended"):
        store.set_next_alert("c-4", vn(10, 8))


def test_open_cases_are_the_open_stored_cases(store: CaseStore) -> None:
    """Differential: the listing equals a filter over the loaded cases."""
    for number in range(12):
        case = new_case(number)
        for _ in range(number % 5):
            make_move(case, by="agent-1")
        if number % 4 == 3:
            case.fire("withdraw", at=case.history[-1].at, by="agent-1")
        store.add(case)
    cases = [store.load(f"c-{number}") for number in range(12)]
    for unit in (None, "CCC", "BHXH-HN"):
        for step in (None, "intake", "draft"):
            expected = sorted(
                case.id
                for case in cases
                if case.is_open
                and (unit is None or case.facts.unit == unit)
                and (step is None or case.step.code == step)
            )
            listed = store.open_cases(unit=unit, step=step)
            assert sorted(item.case_id for item in listed) == expected
            for item in listed:
                case = store.load(item.case_id)
                assert (item.version, item.state, item.unit) == (
                    case.version,
                    case.state,
                    case.facts.unit,
                )


def test_the_sla_rule_gives_the_next_alert(backend: Backend) -> None:
    """With sla_next_alert, next_alert_at is the earliest next alert of sla_status at the last
    event, for every write; a write's own next_alert_at wins."""
    with backend.new_store(next_alert=sla_next_alert()) as store:
        for number in range(3):
            store.add(new_case(number))
        intake = {"at": vn(2, 10), "by": "a", "kind": "question", "topic": "pension"}
        store.move("c-0", "complete", "intake", **intake, policy_areas=["social"])
        store.move("c-1", "request_info", at=vn(2, 10), by="a")
        store.move(
            "c-2", "complete", "intake", **intake, policy_areas=["health"], next_alert_at=vn(20, 8)
        )
        listed = {item.case_id: item.next_alert_at for item in store.open_cases()}
        for case_id in ("c-0", "c-1"):
            case = store.load(case_id)
            timers = sla_status(case, at=case.history[-1].at)
            alerts = [t.next_alert_at for t in timers if t.next_alert_at is not None]
            assert listed[case_id] == min(alerts, default=None)
        assert listed["c-2"] == vn(20, 8)
        assert listed["c-0"] is not None


def test_an_ended_case_has_no_alert(store: CaseStore) -> None:
    """A case that ends leaves the listing, whatever alert was given."""
    store.add(new_case(1), next_alert_at=vn(3, 8))
    store.move("c-1", "withdraw", at=vn(2, 10), by="a", next_alert_at=vn(3, 8))
    assert store.open_cases() == []
    assert store.open_cases(due_before=vn(30, 0)) == []


def test_times_are_aware(store: CaseStore) -> None:
    """A naive next_alert_at or due_before is refused."""
    with pytest.raises(InvalidInputError, match="next_alert_at"):
        store.add(new_case(1), next_alert_at=datetime(2026, 3, 3, 8, 0))  # noqa: DTZ001
    with pytest.raises(InvalidInputError, match="due_before"):
        store.open_cases(due_before=datetime(2026, 3, 3, 8, 0))  # noqa: DTZ001
    assert store.last_position() == 0


# ------------------------------------------------------------------------------- outbox
def test_the_outbox_is_the_event_log_in_commit_order(store: CaseStore) -> None:
    """Positions 1..n, each record once: inquiries with their first case, then events."""
    written: list[Inquiry | Event] = []
    for number in range(3):
        case = new_case(number)
        store.add(case)
        written += [case.inquiry, case.history[0]]
    for number in (2, 0, 2):
        case = store.load(f"c-{number}")
        read = case.version
        event = make_move(case, by="agent-1")
        store.append(event, expected_version=read)
        written.append(event)
    items = list(store.outbox())
    assert [item.position for item in items] == list(range(1, len(written) + 1))
    assert [item.record for item in items] == written
    assert store.last_position() == len(written)
    lines = [encode_record(item.record) for item in items]
    assert [decode_record(line) for line in lines] == written
    assert [item.record for item in store.outbox(after=4, limit=3)] == written[4:7]
    assert list(store.outbox(after=len(written))) == []


def test_the_outbox_streams_in_pages(store: CaseStore) -> None:
    """More records than a page: every one, in order, whatever the limit."""
    from vss_care_core.store._sql import PAGE_SIZE  # noqa: PLC0415

    cases = [new_case(number) for number in range(PAGE_SIZE // 2 + 10)]
    store.import_records(record for case in cases for record in (case.inquiry, case.history[0]))
    total = store.last_position()
    assert total > PAGE_SIZE
    assert [item.position for item in store.outbox()] == list(range(1, total + 1))
    assert len(list(store.outbox(after=3, limit=PAGE_SIZE + 1))) == PAGE_SIZE + 1


def test_cursors_only_move_forward(store: CaseStore) -> None:
    """A consumer's acknowledged position: 0 at first, forward only, never beyond the head."""
    store.add(new_case(1))
    assert store.cursor("exporter") == 0
    store.acknowledge("exporter", 1)
    store.acknowledge("exporter", 1)
    store.acknowledge("exporter", 2)
    assert (store.cursor("exporter"), store.cursor("other")) == (2, 0)
    with pytest.raises(InvalidInputError, match="positions only move forward"):
        store.acknowledge("exporter", 1)
    with pytest.raises(InvalidInputError, match="beyond the last record"):
        store.acknowledge("other", 3)
    with pytest.raises(InvalidInputError, match="consumer="):
        store.acknowledge("", 1)


# -------------------------------------------------------------------------------- import
def _log(cases: list[Case]) -> list[Inquiry | Event]:
    """The cases as an event log: each inquiry, then every event in time order."""
    events = sorted(
        (event for case in cases for event in case.history), key=lambda e: (e.at, e.seq)
    )
    records: list[Inquiry | Event] = []
    seen: set[str] = set()
    for event in events:
        if event.action == "open":
            case = next(case for case in cases if case.id == event.case_id)
            if case.inquiry.id not in seen:
                seen.add(case.inquiry.id)
                records.append(case.inquiry)
        records.append(event)
    return records


def test_import_stores_a_log_once(store: CaseStore) -> None:
    """Every case of the log is rebuilt equal; the outbox gives the log back; a second import
    stores nothing."""
    cases = [case_at(step) for step in ("review", "closed", "answered", "classify")]
    records = _log(cases)
    summary = store.import_records(records)
    assert (summary.inquiries, summary.events, summary.already_stored) == (
        4,
        len(records) - 4,
        0,
    )
    for case in cases:
        assert store.load(case.id) == case
    assert [item.record for item in store.outbox()] == records
    again = store.import_records(records)
    assert (again.inquiries, again.events, again.already_stored) == (0, 0, len(records))
    assert store.last_position() == len(records)


def test_a_bad_record_imports_nothing(store: CaseStore) -> None:
    """A move the process refuses, in the middle of the log: nothing at all is stored."""
    cases = [new_case(number) for number in range(3)]
    for case in cases:
        make_move(case, by="agent-1")
    records = _log(cases)
    bad = Event.model_validate({**records[-1].model_dump(), "to_state": "send"})
    with pytest.raises(InvalidEventError):
        store.import_records([*records[:-1], bad])
    assert store.last_position() == 0
    assert store.open_cases() == []


@pytest.mark.parametrize("missing", ["inquiry", "open"])
def test_import_needs_the_opening(store: CaseStore, missing: str) -> None:
    """An opening without its inquiry, or a move without its opening, is refused."""
    case = new_case(1)
    make_move(case, by="agent-1")
    records = _log([case])
    kept = records[1:] if missing == "inquiry" else [records[0], records[2]]
    with pytest.raises(InvalidInputError, match="neither earlier in the log nor in the store"):
        store.import_records(kept)
    assert store.last_position() == 0


# --------------------------------------------------------------------- processes of yours
def _renamed_process() -> ProcessDefinition:
    document = WRITTEN_PROCESS.to_dict()
    document["name"] = "written_hn"
    return ProcessDefinition.from_dict(document)


def test_a_process_of_your_own(backend: Backend) -> None:
    """A case of your own process is stored when the store knows the definition."""
    process = _renamed_process()
    asked = inquiry(1)
    case = open_case(asked, at=asked.received_at, by="desk", process=process, case_id="c-1")
    make_move(case, by="agent-1")
    location = backend.new_location()
    refusal = "'written_hn' is not one this store knows"
    with (
        backend.open(location, fast=True) as store,
        pytest.raises(InvalidInputError, match=refusal),
    ):
        store.add(case)
    with backend.open(location, fast=True, processes=[process]) as store:
        store.add(case)
        assert store.load("c-1") == case
        assert store.open_cases()[0].process == "written_hn"


def test_a_closed_store_says_so(backend: Backend) -> None:
    """After close(), an operation is a StoreError naming the store."""
    store = backend.new_store()
    store.close()
    store.close()
    with pytest.raises(CareCoreError, match="the store is closed"):
        store.last_position()


def test_a_store_is_shared_between_threads(backend: Backend) -> None:
    """One store object, four threads appending: every move is stored, in turn."""
    import threading  # noqa: PLC0415

    with backend.new_store() as store:
        for number in range(4):
            store.add(new_case(number))
        failures: list[BaseException] = []

        def work(number: int) -> None:
            try:
                for _ in range(20):
                    case = store.load(f"c-{number}")
                    read = case.version
                    store.append(make_move(case, by="agent"), expected_version=read)
            except BaseException as error:
                failures.append(error)

        threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert failures == []
        assert [store.load(f"c-{n}").version for n in range(4)] == [21] * 4
        assert store.last_position() == 4 * 2 + 4 * 20


def test_moments_keep_their_instant(store: CaseStore) -> None:
    """next_alert_at comes back as the same instant, in UTC, to the microsecond."""
    moment = datetime(2026, 3, 2, 23, 59, 59, 999_999, tzinfo=VIETNAM_TZ)
    store.add(new_case(1), next_alert_at=moment)
    listed = store.open_cases()[0].next_alert_at
    assert listed == moment
    assert listed is not None
    assert listed.utcoffset() == timedelta(0)
    assert replace(store.open_cases()[0], next_alert_at=None).next_alert_at is None

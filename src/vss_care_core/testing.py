"""Helpers for testing code that uses vss-care-core: factories, a fake clock, strategies.

The factories build valid values with sensible defaults, so a test names only what it cares
about. The hypothesis strategies need the ``test`` extra (``pip install vss-care-core[test]``).

>>> from vss_care_core.testing import make_inquiry, case_at
>>> make_inquiry(channel="phone").process_family
<ProcessFamily.CALL: 'call'>
>>> case_at("review").state
'review'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from vss_care_core.models import (
    PROVINCES,
    VIETNAM_TZ,
    Channel,
    CitizenId,
    Individual,
    Inquiry,
    InquiryKind,
    Organization,
    PhoneNumber,
    PolicyArea,
    Priority,
    SocialInsuranceNumber,
    TaxCode,
    require_aware,
    tax_check_digit,
)
from vss_care_core.process import Case, open_case

__all__ = [
    "DEFAULT_TIME",
    "FakeClock",
    "case_at",
    "citizen_ids",
    "individuals",
    "inquiries",
    "make_individual",
    "make_inquiry",
    "make_organization",
    "organizations",
    "phone_numbers",
    "tax_codes",
]

DEFAULT_TIME = datetime(2026, 3, 2, 9, 0, tzinfo=VIETNAM_TZ)
"""Monday 2 March 2026, 9:00 in Hà Nội: the factories' default moment."""


@dataclass
class FakeClock:
    """A clock for tests: returns ``now`` and moves only when told.

    >>> clock = FakeClock()
    >>> clock.advance(minutes=5) - DEFAULT_TIME
    datetime.timedelta(seconds=300)
    """

    now: datetime = field(default=DEFAULT_TIME)

    def __post_init__(self) -> None:
        require_aware(self.now, "now")

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        """Move the clock forward by ``timedelta(**delta)`` and return the new time."""
        self.now = self.now + timedelta(**delta)
        return self.now


def make_individual(**overrides: Any) -> Individual:
    """A valid individual requester; keyword arguments replace the defaults."""
    values: dict[str, Any] = {
        "name": "Nguyễn Văn An",
        "citizen_id": "001203004567",
        "phone": "0912345678",
        "province": "Hà Nội",
    }
    values.update(overrides)
    return Individual.model_validate(values)


def make_organization(**overrides: Any) -> Organization:
    """A valid organisation requester; keyword arguments replace the defaults."""
    values: dict[str, Any] = {
        "name": "Công ty TNHH Minh Phát",
        "tax_code": "0100233488",
        "province": "TP Hồ Chí Minh",
    }
    values.update(overrides)
    return Organization.model_validate(values)


def make_inquiry(**overrides: Any) -> Inquiry:
    """A valid inquiry (an e-mail question on pensions by default)."""
    values: dict[str, Any] = {
        "channel": Channel.EMAIL,
        "received_at": DEFAULT_TIME,
        "requester": make_individual(),
        "subject": "Cách tính lương hưu",
        "content": "Tôi đã đóng BHXH 25 năm. Lương hưu của tôi được tính thế nào?",
    }
    values.update(overrides)
    return Inquiry.model_validate(values)


_STEP_DATA: dict[str, dict[str, Any]] = {
    "identify": {"verified": True},
    "classify": {"kind": "question", "policy_areas": ["social"], "topic": "pension"},
    "intake": {"kind": "question", "policy_areas": ["social"], "topic": "pension"},
    "assign": {"unit": "CCC", "assignee": "officer-1"},
    "respond": {"answer": "Lương hưu được tính theo số năm đóng BHXH và mức bình quân tiền lương."},
    "draft": {
        "answer": "Lương hưu hằng tháng được tính theo số năm đóng BHXH và mức bình quân "
        "tiền lương tháng đóng BHXH, theo Điều 66 Luật BHXH 2024."
    },
}


def case_at(
    step: str,
    *,
    inquiry: Inquiry | None = None,
    at: datetime = DEFAULT_TIME,
    by: str = "agent-1",
    every: timedelta = timedelta(minutes=1),
) -> Case:
    """A case opened at ``at`` and driven, one move every ``every``, until it reaches ``step``.

    ``step`` is a step code of the inquiry's process (``"review"``) or its completion outcome
    (``"closed"``, ``"answered"``). Call steps need a phone inquiry: pass
    ``inquiry=make_inquiry(channel="phone")``; a call step name alone picks one for you.
    """
    if inquiry is None:
        call_steps = {"greet", "identify", "listen", "classify", "respond", "confirm", "close"}
        channel = Channel.PHONE if step in call_steps | {"closed"} else Channel.EMAIL
        inquiry = make_inquiry(channel=channel, received_at=at)
    case = open_case(inquiry, at=at, by=by)
    moment = at
    codes = case.definition.step_codes
    if step not in codes and step != case.definition.completion_outcome:
        raise ValueError(f"{step!r} is not a step or the completion outcome of {codes}")
    while case.state != step:
        moment += every
        case.complete(case.state, at=moment, by=by, **_STEP_DATA.get(case.state, {}))
    return case


# -- hypothesis strategies ----------------------------------------------------------------
# hypothesis is imported when a strategy is first asked for, so that the factories above work
# without the test extra installed.

if TYPE_CHECKING:
    from hypothesis.strategies import SearchStrategy


def citizen_ids() -> SearchStrategy[CitizenId]:
    """Valid 12-digit citizen IDs."""
    from hypothesis import strategies as st  # noqa: PLC0415 - the test extra, when used

    return st.from_regex(r"\A[0-9]{12}\Z", fullmatch=True).map(CitizenId)


def _tax_head(digits: str) -> str | None:
    check = tax_check_digit(digits)
    return None if check is None else f"{digits}{check}"


def tax_codes(*, branches: bool = True) -> SearchStrategy[TaxCode]:
    """Valid tax codes built with the check-digit rule, with or without a branch suffix."""
    from hypothesis import strategies as st  # noqa: PLC0415 - the test extra, when used

    heads = (
        st.from_regex(r"\A[0-9]{9}\Z", fullmatch=True)
        .map(_tax_head)
        .filter(lambda head: head is not None)
    )
    suffixes = st.integers(1, 999).map(lambda n: f"-{n:03d}") if branches else st.just("")
    return st.builds(lambda head, suffix: TaxCode(f"{head}{suffix}"), heads, st.just("") | suffixes)


def phone_numbers() -> SearchStrategy[PhoneNumber]:
    """Valid Vietnamese mobile numbers."""
    from hypothesis import strategies as st  # noqa: PLC0415 - the test extra, when used

    return st.from_regex(r"\A0[35789][0-9]{8}\Z", fullmatch=True).map(PhoneNumber)


def individuals() -> SearchStrategy[Individual]:
    """Individuals with any mix of identifiers, anonymous ones included."""
    from hypothesis import strategies as st  # noqa: PLC0415 - the test extra, when used

    return st.builds(
        Individual,
        name=st.none() | st.sampled_from(["Nguyễn Văn An", "Trần Thị Bình", "Lê Hoàng"]),
        citizen_id=st.none() | citizen_ids(),
        social_insurance_number=st.none()
        | st.from_regex(r"\A[0-9]{10}\Z", fullmatch=True).map(SocialInsuranceNumber),
        phone=st.none() | phone_numbers(),
        province=st.none() | st.sampled_from(PROVINCES),
    )


def organizations() -> SearchStrategy[Organization]:
    """Organisations with a valid tax code."""
    from hypothesis import strategies as st  # noqa: PLC0415 - the test extra, when used

    return st.builds(
        Organization,
        name=st.sampled_from(["Công ty TNHH An Phát", "Trường THPT Chu Văn An"]),
        tax_code=st.none() | tax_codes(),
        province=st.none() | st.sampled_from(PROVINCES),
    )


def _texts() -> SearchStrategy[str]:
    from hypothesis import strategies as st  # noqa: PLC0415 - the test extra, when used

    return st.text(
        alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1
    ).filter(lambda text: text.strip() != "")


def inquiries() -> SearchStrategy[Inquiry]:
    """Valid inquiries through every channel, classified or not."""
    from hypothesis import strategies as st  # noqa: PLC0415 - the test extra, when used

    moments = st.datetimes(
        min_value=datetime(2025, 1, 1),  # noqa: DTZ001 - hypothesis bounds are naive
        max_value=datetime(2027, 12, 31),  # noqa: DTZ001
        timezones=st.just(VIETNAM_TZ),
    )
    return st.builds(
        Inquiry,
        channel=st.sampled_from(Channel),
        received_at=moments,
        requester=individuals() | organizations(),
        subject=_texts().map(lambda t: t[:300]),
        content=_texts(),
        policy_areas=st.lists(st.sampled_from(PolicyArea), max_size=3).map(tuple),
        kind=st.none() | st.sampled_from(InquiryKind),
        topic=st.none() | st.sampled_from(["pension", "health-card", "contribution"]),
        priority=st.sampled_from(Priority),
    )

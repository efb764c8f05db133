"""Inquiries, requesters, answers: defaults, validation, JSON, masking."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from hypothesis import given
from pydantic import ValidationError

from vss_care_core import (
    MAX_ATTACHMENTS,
    MAX_CONTENT_LENGTH,
    PROVINCES,
    Channel,
    Event,
    Individual,
    Inquiry,
    InvalidInputError,
    Organization,
    PolicyArea,
    Priority,
    ProcessFamily,
    resolve_province,
)
from vss_care_core.testing import DEFAULT_TIME, inquiries, make_inquiry


class TestEnums:
    def test_wire_values(self) -> None:
        """The JSON values VSS systems exchange are fixed short words."""
        assert [c.value for c in Channel] == [
            "phone", "fanpage", "portal", "email", "post", "zalo", "sms",
        ]  # fmt: skip
        assert [p.value for p in PolicyArea] == ["social", "health", "unemployment"]
        assert [p.value for p in Priority] == ["low", "normal", "high", "urgent"]

    def test_labels_and_families(self) -> None:
        """Every channel has labels; only the phone goes to the call process."""
        assert Channel.PHONE.label_vi == "Tổng đài điện thoại"
        assert PolicyArea.HEALTH.label_en == "Health insurance"
        families = {c: c.process_family for c in Channel}
        assert [c for c, f in families.items() if f is ProcessFamily.CALL] == [Channel.PHONE]


class TestRequesters:
    def test_anonymous_individual(self) -> None:
        """An anonymous caller is still a requester."""
        person = Individual()
        assert person.is_anonymous
        assert person.identifiers == ()

    def test_organization_needs_only_name(self) -> None:
        """Organization(name=...) is enough."""
        assert Organization(name="Công ty A").is_anonymous

    def test_province_maps_former_names(self) -> None:
        """A pre-July-2025 province resolves to the province that absorbed it."""
        assert Individual(province="Bình Dương").province == "TP Hồ Chí Minh"
        assert Individual(province="tinh ha giang").province == "Tuyên Quang"
        assert Individual(province="Thừa Thiên Huế").province == "Huế"
        assert len(PROVINCES) == 34

    def test_unknown_province(self) -> None:
        """An unknown province is refused with a hint."""
        with pytest.raises(InvalidInputError, match="34 provinces"):
            resolve_province("Atlantis")

    def test_repr_masks_personal_data(self) -> None:
        """Name, ID, phone, e-mail and address never appear in clear."""
        person = Individual(
            name="Nguyễn Văn An",
            citizen_id="079203001234",
            phone="0912345678",
            email="an.nguyen@example.vn",
            address="12 Lê Lợi, Quận 1",
        )
        text = repr(person) + str(person)
        for secret in ("Nguyễn", "079203001234", "912345678", "an.nguyen", "Lê Lợi"):
            assert secret not in text

    def test_validation_error_does_not_echo_input(self) -> None:
        """A refused identifier is not echoed back by the validation error."""
        with pytest.raises(ValidationError) as info:
            Individual(citizen_id="07920300123")
        assert "07920300123" not in str(info.value)

    def test_discriminated_by_type(self) -> None:
        """'type' picks the requester kind; a mapping without it is an individual."""
        inquiry = make_inquiry(requester={"type": "organization", "name": "Công ty B"})
        assert isinstance(inquiry.requester, Organization)
        assert isinstance(make_inquiry(requester={"name": "C"}).requester, Individual)


class TestInquiry:
    def test_minimal_inquiry(self) -> None:
        """Five fields are enough; the rest has defaults."""
        inquiry = Inquiry(
            channel="zalo",
            received_at=DEFAULT_TIME,
            requester=Individual(),
            subject="Thẻ BHYT",
            content="Thẻ BHYT của tôi hết hạn khi nào?",
        )
        assert len(inquiry.id) == 32
        assert inquiry.priority is Priority.NORMAL
        assert inquiry.classification is None

    def test_naive_datetime_refused(self) -> None:
        """received_at must carry a time zone, and the error says so."""
        with pytest.raises(ValidationError, match="timezone"):
            make_inquiry(received_at=datetime(2026, 3, 2, 9, 0))  # noqa: DTZ001

    def test_bounds(self) -> None:
        """Content length and attachment count are bounded."""
        with pytest.raises(ValidationError, match="content"):
            make_inquiry(content="x" * (MAX_CONTENT_LENGTH + 1))
        attachment = {"filename": "a.pdf", "media_type": "application/pdf", "size_bytes": 1}
        with pytest.raises(ValidationError, match="attachments"):
            make_inquiry(attachments=[attachment] * (MAX_ATTACHMENTS + 1))

    def test_unknown_field_refused(self) -> None:
        """extra='forbid': a typo is an error, not silently dropped."""
        with pytest.raises(ValidationError, match="subjcet"):
            make_inquiry(subjcet="x")

    def test_frozen(self) -> None:
        """Inquiries are immutable."""
        inquiry = make_inquiry()
        with pytest.raises(ValidationError):
            inquiry.subject = "changed"  # type: ignore[misc]

    def test_policy_areas_deduplicated_in_order(self) -> None:
        """Policy areas are stored once each, in the enum's order."""
        inquiry = make_inquiry(policy_areas=["health", "social", "health"])
        assert inquiry.policy_areas == (PolicyArea.SOCIAL, PolicyArea.HEALTH)

    def test_repr_hides_content(self) -> None:
        """The subject and content may hold personal data: repr shows their length only."""
        inquiry = make_inquiry(content="CCCD của tôi là 079203001234")
        assert "079203001234" not in repr(inquiry)

    @given(inquiries())
    def test_json_round_trip(self, inquiry: Inquiry) -> None:
        """model_dump_json then model_validate_json gives the same inquiry."""
        assert Inquiry.model_validate_json(inquiry.model_dump_json()) == inquiry

    def test_json_schema(self) -> None:
        """The schema describes identifiers as patterned strings."""
        schema = Inquiry.model_json_schema()
        individual = schema["$defs"]["Individual"]["properties"]
        assert individual["citizen_id"]["anyOf"][0]["pattern"] == r"^\d{12}$"
        assert schema["additionalProperties"] is False


class TestEvent:
    def test_round_trip_and_read_only_data(self) -> None:
        """Events round-trip through JSON; their data cannot be changed."""
        event = Event(
            case_id="c",
            seq=1,
            at=datetime(2026, 1, 1, tzinfo=UTC),
            by="a",
            action="open",
            to_state="greet",
            data={"note": "x"},
        )
        assert Event.model_validate_json(event.model_dump_json()) == event
        assert json.loads(event.model_dump_json())["data"] == {"note": "x"}
        with pytest.raises(TypeError):
            event.data["note"] = "y"  # type: ignore[index]

    def test_validation_error_does_not_echo_input(self) -> None:
        """An event refused by validation does not repeat its data (it may be personal)."""
        bad = {"case_id": "c", "seq": 0, "at": "2026-01-01T08:00:00", "by": "a",
               "action": "x", "to_state": "y", "data": {"note": "CCCD 079203001234"}}  # fmt: skip
        with pytest.raises(ValidationError) as info:
            Event.model_validate(bad)
        assert "079203001234" not in str(info.value)
        assert "2026-01-01T08:00:00" not in str(info.value)
        assert "timezone" in str(info.value)

    def test_schema(self) -> None:
        """The event schema requires the case, time, actor and states."""
        required = set(Event.model_json_schema()["required"])
        assert {"case_id", "seq", "at", "by", "action", "to_state"} <= required

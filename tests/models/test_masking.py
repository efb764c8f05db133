"""Masking helpers: whole values masked, codes shown."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from vss_care_core.errors import InvalidIdentifierError
from vss_care_core.models import (
    Attachment,
    EmailAddress,
    Individual,
    mask_code,
    mask_email,
    mask_text,
)
from vss_care_core.testing import make_inquiry


class TestMaskEmail:
    def test_refused_value_masked_whole(self) -> None:
        """The fuzzed case: what follows the @ of a refused value is masked too."""
        raw = "a@example.vn 079203001234"
        assert "079203001234" not in mask_email(raw)
        with pytest.raises(InvalidIdentifierError) as info:
            EmailAddress(raw)
        assert "079203001234" not in str(info.value)
        assert "079203001234" not in info.value.masked
        with pytest.raises(ValidationError) as refused:
            Individual(email=raw)
        assert "079203001234" not in str(refused.value) + refused.value.json()

    def test_plain_address_keeps_its_domain(self) -> None:
        """A well-formed address shows its first letter and its domain."""
        assert mask_email("an.nguyen@example.vn") == "a…@example.vn"
        assert mask_email("a@079203001234.vn") == "a@07…vn"

    @given(st.text(max_size=40), st.text(max_size=40))
    def test_never_shows_both_halves(self, local: str, rest: str) -> None:
        """Whatever surrounds the @, the masked form never holds the whole right-hand side
        when it is longer than a domain could be shown."""
        masked = mask_email(f"{local}@{rest}")
        if len(rest) >= 8 and " " in rest:
            assert rest not in masked


class TestMaskCode:
    @pytest.mark.parametrize(
        ("text", "shown"),
        [
            ("agent-7", "agent-7"),
            ("e-1.open", "e-1.open"),
            ("0f3a9c1d2e4b5a6978695a4b3c2d1e0f", "0f3a9c1d2e4b5a6978695a4b3c2d1e0f"),
            ("HN-2026-0001", "HN-2026-0001"),
            ("079203001234", "0792…34"),
            ("case-0912345678", "case…78"),
            ("0912.345.678", "0912…78"),
            ("+84-912-345-678", "<15 characters>"),
            ("2026-03-02", "2026-03-02"),
            ("Nguyễn Văn An", "<13 characters>"),
            ("an@example.vn", "<13 characters>"),
            ("0912 345 678", "<12 characters>"),
        ],
    )
    def test_examples(self, text: str, shown: str) -> None:
        """Codes unchanged; long numbers masked in the middle; anything else by its length."""
        assert mask_code(text) == shown

    @given(
        st.from_regex(r"\d{9,12}", fullmatch=True),
        st.sampled_from(["", "x-", "case:", "+"]),
        st.sampled_from(["", ".", "-", "/"]),
    )
    def test_long_numbers_never_shown(self, number: str, prefix: str, separator: str) -> None:
        """A number of 9 to 12 digits, written with or without separators, is never shown
        whole, nor are its digits in a row."""
        written = separator.join([number[:4], number[4:7], number[7:]])
        shown = mask_code(prefix + written)
        assert written not in shown
        assert number not in (shown.replace(separator, "") if separator else shown)


class TestReprs:
    def test_attachment_names_masked(self) -> None:
        """A scan named after the person's ID shows only its extension."""
        attachment = Attachment(
            filename="CCCD_079203001234.jpg", media_type="image/jpeg", size_bytes=1
        )
        inquiry = make_inquiry(attachments=[attachment])
        for text in (repr(attachment), str(attachment), repr(inquiry), str(inquiry)):
            assert "079203001234" not in text
            assert "….jpg" in text

    def test_codes_of_an_inquiry(self) -> None:
        """An inquiry's id, topic, references and related ids show only when they read as codes."""
        inquiry = make_inquiry(
            id="079203001234", topic="0912345678", reference="Đơn của Nguyễn Văn An",
            related=["an@example.vn", "c-2"],
        )  # fmt: skip
        text = repr(inquiry)
        for personal in ("079203001234", "0912345678", "Nguyễn", "an@example.vn"):
            assert personal not in text
        assert "'c-2'" in text
        assert mask_text("Đơn của Nguyễn Văn An") in text

"""Vietnamese identifiers: normalisation, validation, masking."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vss_care_core import (
    CitizenId,
    EmailAddress,
    InvalidIdentifierError,
    PhoneNumber,
    SocialInsuranceNumber,
    TaxCode,
)
from vss_care_core.testing import citizen_ids, phone_numbers, tax_codes


class TestCitizenId:
    def test_decodes_province_sex_and_birth_year(self) -> None:
        """Digits 1-3 province, digit 4 century and sex, digits 5-6 the year."""
        cid = CitizenId("001 303 012345")
        assert cid.value == "001303012345"
        assert cid.province_code == "001"
        assert cid.sex == "female"
        assert cid.birth_year == 2003

    def test_twentieth_century_male(self) -> None:
        """Digit 4 = 0 means a man born in the 1900s."""
        cid = CitizenId("079085001234")
        assert (cid.sex, cid.birth_year) == ("male", 1985)

    @pytest.mark.parametrize("raw", ["07920300123", "0792030012345", "07920300123a", ""])
    def test_refuses_wrong_length_or_letters(self, raw: str) -> None:
        """Anything but 12 digits is refused, and the message says why."""
        with pytest.raises(InvalidIdentifierError, match="citizen ID"):
            CitizenId(raw)

    def test_masked_everywhere(self) -> None:
        """repr, str and the error message never show the whole number."""
        cid = CitizenId("079203001234")
        assert repr(cid) == "CitizenId('0792…34')"
        assert str(cid) == "0792…34"
        assert f"{cid}" == "0792…34"
        with pytest.raises(InvalidIdentifierError) as info:
            CitizenId("07920300123")
        assert "07920300123" not in str(info.value)

    def test_immutable_and_hashable(self) -> None:
        """Equal values hash equal; attributes cannot be set."""
        assert {CitizenId("079203001234"), CitizenId("079 203 001 234")} == {
            CitizenId("079203001234")
        }
        cid = CitizenId("079203001234")
        with pytest.raises(AttributeError):
            cid._value = "x"  # type: ignore[misc]

    @given(citizen_ids())
    def test_normalisation_is_idempotent(self, cid: CitizenId) -> None:
        """Normalising the normal form gives it back."""
        assert CitizenId(cid.value) == cid
        assert CitizenId(cid) == cid


class TestSocialInsuranceNumber:
    def test_ten_and_twelve_digits(self) -> None:
        """The old 10-digit number and the 12-digit personal ID are both accepted."""
        assert not SocialInsuranceNumber("7912345678").is_personal_id
        assert SocialInsuranceNumber("079203001234").is_personal_id

    @pytest.mark.parametrize("raw", ["791234567", "79123456789", "7912x45678"])
    def test_refuses_other_lengths(self, raw: str) -> None:
        """9, 11 digits or letters are refused."""
        with pytest.raises(InvalidIdentifierError, match="mã số BHXH"):
            SocialInsuranceNumber(raw)


class TestTaxCode:
    @pytest.mark.parametrize("raw", ["0100233488", "0314409058"])
    def test_known_valid_codes(self, raw: str) -> None:
        """Published examples pass the check digit."""
        assert TaxCode(raw).value == raw

    def test_branch_normal_form(self) -> None:
        """A branch code is written with a dash before its 3-digit suffix."""
        code = TaxCode("0100233488 001")
        assert code.value == "0100233488-001"
        assert (code.head, code.branch) == ("0100233488", "001")
        assert TaxCode("0100233488-001") == code

    def test_branch_000_refused(self) -> None:
        """Branch suffixes run from 001 to 999."""
        with pytest.raises(InvalidIdentifierError, match="001 to 999"):
            TaxCode("0100233488-000")

    def test_check_digit_arithmetic(self) -> None:
        """0100233488: 29 + 34 + 39 + 21 + 20 + 24 = 167; 167 % 11 = 2; 10 - 2 = 8."""
        digits = [0, 1, 0, 0, 2, 3, 3, 4, 8]
        weights = [31, 29, 23, 19, 17, 13, 7, 5, 3]
        total = sum(d * w for d, w in zip(digits, weights, strict=True))
        assert total == 167
        assert 10 - total % 11 == 8

    def test_personal_tax_code(self) -> None:
        """Since 1 July 2025 a person's tax code is the 12-digit personal ID."""
        assert TaxCode("079203001234").is_personal_id

    @given(tax_codes(branches=False), st.integers(0, 9), st.integers(1, 9))
    def test_every_single_digit_change_is_refused(
        self, code: TaxCode, position: int, delta: int
    ) -> None:
        """A valid code with any one digit changed fails the check digit."""
        digits = list(code.value)
        digits[position] = str((int(digits[position]) + delta) % 10)
        with pytest.raises(InvalidIdentifierError):
            TaxCode("".join(digits))

    @given(tax_codes())
    def test_generated_codes_are_accepted_and_stable(self, code: TaxCode) -> None:
        """Codes built with the check-digit rule are valid, and normalising is idempotent."""
        assert TaxCode(code.value) == code


class TestPhoneNumber:
    @pytest.mark.parametrize(
        "raw", ["0912345678", "0912 345 678", "+84 912 345 678", "84912345678", "091-234-5678"]
    )
    def test_mobile_forms_normalise_to_e164(self, raw: str) -> None:
        """Local and international forms give one E.164 value."""
        assert PhoneNumber(raw).value == "+84912345678"

    def test_landline(self) -> None:
        """A Hà Nội landline: 024 + 8 digits."""
        phone = PhoneNumber("024 3825 1234")
        assert phone.value == "+842438251234"
        assert phone.local == "02438251234"

    @pytest.mark.parametrize("raw", ["091234567", "+1 202 555 0101", "1900 9068", "0112345678"])
    def test_refused(self, raw: str) -> None:
        """Short numbers, foreign numbers, hotlines and unknown prefixes are refused."""
        with pytest.raises(InvalidIdentifierError, match="phone number"):
            PhoneNumber(raw)

    @given(phone_numbers())
    def test_idempotent(self, phone: PhoneNumber) -> None:
        """The E.164 form normalises to itself, and so does the local form."""
        assert PhoneNumber(phone.value) == phone
        assert PhoneNumber(phone.local) == phone


class TestEmailAddress:
    def test_domain_lower_cased_and_masked(self) -> None:
        """The domain is case-insensitive; the local part is hidden when printed."""
        email = EmailAddress("An.Nguyen@Example.VN")
        assert email.value == "An.Nguyen@example.vn"
        assert str(email) == "A…@example.vn"

    def test_refused_without_leaking(self) -> None:
        """A bad address is refused and the message masks it."""
        with pytest.raises(InvalidIdentifierError) as info:
            EmailAddress("nguyenvanan-at-example.vn")
        assert "nguyenvanan" not in str(info.value)

"""Provinces: the 2025 merger, older names with the year they changed, discreet refusals."""

from __future__ import annotations

import json
from importlib import resources

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from vss_care_core.errors import InvalidInputError
from vss_care_core.models import PROVINCES, Individual, province_info, resolve_province


def shipped() -> dict[str, object]:
    text = resources.files("vss_care_core.models").joinpath("data/provinces.json").read_text()
    loaded: dict[str, object] = json.loads(text)
    return loaded


class TestOlderNames:
    @pytest.mark.parametrize(
        ("older", "today"),
        [
            ("Hà Tây", "Hà Nội"),  # merged into Hà Nội on 1 August 2008
            ("tỉnh Hà Tây", "Hà Nội"),
            ("Ha Tay", "Hà Nội"),
            ("Vĩnh Phú", "Phú Thọ"),  # Vĩnh Phúc and Phú Thọ, both in Phú Thọ since 2025
            ("Bắc Thái", "Thái Nguyên"),
            ("Hà Bắc", "Bắc Ninh"),
            ("Nam Hà", "Ninh Bình"),
            ("Hà Nam Ninh", "Ninh Bình"),  # became Nam Hà and Ninh Bình: followed to today
            ("Minh Hải", "Cà Mau"),
            ("Quảng Nam – Đà Nẵng", "Đà Nẵng"),
            ("Quang Nam - Da Nang", "Đà Nẵng"),
            ("Cửu Long", "Vĩnh Long"),
            ("Hoàng Liên Sơn", "Lào Cai"),
            ("Hà Tuyên", "Tuyên Quang"),
        ],
    )
    def test_whole_territory_in_one_province(self, older: str, today: str) -> None:
        """An older name whose territory lies in one province today maps to it."""
        assert resolve_province(older) == today
        assert Individual(province=older).province == today

    @pytest.mark.parametrize(
        ("older", "year", "today"),
        [
            ("Sông Bé", 1996, ("TP Hồ Chí Minh", "Đồng Nai")),
            ("Hải Hưng", 1996, ("Hưng Yên", "Hải Phòng")),
            ("Hà Sơn Bình", 1991, ("Hà Nội", "Phú Thọ")),
            ("Nghệ Tĩnh", 1991, ("Nghệ An", "Hà Tĩnh")),
            ("Bình Trị Thiên", 1989, ("Huế", "Quảng Trị")),
            ("Cao Lạng", 1978, ("Lạng Sơn", "Cao Bằng")),
        ],
    )
    def test_split_names_refused_with_candidates(
        self, older: str, year: int, today: tuple[str, ...]
    ) -> None:
        """A province split across today's provinces is refused: the message names the year
        of the change and the candidates, so the clerk can pick one."""
        with pytest.raises(InvalidInputError) as info:
            resolve_province(older)
        message = str(info.value)
        assert f"in {year} into" in message
        for name in today:
            assert repr(name) in message

    def test_every_older_name_has_a_year_and_a_source(self) -> None:
        """Each change is data: a name, a year, what it became and where that is written."""
        older = shipped()["older"]
        assert isinstance(older, list)
        assert len(older) >= 20
        for entry in older:
            assert 1975 < entry["year"] <= 2008
            assert entry["change"] in {"merged", "split"}
            assert entry["into"]
            assert entry["source"]

    def test_info_lists_older_names(self) -> None:
        """province_info shows the older names a province holds whole."""
        assert province_info("Hà Nội").older == ("Hà Tây",)
        assert set(province_info("Ninh Bình").older) == {"Nam Hà", "Hà Nam Ninh"}
        assert province_info("Hà Tĩnh").older == ()
        assert len(PROVINCES) == 34


class TestDiscreetRefusal:
    def test_address_not_echoed(self) -> None:
        """The fuzzed case: an address given as a province is not quoted back."""
        address = "12 Lý Thường Kiệt, Hoàn Kiếm"
        with pytest.raises(InvalidInputError) as info:
            resolve_province(address)
        assert "Lý Thường Kiệt" not in str(info.value)
        assert "34 provinces" in str(info.value)
        with pytest.raises(ValidationError) as refused:
            Individual(province=address)
        assert "Lý Thường Kiệt" not in str(refused.value) + refused.value.json()

    @pytest.mark.parametrize(
        ("typo", "suggested"),
        [("Ha Nio", "Hà Nội"), ("Thanh Hoa Tinh", None), ("Quang Nihn", "Quảng Ninh")],
    )
    def test_suggests_official_names_only(self, typo: str, suggested: str | None) -> None:
        """A close official name is suggested; the typo itself is not repeated."""
        with pytest.raises(InvalidInputError) as info:
            resolve_province(typo)
        message = str(info.value)
        assert typo not in message
        if suggested is None:
            assert "did you mean" not in message
        else:
            assert f"did you mean {suggested!r}" in message

    @given(st.text(min_size=1, max_size=40))
    def test_never_repeats_what_was_given(self, text: str) -> None:
        """Whatever is refused, the message holds only the library's words and official names."""
        try:
            resolve_province(text)
        except InvalidInputError as error:
            message = str(error)
            if len(text.strip()) >= 6:
                assert text.strip() not in message or text.strip() in shipped_words()


def shipped_words() -> str:
    """Everything the messages may legitimately contain: official names and fixed words."""
    return json.dumps(shipped(), ensure_ascii=False) + (
        "unknown province or city: give one of the 34 provinces and cities since 1 July 2025 "
        "(`vss-care provinces` lists them, as does vss_care_core.PROVINCES) or a former name "
        "such as, without the street or district; did you mean lies today in more than one "
        "province give the current province, or the province of the record's own time"
    )

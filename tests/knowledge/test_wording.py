"""Reading questions: folding, abbreviations both ways, regional wording, the rules as data."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vss_care_core.knowledge import KnowledgeDataError, Wording, default_wording
from vss_care_core.models import fold_vietnamese

TEXT = (
    "Bảo hiểm xã hội một lần lương hưu thẻ BHYT căn cước công dân trợ cấp thất nghiệp "
    "lãnh tiền đóng bao nhiêu năm tháng nghỉ đẻ con ốm đau thai sản VssID mật khẩu"
)
WORDS = TEXT.split()


@pytest.mark.parametrize(
    ("long", "short"),
    [
        ("bảo hiểm xã hội", "BHXH"),
        ("Bảo hiểm y tế", "bhyt"),
        ("bảo hiểm thất nghiệp", "BHTN"),
        ("căn cước công dân", "CCCD"),
        ("thẻ căn cước công dân", "cccd"),
        ("trợ cấp thất nghiệp", "TCTN"),
        ("vss id", "VssID"),
    ],
)
def test_abbreviations_read_both_ways(long: str, short: str) -> None:
    """The phrase and its abbreviation read the same."""
    wording = default_wording()
    assert wording.terms(long) == wording.terms(short)


@pytest.mark.parametrize(
    ("regional", "standard"),
    [
        ("lãnh lương hưu", "lĩnh lương hưu"),
        ("nghỉ đẻ", "nghỉ sinh"),
        ("có bầu", "mang thai"),
        ("rút bảo hiểm", "rút BHXH"),
        ("rút bảo hiểm xã hội", "rút BHXH"),
        ("vô bịnh viện", "vô bệnh viện"),
    ],
)
def test_regional_wording(regional: str, standard: str) -> None:
    """A regional or colloquial wording reads as the knowledge base's."""
    wording = default_wording()
    assert wording.terms(regional) == wording.terms(standard)


def test_numbers_and_stopwords_dropped() -> None:
    """Digits never become terms: amounts, dates and identifiers stay out of explanations."""
    terms = default_wording().terms("Tôi tên An, CCCD 079203001234, gọi 0912345678 hỏi lương hưu")
    assert terms == ["ten", "an", "cccd", "goi", "luong", "huu"]


@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=12), st.booleans())
def test_diacritics_and_case_do_not_matter(chosen: list[str], upper: bool) -> None:
    """A text, its folded form and its upper-case form read the same."""
    text = " ".join(chosen)
    wording = default_wording()
    other = text.upper() if upper else fold_vietnamese(text)
    assert wording.terms(text) == wording.terms(other)


def test_rules_are_checked() -> None:
    """Bad rules are refused with every problem listed."""
    with pytest.raises(KnowledgeDataError) as caught:
        Wording.from_dict(
            {
                "abbreviations": {"b h": ["bảo hiểm"], "bhxh": "bảo hiểm xã hội"},
                "variants": {"lãnh": "lĩnh", "lanh": "lành", "x": "..."},
                "stopwords": ["tôi"],
            }
        )
    assert caught.value.problems == ("abbreviation 'bhxh': give a list of phrases, not one text",)
    with pytest.raises(KnowledgeDataError) as caught:
        Wording.from_dict(
            {
                "abbreviations": {"b h": ["bảo hiểm"], "bhxh": ["bảo hiểm xã hội", "..."]},
                "variants": {"lãnh": "lĩnh", "lanh": "lành", "x": "..."},
                "stopwords": ["tôi", "vui lòng"],
            }
        )
    assert caught.value.problems == (
        "abbreviation 'b h' must be one word of letters",
        "'bhxh': the phrase '...' has no words",
        "'lanh': 'lanh' is read both as 'linh' and as 'lanh'; give each phrase one reading",
        "variant 'x': its meaning '...' has no words",
        "stopword 'vui lòng' must be one word",
    )


def test_extended_rules() -> None:
    """Rules can be extended without touching the shipped ones."""
    wording = default_wording().extended(variants={"bển": "bên đó"}, stopwords=["bên"])
    assert wording.terms("bển") == ["do"]
    assert default_wording().terms("bển") == ["ben"]

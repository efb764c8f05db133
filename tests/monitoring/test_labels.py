"""The catalogue of labels: complete in both languages, one for every KPI, target and name a
report shows."""

from __future__ import annotations

import ast
import re
import string
from collections.abc import Mapping
from pathlib import Path

import pytest

from vss_care_core.errors import InvalidInputError
from vss_care_core.models import Channel, InquiryKind
from vss_care_core.monitoring import (
    AGEING_BUCKETS,
    GROUPINGS,
    SATISFACTION_FACTORS,
    KpiFigures,
    SatisfactionFigures,
    _html,
    _kpis,
    _labels,
    _report,
)
from vss_care_core.monitoring._labels import (
    AGEING_LABELS,
    DURATION_LABELS,
    FACTOR_LABELS,
    GROUPING_LABELS,
    KPI_LABELS,
    KPI_SHORT_LABELS,
    LANGUAGES,
    NOT_JUDGED_LABELS,
    PERCENTILE_LABELS,
    SATISFACTION_LABELS,
    SLA_TARGET_LABELS,
    TEXTS,
    Label,
    check_lang,
    outcome_label,
    step_label,
)
from vss_care_core.process import STANDARD_PROCESSES
from vss_care_core.sla import _judge, default_policies

CATALOGUES: dict[str, Mapping[str, Label]] = {
    "KPI_LABELS": KPI_LABELS,
    "KPI_SHORT_LABELS": KPI_SHORT_LABELS,
    "SATISFACTION_LABELS": SATISFACTION_LABELS,
    "FACTOR_LABELS": FACTOR_LABELS,
    "DURATION_LABELS": DURATION_LABELS,
    "PERCENTILE_LABELS": PERCENTILE_LABELS,
    "GROUPING_LABELS": GROUPING_LABELS,
    "AGEING_LABELS": AGEING_LABELS,
    "NOT_JUDGED_LABELS": NOT_JUDGED_LABELS,
    "SLA_TARGET_LABELS": SLA_TARGET_LABELS,
    "TEXTS": TEXTS,
}
VIETNAMESE = re.compile(
    "[ăâđêôơưáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ]", re.I
)
SAME_IN_BOTH = {"n", "p90", "p95"}
"""The keys of the labels that read the same in both languages (symbols)."""


def _every_label() -> list[tuple[str, str, Label]]:
    return [
        (catalogue, key, label)
        for catalogue, labels in CATALOGUES.items()
        for key, label in labels.items()
    ]


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


@pytest.mark.parametrize(("catalogue", "key", "label"), _every_label())
def test_no_label_is_missing_in_either_language(catalogue: str, key: str, label: Label) -> None:
    for lang in LANGUAGES:
        text = label.text(lang)
        assert text.strip() == text, (catalogue, key, lang)
        assert text, (catalogue, key, lang)
    assert _fields(label.vi) == _fields(label.en), (catalogue, key)


def test_vietnamese_labels_are_vietnamese_and_english_ones_are_not() -> None:
    for catalogue, key, label in _every_label():
        assert not VIETNAMESE.search(label.en), (catalogue, key)
        if label.vi == label.en:
            assert key in SAME_IN_BOTH, (catalogue, key)
        elif len(re.sub(r"\{\w+\}", "", label.vi)) > 8:
            assert VIETNAMESE.search(label.vi), (catalogue, key)


def test_every_kpi_field_has_a_label() -> None:
    assert set(KPI_LABELS) == set(KpiFigures.model_fields)
    assert set(SATISFACTION_LABELS) == {*SatisfactionFigures.model_fields, "csat"}


def test_every_name_a_report_shows_has_a_label() -> None:
    assert set(FACTOR_LABELS) == set(SATISFACTION_FACTORS)
    assert set(AGEING_LABELS) == {name for name, _ in AGEING_BUCKETS}
    assert set(GROUPING_LABELS) == set(GROUPINGS)
    assert set(DURATION_LABELS) == set(_kpis._DURATIONS)
    assert set(PERCENTILE_LABELS) == {name for name, _ in _kpis.PERCENTILES}
    assert set(KPI_SHORT_LABELS) == set(_report.GROUP_COLUMNS)
    targets = {target.name for policy in default_policies() for target in policy.targets}
    assert set(SLA_TARGET_LABELS) == targets
    reasons = {_judge.NOT_IN_ORDER, _judge.NOT_FOLLOWING, _judge.NO_PROCESS, _judge.NO_POLICY}
    assert set(NOT_JUDGED_LABELS) == {*reasons, _kpis._NOT_IN_ORDER}


def test_channels_kinds_outcomes_and_steps_come_from_their_homes() -> None:
    for channel in Channel:
        assert _labels.channel_label(channel.value, "vi") == channel.label_vi
        assert _labels.channel_label(channel.value, "en") == channel.label_en
    for kind in InquiryKind:
        assert _labels.kind_label(kind.value, "vi") == kind.label_vi
    for definition in STANDARD_PROCESSES:
        for outcome in definition.outcomes:
            assert outcome_label(outcome.code, "vi", STANDARD_PROCESSES) == outcome.label_vi
            assert outcome_label(outcome.code, "en", STANDARD_PROCESSES) == outcome.label_en
        for step in definition.steps:
            key = f"{definition.name}:{step.code}"
            assert (
                step_label(key, "en", STANDARD_PROCESSES) == f"{step.label_en} ({definition.name})"
            )
    assert outcome_label("settled-by-phone", "vi", STANDARD_PROCESSES) == "settled-by-phone"
    assert _labels.channel_label("telegram", "vi") == "telegram"


def test_the_standard_vss_terms() -> None:
    assert KPI_LABELS["abandonment_rate"].vi == "Tỷ lệ cuộc gọi bị bỏ"
    assert KPI_LABELS["average_speed_of_answer"].vi == "Thời gian trả lời trung bình"
    assert KPI_LABELS["first_contact_resolution"].vi == "Giải quyết ngay lần đầu"
    assert KPI_LABELS["average_handle_time"].vi == "Thời gian xử lý trung bình"


def test_every_text_is_used_and_every_text_used_exists() -> None:
    """No text of the catalogue is dead, and the renderers ask for none it lacks."""
    asked: set[str] = set()
    for module in (_html, _report):
        tree = ast.parse(Path(module.__file__ or "").read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "text"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                asked.add(node.args[0].value)
    group_keys = {_labels.UNASSIGNED, _labels.UNCLASSIFIED, _labels.UNKNOWN_OUTCOME}
    chart_units = {"day", "week", "month"}  # asked by the unit of the chart's periods
    assert asked - set(TEXTS) == set()
    assert set(TEXTS) - asked - group_keys - chart_units == set()


def test_a_language_is_vi_or_en() -> None:
    assert check_lang("vi") == "vi"
    for wrong in ("fr", "VI", "", None, 1):
        with pytest.raises(InvalidInputError, match="choose 'vi'"):
            check_lang(wrong)

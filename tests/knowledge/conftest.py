"""Shared data for the knowledge tests: the labelled questions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

LABELLED = Path(__file__).parent / "labelled_questions.json"


def labelled() -> list[dict[str, Any]]:
    """The labelled questions: ``question``, ``expected``, ``at`` (ISO day), ``style``."""
    questions: list[dict[str, Any]] = json.loads(LABELLED.read_text("utf-8"))["questions"]
    return questions


@pytest.fixture(scope="session")
def questions() -> list[dict[str, Any]]:
    """The labelled questions."""
    return labelled()

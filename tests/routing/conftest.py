"""Fixtures for the routing tests."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from vss_care_core.models import Inquiry

AT = datetime(2026, 3, 2, 9, 30, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))

MakeInquiry = Callable[..., Inquiry]


def _make(**fields: Any) -> Inquiry:
    data: dict[str, Any] = {
        "channel": "email",
        "received_at": AT,
        "requester": {"type": "individual"},
        "subject": "Hỏi đáp",
        "content": "Xin hỏi",
    }
    province = fields.pop("province", None)
    if province is not None:
        data["requester"] = {"type": "individual", "province": province}
    data.update(fields)
    return Inquiry.model_validate(data)


@pytest.fixture
def make_inquiry() -> MakeInquiry:
    """A factory of inquiries: an e-mail question unless told otherwise."""
    return _make

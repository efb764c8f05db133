"""No command prints personal data in clear: generated identifiers and names, put in valid and
invalid places of an inquiry file, never appear in what `validate` and `route` print."""

from __future__ import annotations

import contextlib
import io
import json
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from vss_care_core.cli import main

digits = st.text(alphabet="0123456789", min_size=12, max_size=12)
names = st.sampled_from(["Nguyễn Văn An", "Trần Thị Bình", "Lê Hoàng Cường", "Phạm Minh Đức"])


def _run(argv: list[str]) -> str:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        main(argv)
    return out.getvalue() + err.getvalue()


@settings(max_examples=30, deadline=None)
@given(number=digits, name=names, bad_phone=st.text(alphabet="0123456789", min_size=7, max_size=9))
def test_commands_never_print_personal_data(number: str, name: str, bad_phone: str) -> None:
    inquiry = {
        "channel": "email",
        "received_at": "2026-03-02T09:00:00+07:00",
        "requester": {
            "name": name,
            "citizen_id": number[:11],  # one digit short: refused
            "email": f"{name.rsplit(maxsplit=1)[-1].lower()}@example.vn {number}",  # not an e-mail
            "phone": bad_phone,
            "address": f"12 Lý Thường Kiệt, {name}",
        },
        "subject": f"Hỏi về thẻ BHYT của {name}",
        "content": f"Tôi là {name}, CCCD {number}, số điện thoại {bad_phone}.",
    }
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "inquiry.json"
        path.write_text(json.dumps(inquiry, ensure_ascii=False), encoding="utf-8")
        printed = _run(["validate", str(path)])
        valid = {**inquiry, "requester": {"name": name}}
        path.write_text(json.dumps(valid, ensure_ascii=False), encoding="utf-8")
        printed += _run(["route", str(path)]) + _run(["route", str(path), "--explain"])
    for secret in (number, number[:11], name, bad_phone):
        assert secret not in printed, secret

"""Simulated requesters: citizens and employers with valid Vietnamese identifiers."""

from __future__ import annotations

import random
from typing import Any

from vss_care_core.models import PROVINCES

__all__ = ["make_person"]

_FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi")
_MIDDLE = ("Văn", "Thị", "Hữu", "Minh", "Ngọc", "Thanh", "Đức", "Thu", "Quốc", "Hồng")
_GIVEN = ("An", "Bình", "Chi", "Dũng", "Hà", "Hải", "Hoa", "Hùng", "Lan", "Long", "Mai", "Nam")
_COMPANY = ("An Phát", "Bình Minh", "Hòa Bình", "Sao Việt", "Thành Công", "Phú Gia", "Đại Nam")
_TAX_WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)
# the biggest provinces ask the most: Hà Nội and TP Hồ Chí Minh weigh more
_PROVINCE_WEIGHTS = tuple(
    8.0 if name in {"Hà Nội", "TP Hồ Chí Minh"} else 1.0 for name in PROVINCES
)


def _tax_code(rng: random.Random) -> str:
    while True:
        head = f"0{rng.randrange(10**8):08d}"
        total = sum(int(d) * w for d, w in zip(head, _TAX_WEIGHTS, strict=True))
        check = 10 - total % 11
        if check < 10:
            return head + str(check)


def _citizen_id(rng: random.Random) -> str:
    province = rng.choice(("001", "079", "031", "048", "092", "038", "040", "075"))
    century_sex = rng.choice("0123")
    year = rng.randrange(100) if century_sex in "01" else rng.randrange(8)
    return f"{province}{century_sex}{year:02d}{rng.randrange(10**6):06d}"


def make_person(rng: random.Random, *, organisation: bool) -> dict[str, Any]:
    """A requester as model data: a citizen (ID, phone, province) or an employer (tax code)."""
    province = rng.choices(PROVINCES, weights=_PROVINCE_WEIGHTS)[0]
    phone = f"09{rng.randrange(10**8):08d}"
    if organisation:
        return {
            "type": "organization",
            "name": f"Công ty TNHH {rng.choice(_COMPANY)} {rng.randrange(1, 999)}",
            "tax_code": _tax_code(rng),
            "phone": phone,
            "province": province,
        }
    person: dict[str, Any] = {
        "type": "individual",
        "name": f"{rng.choice(_FAMILY)} {rng.choice(_MIDDLE)} {rng.choice(_GIVEN)}",
        "phone": phone,
        "province": province,
    }
    if rng.random() < 0.7:
        person["citizen_id"] = _citizen_id(rng)
    return person

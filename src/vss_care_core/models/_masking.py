"""Masking of personal data for repr, str, logs and error messages."""

from __future__ import annotations

import re

__all__ = ["mask_code", "mask_email", "mask_middle", "mask_name", "mask_text"]

_ELLIPSIS = "…"
_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:#/+-]*")
_CODE_SEPARATORS = re.compile(r"[._:#/+-]")
_DOMAIN = re.compile(r"([a-z0-9-]+\.)+[a-z]{2,}")
_LONG_NUMBER = 9
"""A run of this many digits may be a phone number (9 after +84), an ID or a BHXH number."""


def mask_middle(text: str) -> str:
    """Hide the middle of ``text``, keeping at most half of it visible.

    12 characters or more keep 4 at the start and 2 at the end; 8 to 11 keep 2 and 2; 4 to 7
    keep 1 and 1; shorter ones are hidden whole.

    >>> mask_middle("079203001234")
    '0792…34'
    >>> mask_middle("7912345678")
    '79…78'
    >>> mask_middle("12345")
    '1…5'
    """
    size = len(text)
    if size >= 12:
        start, end = 4, 2
    elif size >= 8:
        start, end = 2, 2
    elif size >= 4:
        start, end = 1, 1
    else:
        return _ELLIPSIS
    return f"{text[:start]}{_ELLIPSIS}{text[size - end :]}"


def mask_email(address: str) -> str:
    """Hide the local part of an e-mail address except its first character.

    The domain stays visible only when the whole value reads as one address with a plain
    domain; anything else (two words, a number after the domain...) is masked whole, so that
    a refused value never shows what follows its ``@``.

    >>> mask_email("nguyen.van.a@example.vn")
    'n…@example.vn'
    >>> mask_email("a@example.vn 079203001234")
    'a@ex…34'
    """
    local, sep, domain = address.partition("@")
    plain = (
        sep
        and local
        and not any(c.isspace() for c in local)
        and _DOMAIN.fullmatch(domain.lower())
        and mask_code(domain) == domain
    )
    if not plain:
        return mask_middle(address)
    return f"{local[:1]}{_ELLIPSIS}@{domain}"


def mask_name(name: str) -> str:
    """Keep only the initial of each word of a person's name.

    >>> mask_name("Nguyễn Văn An")
    'N. V. A.'
    """
    return " ".join(f"{word[0]}." for word in name.split())


def mask_text(text: str) -> str:
    """A free text (a subject, a note, an address) shown by its length only.

    >>> mask_text("Khách gọi từ 0912345678")
    '<23 characters>'
    """
    size = len(text)
    return f"<{size} character>" if size == 1 else f"<{size} characters>"


def mask_code(text: str) -> str:
    """A code or an identifier as it may be shown: unchanged when it reads as a code.

    A code is ASCII letters, digits and ``. _ : # / + -``. One that holds 9 digits or more in a
    row, alone or split by separators (``0912.345.678``: a phone, a citizen ID, a BHXH number)
    is masked in the middle; any other text (spaces, letters with diacritics, an ``@``) may be
    a name or an address and is shown by its length only. Digits among letters, as in a
    hexadecimal id, do not count.

    >>> mask_code("agent-7"), mask_code("6f1c2a9e0b7d")
    ('agent-7', '6f1c2a9e0b7d')
    >>> mask_code("case-079203001234")
    'case…34'
    >>> mask_code("Nguyễn Văn An")
    '<13 characters>'
    """
    if not (text.isascii() and _CODE.fullmatch(text)):
        return mask_text(text)
    digits_in_a_row = 0
    for part in _CODE_SEPARATORS.split(text):
        digits_in_a_row = digits_in_a_row + len(part) if part.isdigit() else 0
        if digits_in_a_row >= _LONG_NUMBER:
            return mask_middle(text)
    return text

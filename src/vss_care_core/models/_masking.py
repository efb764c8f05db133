"""Masking of personal data for repr, str, logs and error messages."""

from __future__ import annotations

__all__ = ["mask_email", "mask_middle", "mask_name"]

_ELLIPSIS = "…"


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

    >>> mask_email("nguyen.van.a@example.vn")
    'n…@example.vn'
    """
    local, sep, domain = address.partition("@")
    if not sep:
        return mask_middle(address)
    return f"{local[:1]}{_ELLIPSIS}@{domain}"


def mask_name(name: str) -> str:
    """Keep only the initial of each word of a person's name.

    >>> mask_name("Nguyễn Văn An")
    'N. V. A.'
    """
    return " ".join(f"{word[0]}." for word in name.split())

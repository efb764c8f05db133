"""Vietnamese text folding: compare words with or without diacritics."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["fold_vietnamese", "words"]

_WORD = re.compile(r"[0-9a-z]+")
_D = str.maketrans({"đ": "d", "Đ": "d"})


def fold_vietnamese(text: str) -> str:
    """Lower-case ``text`` and remove its diacritics (``đ`` becomes ``d``).

    Composed and decomposed Unicode give the same result.

    >>> fold_vietnamese("Lương HƯU Đóng BHXH")
    'luong huu dong bhxh'
    """
    decomposed = unicodedata.normalize("NFD", text.translate(_D))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.translate(_D).casefold()


def words(text: str) -> list[str]:
    """The folded words of ``text``, punctuation dropped.

    >>> words("Thẻ BHYT: hết hạn?")
    ['the', 'bhyt', 'het', 'han']
    """
    return _WORD.findall(fold_vietnamese(text))

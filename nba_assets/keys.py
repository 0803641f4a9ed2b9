"""Cross-source keys (DESIGN §2)."""

from __future__ import annotations

import re
import unicodedata

_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
_FOLDED = str.maketrans({"ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ß": "ss", "æ": "ae", "Æ": "AE"})


def player_lookup(name: str) -> str:
    """The cross-source player key: lower-case, accents stripped, punctuation and spaces removed,
    suffix kept ("LeBron James Jr." -> "lebronjamesjr", "Nikola Jokić" -> "nikolajokic")."""
    ascii_name = unicodedata.normalize("NFKD", name.translate(_FOLDED)).encode("ascii", "ignore").decode()
    return _NOT_ALNUM.sub("", ascii_name.lower())

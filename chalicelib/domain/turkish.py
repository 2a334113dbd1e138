"""Turkish casing and folding: the one copy every layer uses (text understanding, the console's search,
CİMER column headers, redaction, SMS keywords).

Why hand-rolled: Python's str.lower()/upper() get Turkish wrong ("I".lower() == "i", "İ".lower() == "i̇",
"i".upper() == "I"). `fold` also strips diacritics so 'ÇÖP', 'çöp' and 'cop' compare equal.
"""
from __future__ import annotations

import unicodedata

_UPPER_TO_LOWER = str.maketrans({"I": "ı", "İ": "i"})
_LOWER_TO_UPPER = str.maketrans({"i": "İ", "ı": "I"})
_FOLD = str.maketrans({"ç": "c", "ğ": "g", "ı": "i", "ö": "o", "ş": "s", "ü": "u", "â": "a", "î": "i", "û": "u"})


def lower(text: str) -> str:
    """Turkish lower case: I→ı and İ→i before the generic lower()."""
    return text.translate(_UPPER_TO_LOWER).lower()


def upper(text: str) -> str:
    """Turkish upper case: i→İ and ı→I before the generic upper()."""
    return text.translate(_LOWER_TO_UPPER).upper()


def fold(text: str) -> str:
    """Casefold and strip Turkish diacritics, so 'ÇÖP', 'çöp' and 'cop' compare equal."""
    s = lower(text).translate(_FOLD)
    if not s.isascii():
        s = "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))
    return s

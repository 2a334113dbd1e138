"""Typo and SMS-shorthand copies of training messages (issue 18), for `ulakbel train`.

Why: citizens type on phones. Diacritic-free and upper-case copies would add nothing (every text feature is
computed on the folded, lower-cased form), but shorthand ("bi", "diil", "ltf", "-yo" for "-yor") and one-letter
slips ("kaldrım", "lambba", "sokka") make words the model has never seen. One copy per message, its labels
unchanged, chosen by a generator seeded with the CRC32 of the text: the same corpus gives the same copies.
Measured on the dev splits only (docs/classifier.md, "Experiments on the dev splits").
"""
from __future__ import annotations

import random
import re
import zlib

from chalicelib.domain.turkish import fold

# Whole-word shorthand, written as people type it (folded or not).
_SHORTHAND = {
    "bir": "bi", "değil": "diil", "lütfen": "ltf", "için": "icin", "teşekkürler": "tşk", "teşekkür": "tsk",
    "mahallesi": "mah", "mahallesinde": "mahde", "yok": "yk", "var": "va", "şey": "sey", "geliyor": "geliyo",
    "çok": "cok", "ne": "n", "merhaba": "mrb", "selam": "slm", "tamam": "tmm", "herkes": "herkez",
    "yapılsın": "yapilsin", "hâlâ": "hala", "şimdi": "simdi", "sonra": "sonra", "kadar": "kdr",
}
_YOR_RE = re.compile(r"yor(?=(?:um|uz|sun|lar)?\b)")
_WORD_RE = re.compile(r"[^\W\d_]+")


def _typo(word: str, rng: random.Random) -> str:
    """One dropped, swapped or doubled letter inside a word of 5+ letters (the first letter is kept)."""
    if len(word) < 5:
        return word
    i = rng.randrange(1, len(word) - 1)
    op = rng.randrange(3)
    if op == 0:
        return word[:i] + word[i + 1:]
    if op == 1:
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    return word[:i] + word[i] + word[i:]


def sms_copy(text: str) -> str:
    """A deterministic shorthand-and-typo copy of `text` (may equal it for a very short message)."""
    rng = random.Random(zlib.crc32(text.encode("utf-8")))
    words = _WORD_RE.findall(text)
    seps = _WORD_RE.split(text)
    new_words = []
    for w in words:
        lw = w.lower()
        if lw in _SHORTHAND and rng.random() < 0.7:
            w = _SHORTHAND[lw]
        elif lw.endswith(("yor", "yorum", "yoruz", "yorlar")) and rng.random() < 0.5:
            w = _YOR_RE.sub("yo", w)
        new_words.append(w)
    long_idx = [i for i, w in enumerate(new_words) if len(w) >= 5]
    for i in rng.sample(long_idx, min(len(long_idx), rng.choice((1, 2)))):
        new_words[i] = _typo(new_words[i], rng)
    s = seps[0] + "".join(w + sep for w, sep in zip(new_words, seps[1:]))
    if rng.random() < 0.5:
        s = fold(s)  # half of them typed without diacritics, lower case
    return s


def augment_rows(rows: list[dict]) -> list[dict]:
    """One shorthand/typo copy per row that has a label, marked `augmented`; copies equal to their source are
    left out."""
    out = []
    for r in rows:
        copy = sms_copy(r["text"])
        if copy != r["text"]:
            out.append({**r, "text": copy, "augmented": True})
    return out

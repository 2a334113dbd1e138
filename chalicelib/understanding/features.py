"""Features of one message for the learned classifier: the same pure-Python code at training and in the Lambda.

Why one function for both: the exported weights are only right if inference sees exactly the features the
model was trained on. Text features are binary and scaled by 1/sqrt(count) (an L2-normalised bag), so long
CİMER petitions and short SMS weigh alike; the keyword rules and the kind cues enter as a few real-valued
features, so the rules inform the model instead of deciding.
"""
from __future__ import annotations

import math
import re

from .text import Token, strip_suffixes

_NEGATION_RE = re.compile(
    r"(?:m[ae]d[iu](?:k|m|n|l[ae]r|n[iu]z)?|m[iu]yor(?:uz|um|sun|lar)?|m[iu]yo|m[ae]m[iu]s(?:l[ae]r)?|m[ae]z(?:l[ae]r)?)$")
_IMPERATIVE_RE = re.compile(r"(?:[iu]l|[aeiu]n)s[iu]n(?:l[ae]r)?$")
_CONDITIONAL_RE = re.compile(r"(?:[iu]ls[ae]|[aeiou]ns[ae]|[aeiou]rs[ae]|ols[ae]|s[ae]ydi)$")
_VERBAL_NOUN_ACC_RE = re.compile(r"m[ae]s[iu]n[iu]$")
_ABILIR_RE = re.compile(r"[ae]bil[iu]r")
_QUESTION_PARTICLE = frozenset("mi mu mı mü misin musun miyim muyum miyiz muyuz midir mudur".split())
_QUESTION_WORDS = frozenset("ne neden nasil nereye nerede nereden hangi kac kacta kim kime nedir niye".split())
_THANKS_EMOJI = ("👏", "🙏", "❤", "🌷", "💐", "🌹", "😊", "👍")
_ANGRY = ("😡", "🤬", "😠", "👎")


_WORD_KEYS: dict[str, tuple[str, ...]] = {}  # word → its own keys (memo: citizens reuse a small vocabulary)


def word_keys(w: str) -> tuple[str, ...]:
    keys = _WORD_KEYS.get(w)
    if keys is None:
        out = {"w=" + w: None, "p=" + w[:5]: None, "s=" + strip_suffixes(w): None}
        padded = "<" + w + ">"
        n = len(padded)
        for i in range(n - 2):
            out["c=" + padded[i:i + 3]] = None
            if i + 4 <= n:
                out["c=" + padded[i:i + 4]] = None
        keys = tuple(out)
        if len(_WORD_KEYS) >= 50_000:
            _WORD_KEYS.clear()
        _WORD_KEYS[w] = keys
    return keys


# Words after which writers give their name ("ben Ali Veli", "Adım Ayşe", "Saygılarımla, Mehmet Kaya"): the
# name (up to three capitalised words) carries no topic, so it gives no text feature; a rare name would otherwise
# pull a short message towards whatever category its one training message had.
_NAME_CUES = frozenset("ben adim ismim saygilarimla saygilar imza".split())


def text_parts(tokens: list[Token]) -> tuple[list[str], list[str]]:
    """The words that carry text features (2+ letters, not a name after "ben/adım/saygılarımla") and the prefix
    bigrams of neighbouring ones."""
    words: list[str] = []
    bigrams: list[str] = []
    prev = None
    name_left = 0
    for t in tokens:
        w = t.norm
        if name_left:
            raw = t.raw
            if raw[:1].isupper() and not raw.isupper():  # "Ali", not "ALİ" (an upper-case message) or "ali"
                name_left -= 1
                prev = None
                continue
            name_left = 0
        if w in _NAME_CUES:
            name_left = 3
        if len(w) < 2:
            prev = None
            continue
        words.append(w)
        p = w[:5]
        if prev is not None:
            bigrams.append("b=" + prev + "_" + p)
        prev = p
    return words, bigrams


def text_keys(tokens: list[Token]) -> dict[str, None]:
    """The distinct text feature names of a message (words, stems, prefixes, prefix bigrams, in-word character
    3/4-grams), each word's own names memoised; all of them take the same value (`text_features`)."""
    words, bigrams = text_parts(tokens)
    keys: dict[str, None] = {}
    for w in words:
        keys.update(dict.fromkeys(word_keys(w)))
    keys.update(dict.fromkeys(bigrams))
    return keys


class Features(dict):
    """feature → value, remembering which features share one value (`groups`: [(value, names)]), so that
    inference sums their weight rows once instead of one multiply per feature. A plain dict to everyone else."""

    __slots__ = ("groups",)


def text_features(tokens: list[Token], text: str) -> dict[str, float]:
    """Words, suffix-stripped stems, 5-letter prefixes, prefix bigrams and in-word character 3/4-grams."""
    keys = text_keys(tokens)
    return dict.fromkeys(keys, 1.0 / math.sqrt(len(keys))) if keys else {}


def rule_features(scored: dict, departments: dict[str, str], kind_rule: dict[str, float]) -> dict[str, float]:
    """The keyword rules' evidence (per category and department) and the kind cues, squashed to 0..1."""
    feats: dict[str, float] = {}
    by_dept: dict[str, float] = {}
    for code, (s, _) in scored.items():
        feats["r=" + code] = s / (s + 1.5)
        d = departments.get(code)
        if d is not None:
            by_dept[d] = by_dept.get(d, 0.0) + s
    for d, s in by_dept.items():
        feats["rd=" + d] = s / (s + 1.5)
    for k, s in kind_rule.items():
        if s > 0:
            feats["k=" + k] = s / (s + 1.0)
    return feats


_SHAPE: dict[str, tuple[tuple[str, ...], bool]] = {}  # word → (its own flags, "-abilir") memo


def _word_shape(w: str) -> tuple[tuple[str, ...], bool]:
    r = _SHAPE.get(w)
    if r is None:
        flags = []
        if len(w) >= 5 and _NEGATION_RE.search(w):
            flags.append("f=neg")
        if len(w) >= 6 and _IMPERATIVE_RE.search(w):
            flags.append("f=imp")
        if len(w) >= 4 and _CONDITIONAL_RE.search(w):
            flags.append("f=cond")
        if len(w) >= 8 and _VERBAL_NOUN_ACC_RE.search(w):
            flags.append("f=vnacc")
        if w in _QUESTION_PARTICLE:
            flags.append("f=qpart")
        if w in _QUESTION_WORDS:
            flags.append("f=qword")
        r = (tuple(flags), _ABILIR_RE.search(w) is not None)
        if len(_SHAPE) >= 50_000:
            _SHAPE.clear()
        _SHAPE[w] = r
    return r


def shape_features(tokens: list[Token], text: str) -> dict[str, float]:
    """Morphology and punctuation cues that no single word carries."""
    feats: dict[str, float] = {}
    norms = [t.norm for t in tokens]
    if "?" in text:
        feats["f=qmark"] = 1.0
    n = len(norms)
    for i, w in enumerate(norms):
        flags, abilir = _word_shape(w)
        for f in flags:
            feats[f] = 1.0
        if abilir and i + 1 < n and norms[i + 1][:2] in ("mi", "mu"):
            feats["f=abilirmi"] = 1.0
    if any(e in text for e in _THANKS_EMOJI):
        feats["f=thanks_emoji"] = 1.0
    if any(e in text for e in _ANGRY):
        feats["f=angry_emoji"] = 1.0
    if "!" in text:
        feats["f=excl"] = 1.0
    feats["f=len" + ("1" if n <= 6 else "2" if n <= 15 else "3" if n <= 40 else "4")] = 1.0
    n_letters = sum(map(str.isalpha, text))
    if n_letters >= 12 and sum(map(str.isupper, filter(str.isalpha, text))) / n_letters > 0.8:
        feats["f=upper"] = 1.0
    if text.isascii():
        feats["f=ascii"] = 1.0
    return feats


def other_features(tokens: list[Token], text: str, scored: dict, departments: dict[str, str],
                   kind_rule: dict[str, float]) -> dict[str, float]:
    """The features that are not text n-grams: the keyword rules' and kind cues' evidence, and the shape."""
    other = rule_features(scored, departments, kind_rule)
    other.update(shape_features(tokens, text))
    return other


def message_features(tokens: list[Token], text: str, scored: dict, departments: dict[str, str],
                     kind_rule: dict[str, float]) -> Features:
    keys = text_keys(tokens)
    scale = 1.0 / math.sqrt(len(keys)) if keys else 0.0
    feats = Features(dict.fromkeys(keys, scale))
    other = other_features(tokens, text, scored, departments, kind_rule)
    feats.update(other)
    # Text, rule and shape features have distinct prefixes ("w=", "r=", "f=", ...): no name is in two groups.
    feats.groups = [(scale, list(keys))] + [(v, (f,)) for f, v in other.items()]
    return feats

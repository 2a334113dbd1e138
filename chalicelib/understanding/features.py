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


def text_features(tokens: list[Token], text: str) -> dict[str, float]:
    """Words, suffix-stripped stems, 5-letter prefixes, prefix bigrams and in-word character 3/4-grams."""
    feats: dict[str, float] = {}
    prev = None
    for t in tokens:
        w = t.norm
        if len(w) < 2:
            prev = None
            continue
        feats["w=" + w] = 1.0
        p = w[:5]
        feats["p=" + p] = 1.0
        feats["s=" + strip_suffixes(w)] = 1.0
        if prev is not None:
            feats["b=" + prev + "_" + p] = 1.0
        prev = p
        padded = "<" + w + ">"
        n = len(padded)
        for i in range(n - 2):
            feats["c=" + padded[i:i + 3]] = 1.0
            if i + 4 <= n:
                feats["c=" + padded[i:i + 4]] = 1.0
    if feats:
        scale = 1.0 / math.sqrt(len(feats))
        for k in feats:
            feats[k] = scale
    return feats


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


def shape_features(tokens: list[Token], text: str) -> dict[str, float]:
    """Morphology and punctuation cues that no single word carries."""
    feats: dict[str, float] = {}
    norms = [t.norm for t in tokens]
    if "?" in text:
        feats["f=qmark"] = 1.0
    for i, w in enumerate(norms):
        if len(w) >= 5 and _NEGATION_RE.search(w):
            feats["f=neg"] = 1.0
        if len(w) >= 6 and _IMPERATIVE_RE.search(w):
            feats["f=imp"] = 1.0
        if len(w) >= 4 and _CONDITIONAL_RE.search(w):
            feats["f=cond"] = 1.0
        if len(w) >= 8 and _VERBAL_NOUN_ACC_RE.search(w):
            feats["f=vnacc"] = 1.0
        if _ABILIR_RE.search(w) and i + 1 < len(norms) and norms[i + 1][:2] in ("mi", "mu"):
            feats["f=abilirmi"] = 1.0
        if w in _QUESTION_PARTICLE:
            feats["f=qpart"] = 1.0
        if w in _QUESTION_WORDS:
            feats["f=qword"] = 1.0
    if any(e in text for e in _THANKS_EMOJI):
        feats["f=thanks_emoji"] = 1.0
    if any(e in text for e in _ANGRY):
        feats["f=angry_emoji"] = 1.0
    if "!" in text:
        feats["f=excl"] = 1.0
    n = len(norms)
    feats["f=len" + ("1" if n <= 6 else "2" if n <= 15 else "3" if n <= 40 else "4")] = 1.0
    letters = [c for c in text if c.isalpha()]
    if len(letters) >= 12 and sum(c.isupper() for c in letters) / len(letters) > 0.8:
        feats["f=upper"] = 1.0
    if text.isascii():
        feats["f=ascii"] = 1.0
    return feats


def message_features(tokens: list[Token], text: str, scored: dict, departments: dict[str, str],
                     kind_rule: dict[str, float]) -> dict[str, float]:
    feats = text_features(tokens, text)
    feats.update(rule_features(scored, departments, kind_rule))
    feats.update(shape_features(tokens, text))
    return feats

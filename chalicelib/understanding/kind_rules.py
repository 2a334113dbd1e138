"""The keyword rules' kind evidence (şikayet / talep / öneri / bilgi / teşekkür): cue words from the taxonomy and
Turkish verb morphology. Used by the rules' decision and, as features and explanation, by the learned model."""
from __future__ import annotations

import re

from .data import Taxonomy, score
from .model import KINDS
from .text import Token, has_emoji

# Negative verb forms: "toplanmadı", "yanmıyor", "gelmemiş", "uyuyamıyoruz", "gelmez".
_NEGATION_RE = re.compile(
    r"(?:m[ae]d[iu](?:k|m|n|l[ae]r|n[iu]z)?|m[iu]yor(?:uz|um|sun|lar)?|m[ae]m[iu]s(?:l[ae]r)?|m[ae]z(?:l[ae]r)?)$"
)
# Passive imperative / wish: "yapılsın", "konulsun", "ilaçlansın", "getirilsin".
_IMPERATIVE_RE = re.compile(r"(?:[iu]l|[aeiu]n)s[iu]n(?:l[ae]r)?$")
# Conditional: "yapılsa", "konulsa", "eklenirse", "uzatılsa", "olsa".
_CONDITIONAL_RE = re.compile(r"(?:[iu]ls[ae]|[aeiou]ns[ae]|[aeiou]rs[ae]|ols[ae])$")
# Aorist consequence after a conditional: "... yapılsa kazalar azalır / iyi olur / trafik rahatlar".
_AORIST_RE = re.compile(r"(?:[aeiu]r|l[ae]r)$")
# "yapılmasını / dikilmesini (istiyoruz)": verbal noun in the accusative, the usual shape of a request.
_VERBAL_NOUN_ACC_RE = re.compile(r"m[ae]s[iu]n[iu]$")
# Request phrased as a question: "konulabilir mi", "alınabilir mi", "gelebilir misiniz".
_ABILIR_RE = re.compile(r"(?:[ae]bil[iu]r|[ae]bil[iu]r(?:m[iu]s[iu]n[iu]z|[iu]z|[iu]m))$")

# word → (negative verb, passive imperative, conditional, aorist, verbal noun + accusative, "-abilir"): the
# verb-morphology tests of one word, memoised (a message's words repeat a small vocabulary).
_FLAGS: dict[str, tuple[bool, bool, bool, bool, bool, bool]] = {}


def _word_flags(w: str) -> tuple[bool, bool, bool, bool, bool, bool]:
    n = len(w)
    f = (n >= 5 and _NEGATION_RE.search(w) is not None and w not in ("kimse", "hemen"),
         n >= 6 and _IMPERATIVE_RE.search(w) is not None,
         n >= 4 and _CONDITIONAL_RE.search(w) is not None,
         n >= 4 and _AORIST_RE.search(w) is not None,
         n >= 8 and _VERBAL_NOUN_ACC_RE.search(w) is not None,
         _ABILIR_RE.search(w) is not None)
    if len(_FLAGS) >= 50_000:
        _FLAGS.clear()
    _FLAGS[w] = f
    return f


def kind_scores(tax: Taxonomy, text: str, tokens: list[Token], norms: list[str]
                ) -> tuple[dict[str, float], dict[str, list[str]]]:
    """Rule scores per kind (cue words and verb morphology) with the words that scored: the rules' kind
    evidence, used as model features and as the explanation."""
    rules = tax.kinds
    scored = score(rules.matcher.find(norms))
    scores = {k: scored.get(k, (0.0, []))[0] for k in KINDS}
    evidence = {
        k: [" ".join(t.raw for t in tokens[st : st + ln]) for st, ln, _ in sorted(scored.get(k, (0.0, []))[1])]
        for k in KINDS
    }
    # Politeness ("şimdiden teşekkürler") is not thanks.
    if scores["tesekkur"] and any(n in rules.not_after for n in norms):
        scores["tesekkur"] = 0.0
        evidence["tesekkur"] = []
    emoji = has_emoji(text, rules.thanks_emoji)
    if emoji:
        scores["tesekkur"] += rules.weights["tesekkur"] * 0.6
        evidence["tesekkur"].append(emoji)
    flags = [_FLAGS.get(w) or _word_flags(w) for w in norms]
    for i, f in enumerate(flags):
        if f[0]:
            scores["sikayet"] += rules.negation_bonus
            evidence["sikayet"].append(tokens[i].raw)
            break
    for i, f in enumerate(flags):
        if f[1]:
            scores["talep"] += rules.imperative_bonus
            evidence["talep"].append(tokens[i].raw)
            break
    for i, f in enumerate(flags):
        if f[2]:
            scores["oneri"] += rules.conditional_bonus
            evidence["oneri"].append(tokens[i].raw)
            if any(g[3] for g in flags[i + 1:]):
                scores["oneri"] += rules.conditional_bonus * 0.5
            break
    for i, f in enumerate(flags):
        if f[4]:
            scores["talep"] += rules.imperative_bonus * 0.5
            evidence["talep"].append(tokens[i].raw)
            break
    for i, f in enumerate(flags):
        if f[5] and i + 1 < len(norms) and norms[i + 1].startswith(("mi", "mu")):
            if not any(n == "bilgi" or n.startswith("ogren") for n in norms):
                scores["talep"] += rules.imperative_bonus * 1.5
                evidence["talep"].append(f"{tokens[i].raw} {tokens[i + 1].raw}")
            break
    if "?" in text:
        scores["bilgi"] += rules.question_bonus
        evidence["bilgi"].append("?")
    return scores, evidence

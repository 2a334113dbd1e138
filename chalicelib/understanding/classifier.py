"""Keyword-and-rules classifier: category → department, kind, mahalle, confidence, explanation.

Why not a statistical model: it must run in a Lambda with no heavy dependencies, answer in well under a
millisecond, be deterministic, explain itself in one line, and be changed by staff editing a YAML file.
Weighted root/phrase matching over Turkish-normalised words gets there; see docs/classifier.md.
"""

from __future__ import annotations

import math

from .data import Taxonomy, get_taxonomy, score
from .gazetteer import CONFLICT_FACTOR, resolve
from .model import KINDS, PRIORITIES, Classification
from .kind_rules import kind_scores
from .text import Token, fold, is_suffix, stem, strip_suffixes, tokenize

_KIND_LABEL = {"sikayet": "şikayet", "talep": "talep", "oneri": "öneri", "bilgi": "bilgi", "tesekkur": "teşekkür"}


def _confidence(s1: float, s2: float) -> float:
    """Evidence saturation times margin over the best *other department*."""
    if s1 <= 0:
        return 0.0
    sat = 1.0 - math.exp(-s1 / 1.5)
    share = s1 / (s1 + s2)
    return round(sat * share, 3)


def _fuzzy_norms(tax: Taxonomy, tokens: list[Token], norms: list[str]) -> tuple[list[str], list[str], set[int]]:
    """Second chance for unknown words: one-typo match against keyword roots, then the snowball stem."""
    from rapidfuzz.distance import Levenshtein  # lazy

    matcher = tax.matcher
    fixed = list(norms)
    notes = []
    changed: set[int] = set()
    for i, w in enumerate(norms):
        if len(w) < 5 or matcher.known(w):
            continue
        best = None
        for root in matcher.single_roots.get(w[:2], ()):
            max_d = 1 if len(root) < 9 else 2
            for cut in (len(root) - 1, len(root), len(root) + 1):
                if cut > len(w) or not is_suffix(w[cut:]):
                    continue
                d = Levenshtein.distance(w[:cut], root, score_cutoff=max_d)
                # Nearest root, ties by the root itself: the roots come from a set, whose order changes from one
                # process to the next ("kapakları" was "kavak" in one and "kaçak" in another).
                if d <= max_d and (best is None or (d, root) < best):
                    best = (d, root)
        if best is None:
            s = stem(tokens[i].raw)
            if s != w and len(s) >= 3 and matcher.known(s):
                best = (0, s)
        if best is not None:
            fixed[i] = best[1]
            changed.add(i)
            notes.append(f"{tokens[i].raw}≈{best[1]}")
    return fixed, notes, changed


def _kind(tax: Taxonomy, text: str, tokens: list[Token], norms: list[str], default_kind: str) -> tuple[str, str]:
    """Kind from cue words and verb morphology; the category's default_kind breaks ties."""
    scores, evidence = kind_scores(tax, text, tokens, norms)
    scores[default_kind] += 0.5
    best = max(KINDS, key=lambda k: (scores[k], k == default_kind))
    ev = evidence[best]
    why = ", ".join(f'"{e}"' for e in ev[:3]) if ev else "kategori varsayılanı"
    return best, f"tür {_KIND_LABEL[best]} ← {why}"


def apply_overrides(c: Classification, text: str, neighbourhood: str | None, tax: Taxonomy | None = None,
                    norms: list[str] | None = None) -> Classification:
    """Apply routing rules from the taxonomy file (keyword/neighbourhood/category → department, priority)."""
    tax = tax or get_taxonomy()
    if not tax.overrides:
        return c
    nb = fold(neighbourhood) if neighbourhood else None
    for o in tax.overrides:
        if o.name in c.overrides:
            continue
        if o.categories and c.category not in o.categories:
            continue
        if o.departments and c.department not in o.departments:
            continue
        if o.neighbourhoods and nb not in o.neighbourhoods:
            continue
        if o.keywords is not None:
            if norms is None:
                norms = [t.norm for t in tokenize(text or "")]
            if not o.keywords.find(norms):
                continue
        changes: dict = {"overrides": c.overrides + (o.name,)}
        if o.set_category:
            cat = tax.categories[o.set_category]
            changes.update(category=cat.code, department=cat.department, institution=cat.institution,
                           sla_hours=cat.sla_hours)
        if o.set_department:
            changes["department"] = o.set_department
            changes["institution"] = o.set_institution
        elif o.set_institution:
            changes["institution"] = o.set_institution
        if o.set_priority and PRIORITIES.index(o.set_priority) > PRIORITIES.index(changes.get("priority", c.priority)):
            changes["priority"] = o.set_priority
        changes["explanation"] = f"{c.explanation} | kural {o.name}"
        c = c.with_changes(**changes)
    return c


def classify(
    text: str, address: str | None = None, lat: float | None = None, long: float | None = None
) -> Classification:
    """Classify one citizen message with the learned model (the keyword rules as its features and as the
    explanation); the rules alone when no model file is shipped. Deterministic; loads data on first call."""
    from .learned import get_model

    model = get_model()
    if model is None or not _model_fits(model, get_taxonomy()):
        return classify_rules(text, address, lat, long)
    return classify_learned(model, text, address, lat, long)


_FITS: dict = {}


def _model_fits(model, tax: Taxonomy) -> bool:
    """The model was trained on this taxonomy's categories and departments. A municipality that edits the
    taxonomy (moves a category, adds one) gets the keyword rules until `ulakbel train` is run again: a stale
    model must never route by the old map."""
    key = (id(model), id(tax))
    if key not in _FITS:
        _FITS.clear()
        _FITS[key] = model.category_department == {c: cat.department for c, cat in tax.categories.items()}
    return _FITS[key]


def classify_learned(model, text: str, address: str | None = None, lat: float | None = None,
                     long: float | None = None) -> Classification:
    """Department/category and kind from the model's calibrated probabilities; mahalle from the gazetteer and
    the boundaries; below the model's triage threshold the request goes to triage with the guess kept."""
    from .learned import predict_read, read, top_words

    tax = get_taxonomy()
    text = text if isinstance(text, str) else ("" if text is None else str(text))
    r = read(text)
    tokens, scored, kevidence = r.tokens, r.scored, r.kevidence
    p = predict_read(model, r)
    best = tax.categories[p.category]
    rule_words = scored.get(p.category, (0.0, []))[1]
    if rule_words:
        words = ['"' + " ".join(t.raw for t in tokens[st:st + ln]) + '"' for st, ln, _ in sorted(rule_words)[:4]]
        why = f"{best.code} ← {', '.join(words)}"
    else:
        # No keyword of this category: the words the model weighed most for it.
        ci = model.category.classes.index(p.category)
        top = top_words(model.category, r, ci)
        why = f"{best.code} ← model: {', '.join(repr(w) for w in top)}" if top else f"{best.code} ← model"
    confidence = round(p.confidence, 3)
    why += f" (p={confidence:.2f})"
    place = resolve(text, address, lat, long, tokens=tokens)
    kev = kevidence.get(p.kind) or []
    kind_why = f"tür {_KIND_LABEL[p.kind]} ← " + (", ".join(f'"{e}"' for e in kev[:3]) if kev else "model") \
        + f" (p={p.kind_confidence:.2f})"
    # The stricter of the model's threshold (chosen on the frozen split) and the taxonomy's (a municipality may
    # raise it in its data file).
    threshold = max(model.triage_threshold, tax.triage_threshold)
    return _decided(text, tax, [t.norm for t in tokens], best, p.kind, why, kind_why, confidence, threshold, place,
                    model.version)


def _decided(text: str, tax, norms: list[str], best, kind: str, why: str, kind_why: str, confidence: float,
             threshold: float, place, model_version: str | None = None) -> Classification:
    """The explanation, the triage decision and the data's overrides: the same for the model and the rules."""
    parts = [why]
    if place.neighbourhood:
        parts.append(f"mahalle {place.neighbourhood} ← {place.why}")
    if place.conflict:
        confidence = round(confidence * CONFLICT_FACTOR, 3)
        parts.append(f"{place.conflict} (güven ×{CONFLICT_FACTOR})")
    parts.append(kind_why)
    needs_triage = confidence < threshold
    if place.outside:
        # Not ours to fix: Beyaz Masa forwards it to the responsible municipality instead of a department guessing.
        needs_triage = True
        parts.append(f"{place.why}: triyaj")
    elif needs_triage:
        parts.append(f"güven {confidence:.2f} < {threshold:.2f}: triyaj")
    c = Classification(
        department=best.department, category=best.code, neighbourhood=place.neighbourhood, kind=kind,
        confidence=confidence, explanation=" | ".join(parts), institution=best.institution,
        sla_hours=best.sla_hours, priority=best.priority, needs_triage=needs_triage,
        outside_municipality=place.outside, model_version=model_version,
    )
    return apply_overrides(c, text, place.neighbourhood, tax, norms=norms)


def classify_rules(
    text: str, address: str | None = None, lat: float | None = None, long: float | None = None
) -> Classification:
    """The keyword-and-rules classifier alone (issue 6): the fallback without a model, and the baseline in
    `python -m bench.classifier`."""
    tax = get_taxonomy()
    text = text if isinstance(text, str) else ("" if text is None else str(text))
    tokens = tokenize(text)
    norms = [t.norm for t in tokens]
    scored = score(tax.matcher.find(norms))
    fuzzy_notes: list[str] = []
    if not scored or max(v[0] for v in scored.values()) < 1.5:
        fixed, fuzzy_notes, changed = _fuzzy_norms(tax, tokens, norms)
        if fuzzy_notes:
            # A guessed spelling counts less than a word actually written, so it cannot win a tie.
            matches = [
                m if not changed.intersection(range(m[1], m[1] + m[2])) else (m[0], m[1], m[2], m[3] * 0.75, m[4])
                for m in tax.matcher.find(fixed)
            ]
            scored = score(matches)

    order = {code: i for i, code in enumerate(tax.categories)}
    ranked = sorted(scored.items(), key=lambda kv: (-kv[1][0], order[kv[0]]))
    if ranked:
        best_code, (s1, evidence) = ranked[0]
        best = tax.categories[best_code]
        s2 = max((s for code, (s, _) in ranked[1:] if tax.categories[code].department != best.department), default=0.0)
        confidence = _confidence(s1, s2)
        words = []
        for start, length, _ in sorted(evidence)[:4]:
            words.append('"' + " ".join(t.raw for t in tokens[start : start + length]) + '"')
        why = f"{best.code} ← {', '.join(words)}"
    else:
        best = tax.categories[tax.fallback_category]
        confidence = 0.0
        why = f"{best.code} ← anahtar kelime yok"
    if fuzzy_notes:
        why += f" (yazım: {', '.join(fuzzy_notes[:3])})"

    place = resolve(text, address, lat, long, tokens=tokens)
    kind, kind_why = _kind(tax, text, tokens, norms, best.default_kind)
    return _decided(text, tax, norms, best, kind, why, kind_why, confidence, tax.triage_threshold, place)


def text_similarity(a: str, b: str) -> float:
    """0..1 similarity of two messages for duplicate clustering (stems, order-insensitive)."""
    from rapidfuzz import fuzz  # lazy

    def key(s: str) -> str:
        toks = [t for t in tokenize(s or "") if len(t.norm) > 1]
        return " ".join(sorted({strip_suffixes(stem(t.raw)) for t in toks}))

    ka, kb = key(a), key(b)
    if not ka or not kb:
        return 0.0
    return round((fuzz.token_set_ratio(ka, kb) + fuzz.token_sort_ratio(ka, kb)) / 200.0, 3)

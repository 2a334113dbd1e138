"""The taxonomy document compiled and checked: categories (each owned by a department of the municipality's
departments file), their keyword matcher, the kind rules and the routing overrides."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .matcher import Matcher
from .model import KINDS, PRIORITIES, Category, DuplicatePolicy
from .text import fold, words

DATATYPES = ("string", "number", "datetime", "text", "singlevaluelist", "multivaluelist")
STRONG_WEIGHT = 2.5


@dataclass(frozen=True, slots=True)
class Override:
    name: str
    categories: frozenset[str]
    departments: frozenset[str]
    neighbourhoods: frozenset[str]
    keywords: Matcher | None
    set_department: str | None
    set_institution: str | None
    set_priority: str | None
    set_category: str | None
    reason: str


@dataclass(frozen=True, slots=True)
class KindRules:
    matcher: Matcher
    weights: dict[str, float]
    negation_bonus: float
    imperative_bonus: float
    conditional_bonus: float
    question_bonus: float
    thanks_emoji: tuple[str, ...]
    not_after: frozenset[str]


@dataclass(frozen=True, slots=True)
class Taxonomy:
    categories: dict[str, Category]
    matcher: Matcher
    kinds: KindRules
    overrides: tuple[Override, ...]
    triage_threshold: float
    fallback_category: str
    duplicates: DuplicatePolicy
    departments: frozenset[str]
    source: str


def _departments() -> frozenset[str]:
    """The müdürlük codes a category may name: the municipality's departments file (domain/departments.py)."""
    from ..domain.departments import municipality

    return frozenset(municipality().codes)


def _as_list(v: Any) -> list:
    if v is None:
        return []
    return list(v) if isinstance(v, (list, tuple)) else [v]


def compile_taxonomy(raw: dict[str, Any], source: str = "<memory>") -> Taxonomy:
    """Validate and compile a taxonomy document; errors name the offending entry."""
    departments = _departments()
    cats: dict[str, Category] = {}
    entries: list[tuple[str, str, float]] = []
    for c in raw.get("categories") or []:
        code = c.get("code")
        if not code or not str(code).replace("_", "").isalnum() or not str(code).isascii():
            raise ValueError(f"{source}: category code must be ascii snake_case: {code!r}")
        if code in cats:
            raise ValueError(f"{source}: duplicate category {code}")
        dept = c.get("department")
        if dept not in departments:
            raise ValueError(f"{source}: category {code}: unknown department {dept!r}")
        prio = c.get("priority", "normal")
        if prio not in PRIORITIES:
            raise ValueError(f"{source}: category {code}: priority must be one of {PRIORITIES}")
        kind = c.get("default_kind", "sikayet")
        if kind not in KINDS:
            raise ValueError(f"{source}: category {code}: default_kind must be one of {KINDS}")
        if "sla_hours" in c:
            sla = int(c["sla_hours"])
        elif "sla_days" in c:
            sla = int(round(float(c["sla_days"]) * 24))
        else:
            raise ValueError(f"{source}: category {code}: sla_hours (or sla_days) is required")
        attrs = []
        for a in c.get("attributes") or []:
            if a.get("datatype") not in DATATYPES:
                raise ValueError(f"{source}: category {code}: attribute {a.get('code')} has bad datatype")
            attrs.append(dict(a))
        keywords = tuple(str(k) for k in _as_list(c.get("keywords")))
        strong = tuple(str(k) for k in _as_list(c.get("strong")))
        cats[code] = Category(
            code=code,
            name_tr=c.get("name_tr", code),
            name_en=c.get("name_en", code),
            description_tr=c.get("description_tr", ""),
            department=dept,
            institution=c.get("institution"),
            keywords=keywords,
            strong=strong,
            examples=tuple(str(e) for e in _as_list(c.get("examples"))),
            sla_hours=sla,
            priority=prio,
            default_kind=kind,
            attributes=tuple(attrs),
        )
        for k in strong:  # strong first: de-duplication keeps the first (higher) weight
            n = len(words(k))
            entries.append((code, k, STRONG_WEIGHT + 0.25 * (n - 1)))
        for k in keywords:
            n = len(words(k))
            entries.append((code, k, 1.0 + 0.5 * (n - 1)))
    if not cats:
        raise ValueError(f"{source}: no categories")

    routing = raw.get("routing") or {}
    fallback = routing.get("fallback_category", next(iter(cats)))
    if fallback not in cats:
        raise ValueError(f"{source}: fallback_category {fallback!r} is not a category")
    overrides = []
    for o in routing.get("overrides") or []:
        when = o.get("when") or {}
        st = o.get("set") or {}
        if st.get("department") and st["department"] not in departments:
            raise ValueError(f"{source}: override {o.get('name')}: unknown department {st['department']!r}")
        if st.get("priority") and st["priority"] not in PRIORITIES:
            raise ValueError(f"{source}: override {o.get('name')}: bad priority")
        if st.get("category") and st["category"] not in cats:
            raise ValueError(f"{source}: override {o.get('name')}: unknown category")
        kw = _as_list(when.get("keywords"))
        overrides.append(
            Override(
                name=str(o.get("name", f"override_{len(overrides) + 1}")),
                categories=frozenset(_as_list(when.get("categories"))),
                departments=frozenset(_as_list(when.get("departments"))),
                neighbourhoods=frozenset(fold(n) for n in _as_list(when.get("neighbourhoods"))),
                keywords=Matcher(("kw", k, 1.0) for k in kw) if kw else None,
                set_department=st.get("department"),
                set_institution=st.get("institution"),
                set_priority=st.get("priority"),
                set_category=st.get("category"),
                reason=str(o.get("reason", "")),
            )
        )

    kinds_raw = raw.get("kinds") or {}
    kind_entries = []
    weights = {}
    for k in KINDS:
        spec = kinds_raw.get(k) or {}
        weights[k] = float(spec.get("weight", 1.0))
        for cue in _as_list(spec.get("strong_cues")):  # explicit speech acts: "istiyoruz", "öneriyorum"
            kind_entries.append((k, str(cue), weights[k] * 1.5))
        for cue in _as_list(spec.get("cues")):
            kind_entries.append((k, str(cue), weights[k]))
    th = kinds_raw.get("tesekkur") or {}
    kinds = KindRules(
        matcher=Matcher(kind_entries),
        weights=weights,
        negation_bonus=float((kinds_raw.get("sikayet") or {}).get("negation_bonus", 1.0)),
        imperative_bonus=float((kinds_raw.get("talep") or {}).get("imperative_bonus", 1.0)),
        conditional_bonus=float((kinds_raw.get("oneri") or {}).get("conditional_bonus", 1.0)),
        question_bonus=float((kinds_raw.get("bilgi") or {}).get("question_bonus", 0.8)),
        thanks_emoji=tuple(_as_list(th.get("emoji"))),
        not_after=frozenset(fold(w) for w in _as_list(th.get("not_after"))),
    )
    dup = raw.get("duplicates") or {}
    return Taxonomy(
        categories=cats,
        matcher=Matcher(entries),
        kinds=kinds,
        overrides=tuple(overrides),
        triage_threshold=float(routing.get("triage_threshold", 0.4)),
        fallback_category=fallback,
        duplicates=DuplicatePolicy(
            window_hours=float(dup.get("window_hours", 72)),
            similarity_threshold=float(dup.get("similarity_threshold", 0.55)),
            same_category=bool(dup.get("same_category", True)),
            same_neighbourhood=bool(dup.get("same_neighbourhood", True)),
        ),
        departments=departments,
        source=source,
    )

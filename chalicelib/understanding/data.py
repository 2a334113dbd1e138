"""Loading and compiling the editable data files (taxonomy, gazetteer, departments).

Why compiled once: keywords are folded, split into words and indexed by their first two letters at load
time, so classifying a message is a few dict look-ups per word. Loading happens on first use and is cached;
`reload()` drops the cache (tests, or after staff edit the files). Env vars ULAKBEL_TAXONOMY_FILE and
ULAKBEL_NEIGHBOURHOODS_FILE point at replacement files (YAML or JSON); ULAKBEL_BOUNDARIES_FILE at replacement
mahalle polygons (GeoJSON, see boundaries.py).
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from ..domain import data_files
from .model import KINDS, PRIORITIES, Category, DuplicatePolicy, Neighbourhood
from .text import fold, root_matches, softened, words

DATA_DIR = Path(__file__).resolve().parent / "data"
TAXONOMY_ENV = "ULAKBEL_TAXONOMY_FILE"
NEIGHBOURHOODS_ENV = "ULAKBEL_NEIGHBOURHOODS_FILE"
DATATYPES = ("string", "number", "datetime", "text", "singlevaluelist", "multivaluelist")

STRONG_WEIGHT = 2.5


def _read(path: Path) -> Any:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        return json.loads(text)
    import yaml  # lazy: ~20 ms import

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(text, Loader=loader)  # noqa: S506 - SafeLoader variant


@dataclass(frozen=True, slots=True)
class Pattern:
    label: str
    words: tuple[tuple[str, ...], ...]  # per word: accepted folded roots (incl. softened form)
    weight: float
    surface: str


class Matcher:
    """Finds keyword/phrase occurrences in a folded word list. Labels are category codes or kinds."""

    def __init__(self, entries: Iterable[tuple[str, str, float]]):
        self.patterns: list[Pattern] = []
        self.index: dict[str, list[int]] = {}
        self.single_roots: dict[str, set[str]] = {}  # first two letters -> single-word roots (for fuzzy)
        seen: set[tuple[str, tuple[str, ...]]] = set()
        for label, phrase, weight in entries:
            ws = words(phrase)
            if not ws:
                continue
            key = (label, tuple(ws))
            if key in seen:
                continue
            seen.add(key)
            alts = tuple(tuple(a for a in (w, softened(w)) if a) for w in ws)
            pid = len(self.patterns)
            self.patterns.append(Pattern(label, alts, weight, phrase))
            for key in {a[:2] for a in alts[0]}:
                self.index.setdefault(key, []).append(pid)
            if len(ws) == 1 and len(ws[0]) >= 5:
                self.single_roots.setdefault(ws[0][:2], set()).add(ws[0])

    def find(self, norms: list[str]) -> list[tuple[str, int, int, float, str]]:
        """All (label, start, length, weight, surface) matches."""
        out = []
        n = len(norms)
        index = self.index
        patterns = self.patterns
        for i, w in enumerate(norms):
            pids = index.get(w[:2])
            if not pids:
                continue
            for pid in pids:
                p = patterns[pid]
                L = len(p.words)
                if i + L > n:
                    continue
                for j in range(L):
                    tw = norms[i + j]
                    for a in p.words[j]:
                        if root_matches(a, tw):
                            break
                    else:
                        break
                else:
                    out.append((p.label, i, L, p.weight, p.surface))
        return out

    def known(self, word: str) -> bool:
        """True when some pattern word matches `word` on its own."""
        for pid in self.index.get(word[:2], ()):
            for a in self.patterns[pid].words[0]:
                if root_matches(a, word):
                    return True
        return False


def score(matches: list[tuple[str, int, int, float, str]]) -> dict[str, tuple[float, list[tuple[int, int, str]]]]:
    """Per label: sum of weights of non-overlapping matches (longest first), with the words that counted."""
    by_label: dict[str, list[tuple[str, int, int, float, str]]] = {}
    for m in matches:
        by_label.setdefault(m[0], []).append(m)
    result = {}
    for label, ms in by_label.items():
        ms.sort(key=lambda m: (-m[2], -m[3], m[1]))
        used: set[int] = set()
        surfaces: set[str] = set()
        total = 0.0
        evidence: list[tuple[int, int, str]] = []
        for _, start, length, weight, surface in ms:
            span = range(start, start + length)
            if any(p in used for p in span) or surface in surfaces:
                continue
            used.update(span)
            surfaces.add(surface)
            total += weight
            evidence.append((start, length, surface))
        result[label] = (total, evidence)
    return result


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


@dataclass(frozen=True, slots=True)
class GazetteerEntry:
    neighbourhood: Neighbourhood
    words: tuple[str, ...]
    marker_in_name: bool
    fuzzy: bool


@dataclass(frozen=True, slots=True)
class Gazetteer:
    neighbourhoods: tuple[Neighbourhood, ...]  # the municipality's mahalles
    outside: tuple[Neighbourhood, ...]  # places of neighbouring districts (district set)
    entries: tuple[GazetteerEntry, ...]
    index: dict[str, tuple[int, ...]]
    fuzzy_index: dict[str, tuple[int, ...]]
    source: str


def _neighbourhood(r: Any, source: str, district: str | None = None) -> Neighbourhood:
    if isinstance(r, str):
        r = {"name": r}
    if not isinstance(r, dict) or not r.get("name"):
        raise ValueError(f"{source}: every entry needs a name: {r!r}")
    lat, long = r.get("lat"), r.get("long")
    if (lat is None) != (long is None):
        raise ValueError(f"{source}: {r['name']}: lat and long go together")
    if r.get("approximate") and lat is None:
        raise ValueError(f"{source}: {r['name']}: an approximate mahalle (no polygon) needs lat and long")
    return Neighbourhood(
        name=str(r["name"]),
        aliases=tuple(str(a) for a in r.get("aliases") or ()),
        lat=None if lat is None else float(lat),
        long=None if long is None else float(long),
        ambiguous=bool(r.get("ambiguous", False)),
        strict=bool(r.get("strict", False)),
        approximate=bool(r.get("approximate", False)),
        within=r.get("within"),
        old_names=tuple(str(a) for a in r.get("old_names") or ()),
        district=district,
    )


def compile_gazetteer(raw: dict[str, Any], source: str = "<memory>") -> Gazetteer:
    """Mahalles (and neighbouring districts' places) with every written form indexed by its first two letters."""
    nbs = [_neighbourhood(r, source) for r in raw.get("neighbourhoods") or []]
    outside: list[Neighbourhood] = []
    for district, names in (raw.get("outside") or {}).items():
        outside.extend(_neighbourhood(r, source, str(district)) for r in names or [])
    ours = {fold(n.name): n.name for n in nbs}
    if len(ours) != len(nbs):
        raise ValueError(f"{source}: duplicate mahalle name")
    for o in outside:
        if fold(o.name) in ours:
            raise ValueError(f"{source}: {o.name} ({o.district}) is also a mahalle here; the mahalle wins, drop it")
    entries: list[GazetteerEntry] = []
    index: dict[str, list[int]] = {}
    fuzzy_index: dict[str, list[int]] = {}
    for nb in nbs + outside:
        forms = {tuple(words(nb.name))}
        for a in nb.aliases + nb.old_names:
            forms.add(tuple(words(a)))
        forms.add((fold(nb.name).replace(" ", ""),))
        for ws in sorted(forms):
            if not ws or not ws[0]:
                continue
            marker = any(w.startswith("mahalle") for w in ws)
            fuzzy = nb.district is None and not nb.ambiguous and len(ws) == 1 and len(ws[0]) >= 6
            eid = len(entries)
            entries.append(GazetteerEntry(nb, ws, marker, fuzzy))
            index.setdefault(ws[0][:2], []).append(eid)
            if fuzzy:
                fuzzy_index.setdefault(ws[0][:2], []).append(eid)
    return Gazetteer(
        neighbourhoods=tuple(nbs),
        outside=tuple(outside),
        entries=tuple(entries),
        index={k: tuple(v) for k, v in index.items()},
        fuzzy_index={k: tuple(v) for k, v in fuzzy_index.items()},
        source=source,
    )


_LOCK = threading.Lock()
_TAXONOMY: Taxonomy | None = None
_GAZETTEER: Gazetteer | None = None


def taxonomy_path() -> Path:
    return data_files.path("taxonomy", DATA_DIR / "taxonomy.yaml")


def neighbourhoods_path() -> Path:
    return data_files.path("neighbourhoods", DATA_DIR / "neighbourhoods.yaml")


def get_taxonomy() -> Taxonomy:
    global _TAXONOMY
    t = _TAXONOMY
    if t is None:
        with _LOCK:
            if _TAXONOMY is None:
                p = taxonomy_path()
                _TAXONOMY = compile_taxonomy(_read(p), str(p))
            t = _TAXONOMY
    return t


def get_gazetteer() -> Gazetteer:
    global _GAZETTEER
    g = _GAZETTEER
    if g is None:
        with _LOCK:
            if _GAZETTEER is None:
                p = neighbourhoods_path()
                _GAZETTEER = compile_gazetteer(_read(p), str(p))
            g = _GAZETTEER
    return g


def reload() -> None:
    """Forget compiled data; the next call re-reads the files (and the env vars)."""
    global _TAXONOMY, _GAZETTEER
    from . import boundaries

    data_files.refresh()
    with _LOCK:
        _TAXONOMY = None
        _GAZETTEER = None
    boundaries.reload()

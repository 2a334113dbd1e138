"""Result and catalogue types. Frozen dataclasses, not pydantic: importing pydantic costs ~65 ms of cold start
and these objects need no validation beyond what the data loader already does."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from typing import Any

KINDS = ("sikayet", "talep", "oneri", "bilgi", "tesekkur")
PRIORITIES = ("low", "normal", "high", "urgent")


@dataclass(frozen=True, slots=True)
class Category:
    """One taxonomy entry; doubles as an Open311 service definition."""

    code: str
    name_tr: str
    name_en: str
    description_tr: str
    department: str
    institution: str | None
    keywords: tuple[str, ...]
    strong: tuple[str, ...]
    examples: tuple[str, ...]
    sla_hours: int
    priority: str
    default_kind: str
    attributes: tuple[dict[str, Any], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        for k in ("keywords", "strong", "examples", "attributes"):
            d[k] = list(d[k])
        return d


@dataclass(frozen=True, slots=True)
class Neighbourhood:
    """A gazetteer name: a mahalle of the municipality, or (district set) a place of a neighbouring district."""

    name: str
    aliases: tuple[str, ...]
    lat: float | None = None  # only for entries without a polygon; polygons give their own point
    long: float | None = None
    ambiguous: bool = False
    strict: bool = False
    approximate: bool = False  # no polygon: placed approximately (shown as a marked point)
    within: str | None = None  # the polygon an approximate mahalle lies in (coordinates there agree with it)
    old_names: tuple[str, ...] = ()
    district: str | None = None  # None: ours; else the neighbouring district it belongs to ("outside")

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["aliases"] = list(d["aliases"])
        d["old_names"] = list(d["old_names"])
        return d


@dataclass(frozen=True, slots=True)
class Classification:
    """What the router needs to file a request, plus why (explanation) and how sure (confidence)."""

    department: str
    category: str
    neighbourhood: str | None
    kind: str
    confidence: float
    explanation: str
    institution: str | None
    sla_hours: int
    priority: str
    needs_triage: bool
    overrides: tuple[str, ...] = field(default=())
    outside_municipality: bool = False  # text or coordinates place it outside the district ("Talas dışı")
    model_version: str | None = None  # the learned model that decided (None: keyword rules alone)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["overrides"] = list(d["overrides"])
        return d

    def contract(self) -> dict[str, Any]:
        """The `ulakbel classify` CLI contract fields."""
        return {
            "department": self.department,
            "category": self.category,
            "neighbourhood": self.neighbourhood,
            "kind": self.kind,
            "confidence": self.confidence,
            "explanation": self.explanation,
            "triage": self.needs_triage,
            "model_version": self.model_version,
        }

    def with_changes(self, **changes: Any) -> "Classification":
        return replace(self, **changes)


@dataclass(frozen=True, slots=True)
class DuplicatePolicy:
    window_hours: float
    similarity_threshold: float
    same_category: bool = True
    same_neighbourhood: bool = True

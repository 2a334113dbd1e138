"""Turkish understanding and routing for citizen messages (issue 6).

Public API only; every submodule is imported on first call so `import chalicelib.understanding` costs
almost nothing on a Lambda cold start. Domain code: no chalice, no boto3.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from .model import Category, Classification, DuplicatePolicy

__all__ = [
    "classify",
    "taxonomy",
    "category",
    "neighbourhoods",
    "neighbourhood_shapes",
    "district_outline",
    "find_neighbourhood",
    "inside_district",
    "text_similarity",
    "duplicate_policy",
    "apply_overrides",
    "triage_threshold",
    "reload",
]


def classify(
    text: str, address: str | None = None, lat: float | None = None, long: float | None = None
) -> "Classification":
    """Category, department, mahalle, kind, confidence and a one-line explanation for one message."""
    from .classifier import classify as _classify

    return _classify(text, address, lat, long)


def taxonomy() -> list["Category"]:
    """All categories in file order (the Open311 service list)."""
    from .data import get_taxonomy

    return list(get_taxonomy().categories.values())


def category(code: str) -> "Category":
    """One category by code; KeyError if unknown."""
    from .data import get_taxonomy

    return get_taxonomy().categories[code]


def neighbourhoods() -> list[dict[str, Any]]:
    """The municipality's mahalles: name, aliases, old_names, lat, long (a point inside the polygon, or the
    approximate point of a mahalle without one), ambiguous, strict, approximate, within."""
    from .boundaries import get_boundaries
    from .data import get_gazetteer

    b = get_boundaries()
    out = []
    for nb in get_gazetteer().neighbourhoods:
        d = nb.to_dict()
        del d["district"]
        shape = None if nb.approximate else b.mahalle(nb.name)
        if shape is not None:
            d["long"], d["lat"] = shape.label
        out.append(d)
    return out


def neighbourhood_shapes() -> list[dict[str, Any]]:
    """One entry per mahalle for maps: name, rings ([[lon, lat], ...] per ring, simplified), label [lon, lat]
    (an interior point) and approximate (True: no polygon, `rings` is empty and `label` is a rough point)."""
    from .boundaries import get_boundaries
    from .data import get_gazetteer

    b = get_boundaries()
    out = []
    for nb in get_gazetteer().neighbourhoods:
        shape = None if nb.approximate else b.mahalle(nb.name)
        if shape is not None:
            out.append({"name": nb.name, "rings": [[list(p) for p in r] for r in shape.rings],
                        "label": list(shape.label), "approximate": False})
        elif nb.lat is not None and nb.long is not None:
            out.append({"name": nb.name, "rings": [], "label": [nb.long, nb.lat], "approximate": True})
    return out


def district_outline() -> dict[str, Any]:
    """The district outline for maps: name, rings, bbox [min lon, min lat, max lon, max lat], attribution."""
    from .boundaries import get_boundaries

    b = get_boundaries()
    shapes = b.districts or b.mahalles
    rings = [[list(p) for p in r] for s in b.districts for r in s.rings]
    bbox = [min(s.bbox[0] for s in shapes), min(s.bbox[1] for s in shapes),
            max(s.bbox[2] for s in shapes), max(s.bbox[3] for s in shapes)]
    return {"name": b.districts[0].name if b.districts else "", "rings": rings, "bbox": bbox,
            "attribution": b.attribution}


def find_neighbourhood(
    text: str | None = None, address: str | None = None, lat: float | None = None, long: float | None = None
) -> str | None:
    """Canonical mahalle name from text, address or coordinates; None when none is named or located."""
    from .gazetteer import find_neighbourhood as _find

    return _find(text, address, lat, long)


def inside_district(lat: float, long: float) -> bool:
    """Is the point inside the district outline (the shipped boundaries)? False for invalid coordinates."""
    from .gazetteer import inside_district as _inside

    return _inside(lat, long)


def text_similarity(a: str, b: str) -> float:
    """0..1 similarity for duplicate clustering."""
    from .classifier import text_similarity as _sim

    return _sim(a, b)


def duplicate_policy() -> "DuplicatePolicy":
    """Window (hours) and similarity threshold for linking a new request to an open one."""
    from .data import get_taxonomy

    return get_taxonomy().duplicates


def triage_threshold() -> float:
    """The learned model's threshold (chosen on the frozen split); the taxonomy's for the rules alone."""
    from .data import get_taxonomy
    from .learned import get_model

    model = get_model()
    tax = get_taxonomy()
    return max(model.triage_threshold, tax.triage_threshold) if model is not None else tax.triage_threshold


def apply_overrides(classification: "Classification", text: str, neighbourhood: str | None) -> "Classification":
    """Re-apply the data-defined routing rules (classify() already does this)."""
    from .classifier import apply_overrides as _apply

    return _apply(classification, text, neighbourhood)


def reload() -> None:
    """Drop cached data so the next call re-reads the files and env vars."""
    from .data import reload as _reload

    _reload()

"""Turkish understanding and routing for citizen messages (issue 6).

Public API only; every submodule is imported on first call so `import chalicelib.routing` costs
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
    "find_neighbourhood",
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
    """Gazetteer entries: name, aliases, lat, long (+ radius_km, verified, ambiguous, strict)."""
    from .data import get_gazetteer

    return [nb.to_dict() for nb in get_gazetteer().neighbourhoods]


def find_neighbourhood(
    text: str | None = None, address: str | None = None, lat: float | None = None, long: float | None = None
) -> str | None:
    """Canonical mahalle name from text, address or coordinates; None when none is named or near."""
    from .gazetteer import find_neighbourhood as _find

    return _find(text, address, lat, long)


def text_similarity(a: str, b: str) -> float:
    """0..1 similarity for duplicate clustering."""
    from .classifier import text_similarity as _sim

    return _sim(a, b)


def duplicate_policy() -> "DuplicatePolicy":
    """Window (hours) and similarity threshold for linking a new request to an open one."""
    from .data import get_taxonomy

    return get_taxonomy().duplicates


def triage_threshold() -> float:
    from .data import get_taxonomy

    return get_taxonomy().triage_threshold


def apply_overrides(classification: "Classification", text: str, neighbourhood: str | None) -> "Classification":
    """Re-apply the data-defined routing rules (classify() already does this)."""
    from .classifier import apply_overrides as _apply

    return _apply(classification, text, neighbourhood)


def reload() -> None:
    """Drop cached data so the next call re-reads the files and env vars."""
    from .data import reload as _reload

    _reload()

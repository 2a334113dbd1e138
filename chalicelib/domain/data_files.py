"""Where the municipality's data files are: in the municipality's folder (municipalities/<name>/, chosen by
ULAKBEL_MUNICIPALITY), or single replacements the settings name (ULAKBEL_DEPARTMENTS_FILE,
ULAKBEL_CALENDAR_FILE, ULAKBEL_TEMPLATES_FILE, ULAKBEL_TAXONOMY_FILE, ULAKBEL_NEIGHBOURHOODS_FILE,
ULAKBEL_BOUNDARIES_FILE, and ULAKBEL_MODEL_FILE for the trained classifier, which ships beside the code) for one file.

The loaders (domain, routing, understanding, the notification templates, the console's data) may not import
the settings; the composition root (chalicelib/container.py) provides the settings' choice here when it is
imported, so the one settings model stays the only reader of the environment. Without a provider the
default folder applies (the name written in municipalities/DEFAULT).

The folder sits beside chalicelib/ both in a checkout and in the Lambda package (Chalice copies vendor/
into the package root, and vendor/municipalities links to ../municipalities).
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Mapping

ROOT = Path(__file__).resolve().parents[2]
MUNICIPALITIES = ROOT / "municipalities"
DEFAULT_MARKER = MUNICIPALITIES / "DEFAULT"  # one line: the folder used when ULAKBEL_MUNICIPALITY is unset

# Every file of a municipality's folder, by the name the loaders ask for.
FILES: dict[str, str] = {
    "identity": "municipality.yaml",
    "departments": "departments.json",
    "calendar": "calendar.yaml",
    "templates": "notifications.yaml",
    "taxonomy": "taxonomy.yaml",
    "neighbourhoods": "neighbourhoods.yaml",
    "boundaries": "boundaries.geojson",
    "canned_replies": "canned_replies.yaml",
    "staff": "staff.yaml",
    "institutions": "institutions.yaml",
}
# Optional files: a municipality may leave them out.
OPTIONAL: dict[str, str] = {
    "demo": "demo.yaml",  # `ulakbel dev --seed-demo`'s hand-written messages of today (default: Talas's, in code)
}
# Files a single setting can replace (the rest come only from the folder).
NAMES = ("departments", "calendar", "templates", "taxonomy", "neighbourhoods", "boundaries", "model")

_source: Callable[[], Mapping[str, str]] | None = None
_refresh: Callable[[], None] | None = None
_folder: Callable[[], Path] | None = None
_owner: Callable[[], object] | None = None
_resolved: tuple[object, dict[str, Path]] = (None, {})  # (the owner's answer, paths resolved under it)


def provide(source: Callable[[], Mapping[str, str]], refresh: Callable[[], None] | None = None,
            folder: Callable[[], Path] | None = None, owner: Callable[[], object] | None = None) -> None:
    """`owner`: returns the object the answers depend on (the parsed settings); while it is the same object,
    resolved paths are reused (loaders ask on every use: routing asks for the departments many times)."""
    global _source, _refresh, _folder, _owner, _resolved
    _source, _refresh, _folder, _owner, _resolved = source, refresh, folder, owner, (None, {})


def default_name() -> str:
    return DEFAULT_MARKER.read_text(encoding="utf-8").strip()


def resolve_folder(selector: str | None) -> Path:
    """The folder ULAKBEL_MUNICIPALITY names: a folder name under municipalities/, or an absolute path.
    Raises ValueError (Turkish first) when it is neither or does not exist."""
    chosen = (selector or "").strip() or default_name()
    candidate = Path(chosen)
    if not candidate.is_absolute():
        if candidate.name != chosen or chosen in (".", ".."):
            raise ValueError(f"ULAKBEL_MUNICIPALITY={chosen!r}: municipalities/ altında bir klasör adı ya da mutlak "
                             f"yol olmalı / must be a folder name under municipalities/ or an absolute path")
        candidate = MUNICIPALITIES / chosen
    if not candidate.is_dir():
        known = ", ".join(sorted(p.name for p in MUNICIPALITIES.iterdir() if p.is_dir())) \
            if MUNICIPALITIES.is_dir() else "-"
        raise ValueError(f"ULAKBEL_MUNICIPALITY={chosen!r}: belediye klasörü bulunamadı ({candidate}) / "
                         f"municipality folder not found; known: {known}")
    return candidate


def default_folder() -> Path:
    return MUNICIPALITIES / default_name()


def folder() -> Path:
    """The selected municipality's folder (the settings' choice, else the default)."""
    return _folder() if _folder is not None else default_folder()


def path(name: str, default: Path | str | None = None) -> Path:
    """The file to load for `name` (a key of FILES): the settings' replacement, else the selected
    municipality's file. `default` is only used for names outside FILES."""
    global _resolved
    owner = _owner() if _owner is not None else None
    if owner is not None:
        seen, paths = _resolved
        if seen is not owner:
            paths = {}
            _resolved = (owner, paths)
        found = paths.get(name)
        if found is None:
            found = paths[name] = _path(name, default)
        return found
    return _path(name, default)


def _path(name: str, default: Path | str | None) -> Path:
    chosen = _source().get(name) if _source is not None and name in NAMES else None
    if chosen:
        return Path(chosen)
    if name in FILES:
        return folder() / FILES[name]
    if name in OPTIONAL:
        return folder() / OPTIONAL[name]
    if default is None:
        raise KeyError(name)
    return Path(default)


def refresh() -> None:
    """Read the settings again: the environment changed (tests, an operator pointing at new files)."""
    if _refresh is not None:
        _refresh()

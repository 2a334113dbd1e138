"""Where the municipality's data files are: beside the code by default, or the replacements the settings
name (ULAKBEL_DEPARTMENTS_FILE, ULAKBEL_CALENDAR_FILE, ULAKBEL_TEMPLATES_FILE, ULAKBEL_TAXONOMY_FILE,
ULAKBEL_NEIGHBOURHOODS_FILE, ULAKBEL_BOUNDARIES_FILE).

The loaders (domain, routing, understanding, the notification templates) may not import the settings; the
composition root (chalicelib/container.py) provides the settings' paths here when it is imported, so the one
settings model stays the only reader of the environment. Without a provider the defaults apply.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Mapping

NAMES = ("departments", "calendar", "templates", "taxonomy", "neighbourhoods", "boundaries")

_source: Callable[[], Mapping[str, str]] | None = None
_refresh: Callable[[], None] | None = None


def provide(source: Callable[[], Mapping[str, str]], refresh: Callable[[], None] | None = None) -> None:
    global _source, _refresh
    _source, _refresh = source, refresh


def path(name: str, default: Path | str) -> Path:
    """The file to load for `name` (one of NAMES): the settings' replacement, else `default`."""
    chosen = _source().get(name) if _source is not None else None
    return Path(chosen or default)


def refresh() -> None:
    """Read the settings again: the environment changed (tests, an operator pointing at new files)."""
    if _refresh is not None:
        _refresh()

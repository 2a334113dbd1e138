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
from pathlib import Path
from typing import Any

from ..domain import data_files
from .gazetteer_file import Gazetteer, GazetteerEntry, compile_gazetteer  # noqa: F401  (re-exported)
from .matcher import Matcher, Pattern, score  # noqa: F401  (re-exported)
from .taxonomy_file import DATATYPES, KindRules, Override, Taxonomy, compile_taxonomy  # noqa: F401

DATA_DIR = Path(__file__).resolve().parent / "data"
TAXONOMY_ENV = "ULAKBEL_TAXONOMY_FILE"
NEIGHBOURHOODS_ENV = "ULAKBEL_NEIGHBOURHOODS_FILE"


def _read(path: Path) -> Any:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        return json.loads(text)
    import yaml  # lazy: ~20 ms import

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(text, Loader=loader)  # noqa: S506 - SafeLoader variant


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

"""Loading and compiling the editable data files (taxonomy, gazetteer, departments).

Why compiled once: keywords are folded, split into words and indexed by their first two letters at load
time, so classifying a message is a few dict look-ups per word. Loading happens on first use and is cached;
`reload()` drops the cache (tests, or after staff edit the files). The files are the selected municipality's
(municipalities/<name>/, ULAKBEL_MUNICIPALITY; domain/data_files.py); ULAKBEL_TAXONOMY_FILE and
ULAKBEL_NEIGHBOURHOODS_FILE replace one file (YAML or JSON), ULAKBEL_BOUNDARIES_FILE the mahalle polygons.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..domain import data_files
from .loaded import LoadedOnce
from .gazetteer_file import Gazetteer, GazetteerEntry, compile_gazetteer  # noqa: F401  (re-exported)
from .matcher import Matcher, Pattern, score  # noqa: F401  (re-exported)
from .taxonomy_file import DATATYPES, KindRules, Override, Taxonomy, compile_taxonomy  # noqa: F401

DATA_DIR = data_files.default_folder()  # the default municipality's folder (tests read the shipped files)
TAXONOMY_ENV = "ULAKBEL_TAXONOMY_FILE"
NEIGHBOURHOODS_ENV = "ULAKBEL_NEIGHBOURHOODS_FILE"


def _read(path: Path) -> Any:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        return json.loads(text)
    import yaml  # lazy: ~20 ms import

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(text, Loader=loader)  # noqa: S506 - SafeLoader variant


def taxonomy_path() -> Path:
    return data_files.path("taxonomy")


def neighbourhoods_path() -> Path:
    return data_files.path("neighbourhoods")


def _compile(path: Path, compile: Any) -> Any:
    return compile(_read(path), str(path))


_TAXONOMY: LoadedOnce[Taxonomy] = LoadedOnce(lambda: _compile(taxonomy_path(), compile_taxonomy))
_GAZETTEER: LoadedOnce[Gazetteer] = LoadedOnce(lambda: _compile(neighbourhoods_path(), compile_gazetteer))


def get_taxonomy() -> Taxonomy:
    return _TAXONOMY.get()


def get_gazetteer() -> Gazetteer:
    return _GAZETTEER.get()


def reload() -> None:
    """Forget compiled data; the next call re-reads the files (and the env vars)."""
    from . import boundaries

    data_files.refresh()
    _TAXONOMY.reset()
    _GAZETTEER.reset()
    boundaries.reload()
    from .model_cache import reset_model

    reset_model()

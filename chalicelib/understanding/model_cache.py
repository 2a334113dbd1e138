"""The loaded learned model, held apart from learned.py so that `data.reload()` can drop it without importing
the model code (and without an import circle)."""
from __future__ import annotations

LOADED: list = []  # empty: not loaded yet; [model] or [None] (no model file) once loaded


def reset_model() -> None:
    LOADED.clear()

"""The string catalogue (web/strings.yaml): every console and public-page label, Turkish first, English
second, in one data file instead of "tr / en" pairs repeated in templates and code."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

FILE = Path(__file__).resolve().parent / "strings.yaml"


@lru_cache(maxsize=1)
def catalogue() -> dict[str, dict[str, str]]:
    import yaml

    raw = yaml.safe_load(FILE.read_text(encoding="utf-8")) or {}
    return {str(k): {"tr": str(v["tr"]), "en": str(v.get("en") or v["tr"])} for k, v in raw.items()}


def tr(key: str) -> str:
    return catalogue()[key]["tr"]


def en(key: str) -> str:
    return catalogue()[key]["en"]


def both(key: str) -> str:
    """'Türkçe / English' (one string where markup cannot go: option labels, titles, flashes)."""
    entry = catalogue()[key]
    return entry["tr"] if entry["tr"] == entry["en"] else f"{entry['tr']} / {entry['en']}"


def group(prefix: str) -> dict[str, str]:
    """code → 'tr / en' of every key under `prefix.` (channels, statuses, kinds)."""
    return {k[len(prefix) + 1:]: both(k) for k in catalogue() if k.startswith(prefix + ".")}


def t(key: str):
    """Turkish, with the English in a <small> (escaped)."""
    from markupsafe import Markup, escape

    entry = catalogue()[key]
    if entry["tr"] == entry["en"]:
        return escape(entry["tr"])
    return Markup(f"{escape(entry['tr'])} <small lang=\"en\">{escape(entry['en'])}</small>")

"""The string catalogue (domain/strings.yaml): every user-facing text of the console, the analytics pages, /seffaf
and the citizens' app, Turkish first and English second, in one data file instead of "tr / en" pairs repeated
in templates, handlers and scripts. One lookup (`text`) under three presentations here: `both` ("Türkçe / English", where markup cannot go), `tr` and `en`.

Texts may hold placeholders ({municipality}, {municipality_en}, {town}, {province}, {privacy_email},
{page_title} from the selected municipality's municipality.yaml, or values the caller passes): the
municipality's name is never written into a text.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

FILE = Path(__file__).resolve().parent / "strings.yaml"
LANGS = ("tr", "en")


@lru_cache(maxsize=1)
def catalogue() -> dict[str, dict[str, str]]:
    """key → {"tr", "en"}; a key without both languages is an error at load (and in tests), never a fallback."""
    import yaml

    raw = yaml.safe_load(FILE.read_text(encoding="utf-8")) or {}
    out: dict[str, dict[str, str]] = {}
    for key, entry in raw.items():
        if not isinstance(entry, dict) or any(not isinstance(entry.get(lang), str) or not entry[lang].strip()
                                              for lang in LANGS):
            raise ValueError(f"strings.yaml: {key!r} needs a non-empty 'tr' and 'en'")
        out[str(key)] = {lang: entry[lang] for lang in LANGS}
    return out


def municipality_values() -> dict[str, str]:
    """{municipality}, {municipality_en}, {town}, {province}, {privacy_email}, {page_title}, {page_title_en}:
    from the selected municipality's municipality.yaml (domain/identity.py), so no text names a town."""
    from .identity import identity

    who = identity()
    return {"municipality": who.name, "municipality_en": who.display_name.en, "town": who.district,
            "province": who.province, "privacy_email": who.contact.kvkk_email, "page_title": who.page_title.tr,
            "page_title_en": who.page_title.en}


class _Values(dict):
    def __missing__(self, key: str) -> str:  # a placeholder nobody fills stays visible, it does not crash a page
        return "{" + key + "}"


def text(key: str, lang: str, **values: Any) -> str:
    """The one lookup: the catalogue text of `key` in `lang`, placeholders filled."""
    raw = catalogue()[key][lang]
    if "{" not in raw:
        return raw
    return raw.format_map(_Values({**municipality_values(), **values}))


def tr(key: str, **values: Any) -> str:
    return text(key, "tr", **values)


def en(key: str, **values: Any) -> str:
    return text(key, "en", **values)


def both(key: str, **values: Any) -> str:
    """'Türkçe / English' (one string where markup cannot go: option labels, titles, attributes, flashes)."""
    a, b = tr(key, **values), en(key, **values)
    return a if a == b else f"{a} / {b}"


def group(prefix: str) -> dict[str, str]:
    """code → 'tr / en' of every key under `prefix.` (channels, statuses, kinds)."""
    return {k[len(prefix) + 1:]: both(k) for k in catalogue() if k.startswith(prefix + ".")}


def for_script(prefix: str) -> dict[str, str]:
    """The texts a page script shows (key without `prefix.` → 'tr / en'), handed to it as JSON data."""
    return group(prefix)

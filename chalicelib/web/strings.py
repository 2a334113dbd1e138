"""The string catalogue for pages: the lookups of domain/texts.py (the one catalogue, domain/strings.yaml, which
use cases read too) plus `t`, the presentation with markup: Turkish, with the English in a <small lang="en">."""
from __future__ import annotations

from typing import Any

from ..domain.texts import FILE, LANGS, both, catalogue, en, for_script, group, municipality_values, text, tr

__all__ = ["FILE", "LANGS", "both", "catalogue", "en", "for_script", "group", "municipality_values", "t", "text",
           "tr"]


def t(key: str, **values: Any):
    """Turkish, with the English in a <small lang="en"> (both escaped)."""
    from markupsafe import Markup, escape

    a, b = tr(key, **values), en(key, **values)
    if a == b:
        return escape(a)
    return Markup(f"{escape(a)} <small lang=\"en\">{escape(b)}</small>")

"""Neighbourhood (mahalle) detection from text, address or coordinates.

Why conservative: a wrong mahalle corrupts the mayor's "which neighbourhood needs what" statistics more
than a missing one, so names that are also ordinary words ("han", "harman", "Cumhuriyet Caddesi") need
context, and coordinates only count within a centroid's radius. Null is the right answer when unsure.
"""

from __future__ import annotations

import math

from .data import Gazetteer, GazetteerEntry, get_gazetteer
from .text import LOCATIVE_SUFFIXES, Token, is_suffix, tokenize

# Words after a name that make it a street, event or institution rather than the mahalle.
_STREET_PREFIXES = ("cad", "cd", "sok", "sk", "bulv", "blv", "bayram", "univ", "lise", "ilkokul", "ortaokul")
# Words after a capitalised ambiguous name that still point at the place ("Mevlana meydanında").
_PLACE_FOLLOWERS = ("meydan", "park", "hatt", "cami", "muhtar", "sakin", "halk", "civar", "taraf", "bolge", "semt")


def _is_marker(tok: Token | None) -> bool:
    return tok is not None and (tok.norm.startswith("mah") or tok.norm in ("mh", "mhl"))


def _match_entry(entry: GazetteerEntry, tokens: list[Token], i: int) -> bool:
    ws = entry.words
    L = len(ws)
    if i + L > len(tokens):
        return False
    for j in range(L - 1):
        if tokens[i + j].norm != ws[j]:
            return False
    last = tokens[i + L - 1]
    w = ws[-1]
    if last.apostrophe:
        return last.base == w
    return last.norm.startswith(w) and is_suffix(last.norm[len(w) :])


def _fuzzy_entry(entry: GazetteerEntry, tok: Token) -> bool:
    """One typo in a distinctive name ("zincderede", "Sakaltuttan"), followed only by suffixes."""
    from rapidfuzz.distance import Levenshtein  # lazy import

    name = entry.words[0]
    word = tok.base if tok.apostrophe else tok.norm
    max_d = 1 if len(name) < 9 else 2
    for cut in (len(name) - 1, len(name), len(name) + 1):
        if cut > len(word) or cut < 4:
            continue
        if Levenshtein.distance(word[:cut], name, score_cutoff=max_d) <= max_d and is_suffix(word[cut:]):
            return True
    return False


def _accept(entry: GazetteerEntry, tokens: list[Token], i: int, address: bool) -> tuple[bool, bool]:
    """(accepted, has_marker) for a matched name at tokens[i:...] given ambiguity rules."""
    nb = entry.neighbourhood
    end = i + len(entry.words)
    last = tokens[end - 1]
    nxt = tokens[end] if end < len(tokens) else None
    marker = entry.marker_in_name or _is_marker(nxt)
    if marker:
        return True, True
    street = nxt is not None and nxt.norm.startswith(_STREET_PREFIXES)
    if nb.strict:
        return False, False
    if not nb.ambiguous:
        return True, False
    if street:
        return False, False
    if last.apostrophe and last.suffix in LOCATIVE_SUFFIXES:
        return True, False
    if address or end == len(tokens):
        # Structured address, or a sign-off at the very end of the message ("... gelmiyor? mevlana").
        return True, False
    if last.capitalised and not last.apostrophe:
        if last.clause_end or (nxt is not None and nxt.norm.startswith(_PLACE_FOLLOWERS)):
            return True, False
    return False, False


def _from_tokens(g: Gazetteer, tokens: list[Token], address: bool) -> tuple[str, str] | None:
    """(canonical name, surface words) of the best mention, preferring ones with a mahalle marker."""
    best: tuple[int, int, str, str] | None = None  # (rank, position, name, surface)
    for i, tok in enumerate(tokens):
        key = tok.norm[:2]
        for eid in g.index.get(key, ()):
            e = g.entries[eid]
            if not _match_entry(e, tokens, i):
                continue
            ok, marker = _accept(e, tokens, i, address)
            if ok:
                rank = 0 if marker else 1
                surface = " ".join(t.raw for t in tokens[i : i + len(e.words)])
                if best is None or (rank, i) < best[:2]:
                    best = (rank, i, e.neighbourhood.name, surface)
    if best is not None:
        return best[2], best[3]
    # Second pass: one typo, distinctive names only.
    for i, tok in enumerate(tokens):
        if len(tok.norm) < 5:
            continue
        for eid in g.fuzzy_index.get(tok.norm[:2], ()):
            e = g.entries[eid]
            if _fuzzy_entry(e, tok):
                return e.neighbourhood.name, tok.raw
    return None


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    r = 6371.0088
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


def from_point(lat: float | None, long: float | None, g: Gazetteer | None = None) -> str | None:
    """Nearest centroid within its radius; None outside Talas or for invalid coordinates."""
    try:
        la, lo = float(lat), float(long)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    if not (-90 <= la <= 90 and -180 <= lo <= 180) or math.isnan(la) or math.isnan(lo):
        return None
    g = g or get_gazetteer()
    best_name, best_d = None, float("inf")
    for nb in g.neighbourhoods:
        d = haversine_km(la, lo, nb.lat, nb.long)
        if d <= nb.radius_km and d < best_d:
            best_name, best_d = nb.name, d
    return best_name


def locate(
    text: str | None = None,
    address: str | None = None,
    lat: float | None = None,
    long: float | None = None,
    tokens: list[Token] | None = None,
) -> tuple[str | None, str]:
    """(neighbourhood or None, how it was found). Address beats text beats coordinates."""
    g = get_gazetteer()
    if address:
        hit = _from_tokens(g, tokenize(address), address=True)
        if hit:
            return hit[0], f'adres "{hit[1]}"'
    if text or tokens:
        hit = _from_tokens(g, tokens if tokens is not None else tokenize(text or ""), address=False)
        if hit:
            return hit[0], f'metin "{hit[1]}"'
    if lat is not None and long is not None:
        name = from_point(lat, long, g)
        if name:
            return name, "konum"
    return None, ""


def find_neighbourhood(
    text: str | None = None, address: str | None = None, lat: float | None = None, long: float | None = None
) -> str | None:
    """Canonical mahalle name (Turkish letters) or None when none is named or located."""
    return locate(text, address, lat, long)[0]

"""Neighbourhood (mahalle) detection from text, address or coordinates.

Why conservative: a wrong mahalle corrupts the mayor's "which neighbourhood needs what" statistics more
than a missing one, so names that are also ordinary words ("han", "harman", "Cumhuriyet Caddesi") need
context. Coordinates decide by point-in-polygon against the shipped boundaries; a point outside the district
outline, or a text that names a place of a neighbouring district (Gesi, Hunat, Erkilet...) and no mahalle of
ours, is "outside" rather than forced onto the nearest mahalle. Null is the right answer when unsure.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .data import Gazetteer, GazetteerEntry, get_gazetteer
from .text import LOCATIVE_SUFFIXES, Token, fold, is_suffix, tokenize, tr_lower

# "In/at X" only: a place of a neighbouring district named with a dative or ablative ("Erkilet'e otobüs",
# "Gesi'den gelen yol") is usually a destination, not where the problem is.
_IN_SUFFIXES = frozenset("de da te ta deki daki teki taki nde nda ndeki ndaki".split())
# A mahalle that disagrees with the coordinates is still the best guess, but a less certain one.
CONFLICT_FACTOR = 0.75

# Words after a name that make it a street, event or institution rather than the mahalle.
_STREET_PREFIXES = ("cad", "cd", "sok", "sk", "bulv", "blv", "bayram", "univ", "lise", "ilkokul", "ortaokul")
# Words after a capitalised ambiguous name that still point at the place ("Mevlana meydanında").
_PLACE_FOLLOWERS = (
    "meydan", "park", "hatt", "cami", "muhtar", "sakin", "halk", "civar", "taraf", "bolge", "semt",
    "yol", "kavsa", "ayrim", "giris", "cikis", "okul", "carsi",
)
_KOY_FOLDED = frozenset("koyune koyunde koyunden koyundeki koyumuze koyumuzde koyumuzden".split())
# "From X" in lower case names where the writer is ("harmandan yazıyorum", "kepezden şehre son araç").
_FROM_SUFFIXES = frozenset("den dan ten tan nden ndan".split())
# A locative written as a separate word after the name, as in SMS ("harman da su yok", "kepez deki ev").
_DETACHED_LOCATIVES = frozenset("de da te ta deki daki teki taki".split())


def _is_marker(tok: Token | None) -> bool:
    """"mahalle/mah./mh." after a name, or "köyü/köyünde" (most mahalles here were villages until 2014;
    written with the ö only, since folded "koyu/koyun" are also "dark" and "sheep")."""
    if tok is None:
        return False
    if tok.norm.startswith("mah") or tok.norm in ("mh", "mhl"):
        return True
    raw = tr_lower(tok.raw)
    if raw.startswith("köy") and is_suffix(tok.norm[3:]):
        return True
    # Without diacritics only the front-vowel endings are unambiguous: "koyunde" can only be "köyünde"
    # ("in the sheep" would be "koyunda"), while "koyu/koyun" are also "dark" and "sheep".
    return tok.norm in _KOY_FOLDED


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
    # Two typos only in a capitalised (name-like) word: "zincirleri" (chains) is two edits from "Zincirdere".
    max_d = 2 if len(name) >= 9 and tok.capitalised else 1
    for cut in (len(name) - 1, len(name), len(name) + 1):
        if cut > len(word) or cut < 4:
            continue
        if Levenshtein.distance(word[:cut], name, score_cutoff=max_d) <= max_d and is_suffix(word[cut:]):
            return True
    return False


def _glued_suffix(entry: GazetteerEntry, last: Token) -> str:
    """The case ending written without an apostrophe ("Harmandan" -> "dan"), else ''."""
    return "" if last.apostrophe else last.norm[len(entry.words[-1]) :]


def _accept_outside(entry: GazetteerEntry, tokens: list[Token], i: int, address: bool) -> bool:
    """A neighbouring district's place counts only when the text says the problem is there."""
    nb = entry.neighbourhood
    end = i + len(entry.words)
    last = tokens[end - 1]
    nxt = tokens[end] if end < len(tokens) else None
    if entry.marker_in_name or _is_marker(nxt):
        return True
    if nb.strict:
        return False
    if nxt is not None and nxt.norm.startswith(_STREET_PREFIXES):
        return False
    if address:
        return True
    if last.apostrophe:
        return last.suffix in _IN_SUFFIXES
    if not nb.ambiguous and _glued_suffix(entry, last) in _IN_SUFFIXES:
        return True
    # A sign-off at the very end ("... su yok. Gesi").
    return end == len(tokens) and last.capitalised and _glued_suffix(entry, last) == ""


def _accept(entry: GazetteerEntry, tokens: list[Token], i: int, address: bool) -> tuple[bool, bool]:
    """(accepted, has_marker) for a matched name at tokens[i:...] given ambiguity rules."""
    nb = entry.neighbourhood
    if nb.district is not None:
        return _accept_outside(entry, tokens, i, address), False
    end = i + len(entry.words)
    last = tokens[end - 1]
    nxt = tokens[end] if end < len(tokens) else None
    marker = entry.marker_in_name or _is_marker(nxt)
    if marker:
        return True, True
    suffix = last.suffix if last.apostrophe else _glued_suffix(entry, last)
    # "Mevlana Sokak" is a street; "Mevlana'daki sokak" is a street in Mevlana.
    street = not suffix and nxt is not None and nxt.norm.startswith(_STREET_PREFIXES)
    if nb.strict and len(entry.words) == 1:  # "Yukarı" needs a marker; "Yukarı Talas" is a name
        return False, False
    if not nb.ambiguous:
        return True, False
    if street:
        return False, False
    if last.apostrophe and last.suffix in LOCATIVE_SUFFIXES:
        return True, False
    if last.capitalised and suffix in LOCATIVE_SUFFIXES:
        return True, False  # "Harmandan", "Kepezde": a capitalised name with a case ending is a place
    if suffix in _IN_SUFFIXES or (suffix in _FROM_SUFFIXES and len(entry.words[-1]) >= 5):
        return True, False  # "harmanda su yok", "kepezdeki ev": "in X" names the place, whatever the case
    if not suffix and nxt is not None and nxt.norm in _DETACHED_LOCATIVES:
        return True, False
    if address or (end == len(tokens) and not suffix):
        # Structured address, or a sign-off at the very end of the message ("... gelmiyor? mevlana"); with a
        # non-locative ending it is a word, not the place ("... Tuba Hanım" is not Han).
        return True, False
    if not last.apostrophe and not suffix:
        if nxt is not None and nxt.norm.startswith(_PLACE_FOLLOWERS) and (last.capitalised or nxt.norm[:6] != "meydan"):
            return True, False  # "Mevlana meydanında", "harman muhtarlığı", "kepez camii"
        if last.capitalised and last.clause_end:
            return True, False
    return False, False


@dataclass(frozen=True, slots=True)
class Mention:
    name: str
    surface: str
    district: str | None  # None: one of our mahalles; else the neighbouring district


_CANDIDATES: list = []  # [gazetteer, {word: entry ids whose first word starts it}]


def _candidates(g: Gazetteer) -> dict[str, tuple[int, ...]]:
    if not _CANDIDATES or _CANDIDATES[0] is not g:
        _CANDIDATES[:] = [g, {}]
    return _CANDIDATES[1]


def _starting(g: Gazetteer, cands: dict, norm: str) -> tuple[int, ...]:
    """Entries that can match at a word: its first word must begin the word (`_match_entry` needs equality, a
    prefix followed by suffixes, or the base before an apostrophe). Memoised per word."""
    eids = tuple(eid for eid in g.index.get(norm[:2], ()) if norm.startswith(g.entries[eid].words[0]))
    if len(cands) >= 50_000:
        cands.clear()
    cands[norm] = eids
    return eids


def _from_tokens(g: Gazetteer, tokens: list[Token], address: bool) -> tuple[Mention | None, Mention | None]:
    """(best mention of our mahalles, best mention of a neighbouring district's place), markers first."""
    best: tuple[int, int, Mention] | None = None
    best_out: tuple[int, int, Mention] | None = None
    cands = _candidates(g)
    for i, tok in enumerate(tokens):
        eids = cands.get(tok.norm)
        if eids is None:
            eids = _starting(g, cands, tok.norm)
        for eid in eids:
            e = g.entries[eid]
            if not _match_entry(e, tokens, i):
                continue
            ok, marker = _accept(e, tokens, i, address)
            if not ok:
                continue
            rank = 0 if marker else 1
            nb = e.neighbourhood
            m = Mention(nb.name, " ".join(t.raw for t in tokens[i : i + len(e.words)]), nb.district)
            if nb.district is None:
                if best is None or (rank, i) < best[:2]:
                    best = (rank, i, m)
            elif best_out is None or (rank, i) < best_out[:2]:
                best_out = (rank, i, m)
    ours = best[2] if best else None
    theirs = best_out[2] if best_out else None
    if ours is None:
        # Second pass: one typo, distinctive names of ours only.
        for tok in tokens:
            if len(tok.norm) < 5:
                continue
            for eid in g.fuzzy_index.get(tok.norm[:2], ()):
                e = g.entries[eid]
                if _fuzzy_entry(e, tok):
                    return Mention(e.neighbourhood.name, tok.raw, None), theirs
    return ours, theirs


def valid_point(lat: object, long: object) -> tuple[float, float] | None:
    """(lat, long) as floats, or None for missing, unparsable, out-of-range or (0, 0) ("no fix") coordinates."""
    if lat is None or long is None or isinstance(lat, bool) or isinstance(long, bool):
        return None
    try:
        la, lo = float(lat), float(long)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    if math.isnan(la) or math.isnan(lo) or not (-90 <= la <= 90 and -180 <= lo <= 180) or (la == 0 and lo == 0):
        return None
    return la, lo


@dataclass(frozen=True, slots=True)
class PointResult:
    inside: bool
    mahalle: str | None  # a gazetteer name, or None (outside, or a polygon the gazetteer does not list)


def point_fix(lat: object, long: object) -> PointResult | None:
    """Point-in-polygon against the shipped boundaries; None for invalid coordinates."""
    p = valid_point(lat, long)
    if p is None:
        return None
    from .boundaries import get_boundaries

    fix = get_boundaries().locate(*p)
    names = {nb.name for nb in get_gazetteer().neighbourhoods}
    return PointResult(fix.inside, fix.mahalle if fix.mahalle in names else None)


def inside_district(lat: float, long: float) -> bool:
    """True when the point is inside the district outline (False also for invalid coordinates)."""
    fix = point_fix(lat, long)
    return bool(fix and fix.inside)


def district_name() -> str:
    from .boundaries import get_boundaries

    b = get_boundaries()
    return b.districts[0].name if b.districts else "ilçe"


@dataclass(frozen=True, slots=True)
class Place:
    """Where a message is about: our mahalle (or None), whether it is outside the district, and why."""

    neighbourhood: str | None
    why: str
    outside: bool = False
    conflict: str | None = None  # text and coordinates disagree: shown to staff, lowers confidence


def _agrees(g: Gazetteer, name: str, polygon: str | None) -> bool:
    if polygon is None or polygon == name:
        return True
    nb = next((n for n in g.neighbourhoods if n.name == name), None)
    return nb is not None and nb.approximate and nb.within == polygon


def resolve(
    text: str | None = None,
    address: str | None = None,
    lat: float | None = None,
    long: float | None = None,
    tokens: list[Token] | None = None,
) -> Place:
    """A named mahalle of ours beats the coordinates (which then only confirm or contradict it); coordinates
    beat a named place of a neighbouring district; with neither, the point's polygon or "outside"."""
    g = get_gazetteer()
    ours: Mention | None = None
    theirs: Mention | None = None
    source = ""
    if address:
        atoks = tokenize(address)
        a_ours, a_theirs = _from_tokens(g, atoks, address=True)
        home_word = fold(district_name())
        says_us = any(t.norm == home_word for t in atoks)  # "..., Talas/Kayseri" settles a shared name
        if a_theirs is not None and a_theirs.name == a_theirs.district and not says_us:
            theirs, source = a_theirs, "adres"  # "... Melikgazi/Kayseri": the district is named
        elif a_ours is not None:
            ours, source = a_ours, "adres"
        elif a_theirs is not None:
            theirs, source = a_theirs, "adres"
    if ours is None and theirs is None and (text or tokens):
        t_ours, t_theirs = _from_tokens(g, tokens if tokens is not None else tokenize(text or ""), address=False)
        if t_ours is not None:
            ours, source = t_ours, "metin"
        elif t_theirs is not None:
            theirs, source = t_theirs, "metin"
    fix = point_fix(lat, long)
    home = district_name() if fix is not None or theirs is not None else ""
    if ours is not None:
        why = f'{source} "{ours.surface}"'
        if fix is None:
            return Place(ours.name, why)
        if not fix.inside:
            return Place(ours.name, why, conflict=f"konum {home} sınırları dışında, {source} {ours.name} diyor")
        if _agrees(g, ours.name, fix.mahalle):
            return Place(ours.name, why + " + konum")
        return Place(ours.name, why, conflict=f"konum {fix.mahalle} sınırları içinde, {source} {ours.name} diyor")
    if fix is not None and fix.inside:
        conflict = None
        if theirs is not None:
            conflict = f'{source} {home} dışını anıyor ("{theirs.surface}", {theirs.district}), konum {home} içinde'
        if fix.mahalle is None:
            return Place(None, "", conflict=conflict)
        return Place(fix.mahalle, "konum", conflict=conflict)
    if theirs is not None:
        return Place(None, f'{home} dışı ← {source} "{theirs.surface}" ({theirs.district})', outside=True)
    if fix is not None:
        return Place(None, f"{home} dışı ← konum", outside=True)
    return Place(None, "")


def find_neighbourhood(
    text: str | None = None, address: str | None = None, lat: float | None = None, long: float | None = None
) -> str | None:
    """Canonical mahalle name (Turkish letters) or None when none is named or located."""
    return resolve(text, address, lat, long).neighbourhood

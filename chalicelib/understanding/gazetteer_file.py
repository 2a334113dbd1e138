"""The gazetteer document compiled and checked: the municipality's mahalles and neighbouring districts'
places, every written form indexed by its first two letters."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .model import Neighbourhood
from .text import fold, words


@dataclass(frozen=True, slots=True)
class GazetteerEntry:
    neighbourhood: Neighbourhood
    words: tuple[str, ...]
    marker_in_name: bool
    fuzzy: bool


@dataclass(frozen=True, slots=True)
class Gazetteer:
    neighbourhoods: tuple[Neighbourhood, ...]  # the municipality's mahalles
    outside: tuple[Neighbourhood, ...]  # places of neighbouring districts (district set)
    entries: tuple[GazetteerEntry, ...]
    index: dict[str, tuple[int, ...]]
    fuzzy_index: dict[str, tuple[int, ...]]
    source: str


def _neighbourhood(r: Any, source: str, district: str | None = None) -> Neighbourhood:
    if isinstance(r, str):
        r = {"name": r}
    if not isinstance(r, dict) or not r.get("name"):
        raise ValueError(f"{source}: every entry needs a name: {r!r}")
    lat, long = r.get("lat"), r.get("long")
    if (lat is None) != (long is None):
        raise ValueError(f"{source}: {r['name']}: lat and long go together")
    if r.get("approximate") and lat is None:
        raise ValueError(f"{source}: {r['name']}: an approximate mahalle (no polygon) needs lat and long")
    return Neighbourhood(
        name=str(r["name"]),
        aliases=tuple(str(a) for a in r.get("aliases") or ()),
        lat=None if lat is None else float(lat),
        long=None if long is None else float(long),
        ambiguous=bool(r.get("ambiguous", False)),
        strict=bool(r.get("strict", False)),
        approximate=bool(r.get("approximate", False)),
        within=r.get("within"),
        old_names=tuple(str(a) for a in r.get("old_names") or ()),
        district=district,
    )


def compile_gazetteer(raw: dict[str, Any], source: str = "<memory>") -> Gazetteer:
    """Mahalles (and neighbouring districts' places) with every written form indexed by its first two letters."""
    nbs = [_neighbourhood(r, source) for r in raw.get("neighbourhoods") or []]
    outside: list[Neighbourhood] = []
    for district, names in (raw.get("outside") or {}).items():
        outside.extend(_neighbourhood(r, source, str(district)) for r in names or [])
    ours = {fold(n.name): n.name for n in nbs}
    if len(ours) != len(nbs):
        raise ValueError(f"{source}: duplicate mahalle name")
    for o in outside:
        if fold(o.name) in ours:
            raise ValueError(f"{source}: {o.name} ({o.district}) is also a mahalle here; the mahalle wins, drop it")
    entries: list[GazetteerEntry] = []
    index: dict[str, list[int]] = {}
    fuzzy_index: dict[str, list[int]] = {}
    for nb in nbs + outside:
        forms = {tuple(words(nb.name))}
        for a in nb.aliases + nb.old_names:
            forms.add(tuple(words(a)))
        forms.add((fold(nb.name).replace(" ", ""),))
        # Typos are tolerated around the official name only: an alias is already a variant, and one typo
        # more from "Zincirdere" is "zincirleri" (chains).
        official = {tuple(words(nb.name)), (fold(nb.name).replace(" ", ""),)}
        for ws in sorted(forms):
            if not ws or not ws[0]:
                continue
            marker = any(w.startswith("mahalle") for w in ws)
            fuzzy = nb.district is None and not nb.ambiguous and len(ws) == 1 and len(ws[0]) >= 6 and ws in official
            eid = len(entries)
            entries.append(GazetteerEntry(nb, ws, marker, fuzzy))
            index.setdefault(ws[0][:2], []).append(eid)
            if fuzzy:
                fuzzy_index.setdefault(ws[0][:2], []).append(eid)
    return Gazetteer(
        neighbourhoods=tuple(nbs),
        outside=tuple(outside),
        entries=tuple(entries),
        index={k: tuple(v) for k, v in index.items()},
        fuzzy_index={k: tuple(v) for k, v in fuzzy_index.items()},
        source=source,
    )

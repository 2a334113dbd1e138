"""Mahalle polygons and the district outline: point-in-polygon in pure Python.

Why pure Python: shapely/GEOS would add megabytes and a native wheel to the Lambda package for ~30 polygons of a
few hundred points. Even-odd ray casting is enough; a bounding-box prefilter and horizontal bands of edges (only
the edges whose y-range holds the point are tested) make a lookup a few dozen comparisons. The file is loaded on
first use and cached; the selected municipality's boundaries.geojson (municipalities/<name>/), or the GeoJSON
ULAKBEL_BOUNDARIES_FILE names.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..domain import data_files
from .loaded import LoadedOnce

DATA_DIR = data_files.default_folder()  # the default municipality's folder (tests read the shipped files)
BOUNDARIES_ENV = "ULAKBEL_BOUNDARIES_FILE"
_KM_PER_DEG_LAT = 110.574
GAP_KM = 0.1  # simplification moves edges by at most ~10 m; neighbours' edges can part by twice that


class Shape:
    """One named area (a mahalle or the district): rings as (lon, lat) tuples. Its edges are bucketed into
    latitude bands on the first containment test, so loading the file costs only parsing."""

    __slots__ = ("name", "level", "rings", "bbox", "label", "_bands", "_band_height")

    def __init__(self, name: str, level: str, rings: tuple[tuple[tuple[float, float], ...], ...],
                 bbox: tuple[float, float, float, float], label: tuple[float, float]):
        self.name = name
        self.level = level
        self.rings = rings
        self.bbox = bbox  # min lon, min lat, max lon, max lat
        self.label = label  # an interior point (lon, lat), for map labels and tests
        self._bands: tuple[tuple[tuple[float, float, float, float], ...], ...] | None = None
        self._band_height = 1.0

    def __repr__(self) -> str:
        return f"Shape({self.name!r}, {self.level!r}, {sum(len(r) for r in self.rings)} points)"

    def _build_bands(self) -> tuple:
        x0, y0, x1, y1 = self.bbox
        edges = [(ax, ay, bx, by) for r in self.rings for (ax, ay), (bx, by) in zip(r, r[1:]) if ay != by]
        n = max(1, min(256, len(edges) // 4))
        height = (y1 - y0) / n or 1.0
        buckets: list[list[tuple[float, float, float, float]]] = [[] for _ in range(n)]
        for e in edges:
            lo, hi = (e[1], e[3]) if e[1] < e[3] else (e[3], e[1])
            for i in range(max(0, int((lo - y0) / height)), min(n - 1, int((hi - y0) / height)) + 1):
                buckets[i].append(e)
        self._band_height = height
        self._bands = tuple(tuple(b) for b in buckets)
        return self._bands

    def contains(self, lon: float, lat: float) -> bool:
        x0, y0, x1, y1 = self.bbox
        if not (x0 <= lon <= x1 and y0 <= lat <= y1):
            return False
        bands = self._bands or self._build_bands()
        i = min(int((lat - y0) / self._band_height), len(bands) - 1)
        inside = False
        for ax, ay, bx, by in bands[i]:
            if (ay > lat) != (by > lat) and lon < (bx - ax) * (lat - ay) / (by - ay) + ax:
                inside = not inside
        return inside

    def distance_km(self, lon: float, lat: float) -> float:
        """Distance to the nearest edge (equirectangular: fine at mahalle scale)."""
        kx = _KM_PER_DEG_LAT * math.cos(math.radians(lat))
        best = float("inf")
        for ring in self.rings:
            for (ax, ay), (bx, by) in zip(ring, ring[1:]):
                ax_, ay_, bx_, by_ = (ax - lon) * kx, (ay - lat) * _KM_PER_DEG_LAT, (bx - lon) * kx, (by - lat) * _KM_PER_DEG_LAT
                dx, dy = bx_ - ax_, by_ - ay_
                length2 = dx * dx + dy * dy
                t = 0.0 if length2 == 0 else max(0.0, min(1.0, -(ax_ * dx + ay_ * dy) / length2))
                d = math.hypot(ax_ + t * dx, ay_ + t * dy)
                if d < best:
                    best = d
        return best


def douglas_peucker(points, tolerance: float) -> list:
    """Iterative Douglas-Peucker on an open polyline (first and last point always kept). Used to build the
    shipped file and to thin rings further for small maps."""
    n = len(points)
    if n < 3:
        return list(points)
    keep = [False] * n
    keep[0] = keep[-1] = True
    stack = [(0, n - 1)]
    tol2 = tolerance * tolerance
    while stack:
        a, b = stack.pop()
        ax, ay = points[a]
        bx, by = points[b]
        dx, dy = bx - ax, by - ay
        length2 = dx * dx + dy * dy
        best, best_i = -1.0, -1
        for i in range(a + 1, b):
            px, py = points[i]
            if length2 == 0:
                d = (px - ax) ** 2 + (py - ay) ** 2
            else:
                t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length2))
                d = (px - ax - t * dx) ** 2 + (py - ay - t * dy) ** 2
            if d > best:
                best, best_i = d, i
        if best_i > 0 and best > tol2:
            keep[best_i] = True
            stack.append((a, best_i))
            stack.append((best_i, b))
    return [p for p, k in zip(points, keep) if k]


def thin_ring(ring, tolerance: float) -> list:
    """A closed ring simplified as two halves (split at the point farthest from the start), still closed."""
    if len(ring) < 5:
        return list(ring)
    far = max(range(len(ring)), key=lambda i: (ring[i][0] - ring[0][0]) ** 2 + (ring[i][1] - ring[0][1]) ** 2)
    out = douglas_peucker(ring[: far + 1], tolerance)[:-1] + douglas_peucker(ring[far:], tolerance)
    return out if len(out) >= 4 else list(ring)


def _interior_point(rings: tuple[tuple[tuple[float, float], ...], ...], bbox) -> tuple[float, float]:
    """Middle of the widest inside span over a few horizontal scan lines: always inside, unlike a centroid."""
    x0, y0, x1, y1 = bbox
    best = None
    for k in range(1, 24):
        y = y0 + (y1 - y0) * (k + 0.137) / 24  # offset so a scan line never runs through a vertex row
        xs = []
        for ring in rings:
            for (ax, ay), (bx, by) in zip(ring, ring[1:]):
                if (ay > y) != (by > y):
                    xs.append((bx - ax) * (y - ay) / (by - ay) + ax)
        xs.sort()
        for a, b in zip(xs[::2], xs[1::2]):
            # prefer wide spans near the middle row, so labels sit in the body of the shape
            score = (b - a) * (1.0 - 0.5 * abs(k - 12) / 12)
            if best is None or score > best[0]:
                best = (score, ((a + b) / 2, y))
    if best is None:
        return ((x0 + x1) / 2, (y0 + y1) / 2)
    return (round(best[1][0], 5), round(best[1][1], 5))


def make_shape(name: str, level: str, polygons: list[list[list[list[float]]]],
               label: tuple[float, float] | None = None) -> Shape:
    """polygons: GeoJSON MultiPolygon coordinates (a Polygon is a list of one); label: a stored interior point."""
    rings: list[tuple[tuple[float, float], ...]] = []
    for poly in polygons:
        for ring in poly:
            pts = tuple((float(p[0]), float(p[1])) for p in ring)
            if len(pts) < 3:
                continue
            if pts[0] != pts[-1]:
                pts = pts + (pts[0],)
            rings.append(pts)
    if not rings:
        raise ValueError(f"boundary {name!r} has no ring")
    xs = [p[0] for r in rings for p in r]
    ys = [p[1] for r in rings for p in r]
    bbox = (min(xs), min(ys), max(xs), max(ys))
    rings_t = tuple(rings)
    return Shape(name, level, rings_t, bbox, label or _interior_point(rings_t, bbox))


@dataclass(frozen=True, slots=True)
class PointFix:
    """Where a point falls: inside the district or not, and in which mahalle polygon (None in a sliver gap)."""

    inside: bool
    mahalle: str | None
    nearest: bool = False  # inside the outline but in a gap between simplified polygons: nearest one taken


@dataclass(frozen=True, slots=True)
class Boundaries:
    districts: tuple[Shape, ...]
    mahalles: tuple[Shape, ...]
    attribution: str
    source: str

    def mahalle(self, name: str) -> Shape | None:
        for s in self.mahalles:
            if s.name == name:
                return s
        return None

    def in_district(self, lat: float, lon: float) -> bool:
        if not self.districts:  # no outline shipped: the union of the mahalles is the district
            return any(s.contains(lon, lat) for s in self.mahalles)
        return any(s.contains(lon, lat) for s in self.districts)

    def locate(self, lat: float, lon: float) -> PointFix:
        for s in self.mahalles:
            if s.contains(lon, lat):
                return PointFix(True, s.name)
        if not self.in_district(lat, lon):
            return PointFix(False, None)
        # Inside the outline but in a sliver between two simplified polygons (metres wide): the nearest mahalle
        # within GAP_KM. A larger uncovered area stays unnamed rather than guessed.
        pad = 0.005
        near = [s for s in self.mahalles
                if s.bbox[0] - pad <= lon <= s.bbox[2] + pad and s.bbox[1] - pad <= lat <= s.bbox[3] + pad]
        if near:
            dist, best = min((s.distance_km(lon, lat), s.name) for s in near)
            if dist <= GAP_KM:
                return PointFix(True, best, nearest=True)
        return PointFix(True, None)


def _polygons(geom: dict[str, Any], where: str) -> list:
    kind = geom.get("type")
    if kind == "Polygon":
        return [geom["coordinates"]]
    if kind == "MultiPolygon":
        return list(geom["coordinates"])
    raise ValueError(f"{where}: geometry must be Polygon or MultiPolygon, not {kind!r}")


def compile_boundaries(doc: dict[str, Any], source: str = "<memory>") -> Boundaries:
    """A GeoJSON FeatureCollection whose features carry properties.level ('district' or 'mahalle') and .name."""
    if doc.get("type") != "FeatureCollection":
        raise ValueError(f"{source}: expected a GeoJSON FeatureCollection")
    districts, mahalles, seen = [], [], set()
    for i, f in enumerate(doc.get("features") or []):
        props = f.get("properties") or {}
        name, level = props.get("name"), props.get("level", "mahalle")
        where = f"{source}: feature {i} ({name})"
        if not name or level not in ("district", "mahalle"):
            raise ValueError(f"{where}: needs properties.name and properties.level district|mahalle")
        label = props.get("label")  # precomputed by scripts/build_boundaries.py; computed here when absent
        shape = make_shape(str(name), level, _polygons(f.get("geometry") or {}, where),
                           (float(label[0]), float(label[1])) if label else None)
        if level == "district":
            districts.append(shape)
        else:
            if shape.name in seen:
                raise ValueError(f"{where}: duplicate mahalle")
            seen.add(shape.name)
            mahalles.append(shape)
    return Boundaries(tuple(districts), tuple(mahalles), str(doc.get("attribution", "")), source)


def boundaries_path() -> Path:
    return data_files.path("boundaries")


def _compile_file() -> Boundaries:
    p = boundaries_path()
    return compile_boundaries(json.loads(p.read_text(encoding="utf-8")), str(p))


_BOUNDARIES: LoadedOnce[Boundaries] = LoadedOnce(_compile_file)


def get_boundaries() -> Boundaries:
    return _BOUNDARIES.get()


def reload() -> None:
    _BOUNDARIES.reset()

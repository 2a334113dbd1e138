"""Build municipalities/talas/boundaries.geojson from the Talas source GeoJSON (mahalle polygons + district).

Why a script: the shipped file is derived data; anyone can re-run it on a newer source (or another municipality's
files) and get the same result. Douglas-Peucker with a ~10 m tolerance (1e-4 degrees) keeps each shape while
cutting the points to about a quarter; coordinates are rounded to 5 decimals (~1 m).

Run: python scripts/build_boundaries.py [SOURCE_DIR] [--tolerance 0.0001]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "municipalities" / "talas" / "boundaries.geojson"
DEFAULT_SOURCE = Path("/work/shared/data/talas")


def simplify_ring(ring: list[list[float]], tolerance: float) -> list[list[float]]:
    import sys

    sys.path.insert(0, str(ROOT))
    from chalicelib.understanding.boundaries import thin_ring

    pts: list[list[float]] = []
    for x, y in ring:
        p = [round(x, 5), round(y, 5)]
        if not pts or pts[-1] != p:
            pts.append(p)
    if pts[0] != pts[-1]:
        pts.append(pts[0])
    return thin_ring(pts, tolerance)


def simplify_geometry(geom: dict, tolerance: float) -> dict:
    if geom["type"] == "Polygon":
        return {"type": "Polygon", "coordinates": [simplify_ring(r, tolerance) for r in geom["coordinates"]]}
    if geom["type"] == "MultiPolygon":
        return {"type": "MultiPolygon",
                "coordinates": [[simplify_ring(r, tolerance) for r in poly] for poly in geom["coordinates"]]}
    raise ValueError(f"unsupported geometry {geom['type']}")


def _with_label(feature: dict) -> dict:
    """Store an interior point (label position, test point) so loading never has to compute it."""
    import sys

    sys.path.insert(0, str(ROOT))
    from chalicelib.understanding.boundaries import _polygons, make_shape

    shape = make_shape(feature["properties"]["name"], feature["properties"]["level"],
                       _polygons(feature["geometry"], feature["properties"]["name"]))
    feature["properties"]["label"] = list(shape.label)
    return feature


def build(source: Path, tolerance: float) -> dict:
    mahalles = json.loads((source / "mahalleler.geojson").read_text(encoding="utf-8"))
    district = json.loads((source / "ilce.geojson").read_text(encoding="utf-8"))
    features = []
    for f in district["features"]:
        features.append(_with_label({"type": "Feature",
                                     "properties": {"level": "district", "name": f["properties"]["name"],
                                                    "source_id": f["properties"].get("source_id")},
                                     "geometry": simplify_geometry(f["geometry"], tolerance)}))
    for f in sorted(mahalles["features"], key=lambda f: f["properties"]["source_id"]):
        p = f["properties"]
        features.append(_with_label({"type": "Feature",
                                     "properties": {"level": "mahalle", "name": p["name"],
                                                    "source_name": p.get("source_name"), "source_id": p.get("source_id")},
                                     "geometry": simplify_geometry(f["geometry"], tolerance)}))
    return {
        "type": "FeatureCollection",
        "attribution": "Boundaries: cagriozkurt/TurkeyGeoJSON (commit aaca41e), MIT, Copyright (c) 2021 cagriozkurt. "
                       "Compiled, unofficial, June 2021; approximate. See boundaries.LICENSE.txt.",
        "simplification": f"Douglas-Peucker, tolerance {tolerance} degrees; coordinates rounded to 5 decimals",
        "features": features,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("source", nargs="?", type=Path, default=DEFAULT_SOURCE)
    ap.add_argument("--tolerance", type=float, default=1e-4)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    doc = build(args.source, args.tolerance)
    text = json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
    # One feature per line: readable diffs when the source changes.
    text = text.replace(',{"type":"Feature"', ',\n{"type":"Feature"')
    args.out.write_text(text + "\n", encoding="utf-8")
    points = sum(len(r) for f in doc["features"] for r in (f["geometry"]["coordinates"]
                 if f["geometry"]["type"] == "Polygon" else [r for p in f["geometry"]["coordinates"] for r in p]))
    print(f"{args.out}: {len(doc['features'])} features, {points} points, {len(text) // 1024} KiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

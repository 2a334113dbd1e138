"""The frozen test split (tests/understanding/data/holdout.jsonl, issue 18) is well formed and stays frozen.

Why: the trained classifier is reported on this split only, so the split must be valid against the data files,
cover what the issue asks for, share no text with anything a model may be trained or tuned on, and never change
silently. These tests read the data files directly and never run the classifier: looking at the split through the
model would be tuning on it.

Changing holdout.jsonl on purpose (a label found wrong, a mahalle renamed in the data files): edit the file, update
HOLDOUT_SHA256 below and say why in the commit message. Never edit it to make the model score better.
"""

from __future__ import annotations

import collections
import hashlib
import json
import re
import unicodedata
from pathlib import Path

import pytest
import yaml

from chalicelib.understanding.boundaries import compile_boundaries

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "tests" / "understanding" / "data"
HOLDOUT = DATA / "holdout.jsonl"
SHIPPED = REPO / "municipalities" / "talas"  # the shipped Talas data (issue 22: one folder per municipality)

# sha256 of holdout.jsonl as frozen on 2026-12-06 (524 messages). Update only deliberately, with a reason.
HOLDOUT_SHA256 = "eee7181fec3dbae3aa543755a74431b000dde7ea96e6e1cbb291e39cee4cd695"

REQUIRED = {"text", "department", "category", "neighbourhood", "kind"}
OPTIONAL = {"address", "lat", "long"}
KINDS = ("sikayet", "talep", "oneri", "bilgi", "tesekkur")

MIN_MESSAGES = 450
MIN_PER_DEPARTMENT = 25
MIN_PER_KIND = 40
MIN_CATEGORY_SHARE = 0.9  # "most categories": a category added to the taxonomy later does not unfreeze the split
MIN_COORDINATES_ONLY = 60
MIN_OUTSIDE_POINTS = 5
MIN_NO_PLACE = 100


def _fold(text: str) -> str:
    """Compare texts the way a copy would still be a copy: Turkish case, diacritics, spacing and punctuation."""
    text = text.replace("İ", "i").replace("I", "ı").lower()
    text = unicodedata.normalize("NFKD", text).replace("ı", "i")
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(re.findall(r"\w+", text))


@pytest.fixture(scope="module")
def raw() -> bytes:
    return HOLDOUT.read_bytes()


@pytest.fixture(scope="module")
def rows(raw) -> list[dict]:
    out = []
    for n, line in enumerate(raw.decode("utf-8").splitlines(), 1):
        assert line.strip(), f"line {n}: empty line"
        row = json.loads(line)
        assert isinstance(row, dict), f"line {n}: not a JSON object"
        out.append(row)
    return out


@pytest.fixture(scope="module")
def taxonomy() -> dict[str, str]:
    doc = yaml.safe_load((SHIPPED / "taxonomy.yaml").read_text(encoding="utf-8"))
    return {c["code"]: c["department"] for c in doc["categories"]}


@pytest.fixture(scope="module")
def departments() -> set[str]:
    doc = json.loads((SHIPPED / "departments.json").read_text(encoding="utf-8"))
    return {d["code"] for d in doc["departments"]}


@pytest.fixture(scope="module")
def mahalles() -> set[str]:
    doc = yaml.safe_load((SHIPPED / "neighbourhoods.yaml").read_text(encoding="utf-8"))
    return {n["name"] for n in doc["neighbourhoods"]}


@pytest.fixture(scope="module")
def boundaries():
    # The shipped file itself, not whatever ULAKBEL_BOUNDARIES_FILE points at.
    path = SHIPPED / "boundaries.geojson"
    return compile_boundaries(json.loads(path.read_text(encoding="utf-8")), str(path))


def test_the_split_is_frozen(raw):
    digest = hashlib.sha256(raw).hexdigest()
    assert digest == HOLDOUT_SHA256, (
        "holdout.jsonl changed. The frozen split may only change deliberately: if this edit is one, update "
        f"HOLDOUT_SHA256 to {digest} and give the reason in the commit message."
    )


def test_every_line_has_exactly_the_eval_fields(rows):
    for n, row in enumerate(rows, 1):
        keys = set(row)
        assert REQUIRED <= keys, f"line {n}: missing {REQUIRED - keys}"
        assert keys <= REQUIRED | OPTIONAL, f"line {n}: unknown fields {keys - REQUIRED - OPTIONAL}"
        assert isinstance(row["text"], str) and row["text"].strip() == row["text"] and len(row["text"]) >= 10, n
        assert ("lat" in row) == ("long" in row), f"line {n}: lat and long go together"
        for key in ("lat", "long"):
            if key in row:
                assert isinstance(row[key], float), f"line {n}: {key} must be a number"
        if "address" in row:
            assert isinstance(row["address"], str) and row["address"].strip(), n


def test_the_eval_files_use_the_same_fields(rows):
    heldout_keys = set()
    for line in (DATA / "eval_heldout.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            heldout_keys |= set(json.loads(line))
    assert heldout_keys <= REQUIRED | OPTIONAL, "the eval format grew: decide whether the frozen split needs it"


def test_labels_are_valid_and_consistent(rows, taxonomy, departments, mahalles):
    for n, row in enumerate(rows, 1):
        assert row["department"] in departments, f"line {n}: unknown department {row['department']!r}"
        assert row["category"] in taxonomy, f"line {n}: unknown category {row['category']!r}"
        assert taxonomy[row["category"]] == row["department"], (
            f"line {n}: {row['category']} belongs to {taxonomy[row['category']]}, not {row['department']}")
        assert row["kind"] in KINDS, f"line {n}: unknown kind {row['kind']!r}"
        assert row["neighbourhood"] is None or row["neighbourhood"] in mahalles, (
            f"line {n}: {row['neighbourhood']!r} is not a mahalle of the gazetteer")


def test_coverage(rows, taxonomy, departments, mahalles):
    assert len(rows) >= MIN_MESSAGES
    per_department = collections.Counter(r["department"] for r in rows)
    thin = {d: per_department[d] for d in departments if per_department[d] < MIN_PER_DEPARTMENT}
    assert not thin, f"departments under {MIN_PER_DEPARTMENT} messages: {thin}"
    per_kind = collections.Counter(r["kind"] for r in rows)
    assert all(per_kind[k] >= MIN_PER_KIND for k in KINDS), per_kind
    used = {r["category"] for r in rows}
    assert len(used & set(taxonomy)) >= MIN_CATEGORY_SHARE * len(taxonomy), sorted(set(taxonomy) - used)
    named = {r["neighbourhood"] for r in rows if r["neighbourhood"] and "lat" not in r}
    assert named == mahalles, f"mahalles never named in a text: {sorted(mahalles - named)}"
    no_place = [r for r in rows if r["neighbourhood"] is None and "lat" not in r and "address" not in r]
    assert len(no_place) >= MIN_NO_PLACE


def test_coordinates_lie_in_the_labelled_polygon(rows, boundaries):
    located = 0
    outside = 0
    for n, row in enumerate(rows, 1):
        if "lat" not in row:
            continue
        lat, lon = row["lat"], row["long"]
        if row["neighbourhood"] is None:
            assert not boundaries.in_district(lat, lon), f"line {n}: a point inside Talas is labelled null"
            outside += 1
            continue
        shape = boundaries.mahalle(row["neighbourhood"])
        assert shape is not None, f"line {n}: {row['neighbourhood']} has no polygon, coordinates cannot name it"
        assert shape.contains(lon, lat), f"line {n}: ({lat}, {lon}) is not inside {row['neighbourhood']}"
        assert boundaries.locate(lat, lon).mahalle == row["neighbourhood"], f"line {n}: overlapping polygons"
        located += 1
    assert located >= MIN_COORDINATES_ONLY
    assert outside >= MIN_OUTSIDE_POINTS
    polygons = {s.name for s in boundaries.mahalles}
    by_point = {r["neighbourhood"] for r in rows if "lat" in r and r["neighbourhood"]}
    assert by_point == polygons, f"polygons never located by a point: {sorted(polygons - by_point)}"


def test_registers_are_mixed(rows):
    texts = [r["text"] for r in rows]
    letters = [re.sub(r"[^A-Za-zÇĞİÖŞÜçğıöşü]", "", t) for t in texts]
    counts = {
        "upper case": sum(1 for t in letters if len(t) > 15 and not any(c.islower() for c in t)),
        "no Turkish letters": sum(1 for t in texts if t == t.lower() and not re.search(r"[çğıöşüÇĞİÖŞÜ]", t)),
        "social media": sum(1 for t in texts if re.search(r"[@#]\w", t)),
        "call-centre notes": sum(1 for t in texts if t.startswith("Vatandaş")),
        "petitions": sum(1 for t in texts if t.startswith("Sayın Yetkili") and "arz eder" in t),
        "questions": sum(1 for t in texts if "?" in t),
    }
    assert all(v >= 25 for v in counts.values()), counts


def test_no_duplicate_texts(rows):
    seen: dict[str, int] = {}
    for n, row in enumerate(rows, 1):
        key = _fold(row["text"])
        assert key not in seen, f"line {n} repeats line {seen[key]}: {row['text']!r}"
        seen[key] = n


def _other_texts() -> dict[str, str]:
    """Every text of every other labelled file: the eval sets and any training corpus that exists now or later."""
    files = set(DATA.rglob("*.jsonl")) | set(DATA.glob("corpus*/**/*.jsonl")) | set((REPO / "training").glob("**/*.jsonl"))
    files.discard(HOLDOUT)
    out = {}
    for path in sorted(files):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            item = json.loads(line)
            text = item.get("text") if isinstance(item, dict) else None
            if isinstance(text, str) and text.strip():
                out.setdefault(_fold(text), str(path.relative_to(REPO)))
    return out


def test_no_text_is_shared_with_any_other_labelled_file(rows):
    others = _other_texts()
    assert others, "expected the eval sets under tests/understanding/data/"
    shared = [(r["text"], others[_fold(r["text"])]) for r in rows if _fold(r["text"]) in others]
    assert not shared, f"texts of the frozen split found in other files (the split must stay unseen): {shared[:5]}"


def test_the_kind_rules_the_split_is_labelled_by_are_written_down():
    doc = (REPO / "docs" / "classifier.md").read_text(encoding="utf-8")
    assert "## Kind rules (şikayet / talep / öneri / bilgi / teşekkür)" in doc
    for kind in KINDS:
        assert f"`{kind}`" in doc

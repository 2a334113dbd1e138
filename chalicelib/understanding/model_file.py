"""The model file (issue 18): reading and writing the gzip JSON `ulakbel train` produces, in either format."""
from __future__ import annotations

import gzip
import json
from pathlib import Path

from .weights import Head, Model, _joint_heads, _pairs


# The model file: gzip JSON. "ulakbel-linear-2" writes each feature's sparse (class, weight) pairs as one string
# ("3:0.1234 17:-0.05"), which JSON parses ~5× faster than nested lists and which is read only for the features a
# message uses; "ulakbel-linear-1" (lists) is the document `ulakbel train` builds and hashes into the version.
FILE_FORMAT = "ulakbel-linear-2"
DOC_FORMAT = "ulakbel-linear-1"


def file_document(doc: dict) -> dict:
    """The model document as written to the file (format 2: each feature's pairs as one string)."""
    out = {**doc, "format": FILE_FORMAT}
    for name in ("category", "kind"):
        out[name] = {**doc[name], "weights": {
            f: " ".join(f"{pairs[i]}:{pairs[i + 1]}" for i in range(0, len(pairs), 2))
            for f, pairs in doc[name]["weights"].items()}}
    return out


def read_document(path: Path | str) -> dict:
    """The model file as the training document (format 1, pairs as lists), whichever format it is in."""
    with gzip.open(path, "rt", encoding="utf-8") as f:
        raw = json.load(f)
    if raw.get("format") == FILE_FORMAT:
        raw["format"] = DOC_FORMAT
        for name in ("category", "kind"):
            raw[name]["weights"] = {f: _pairs(t) for f, t in raw[name]["weights"].items()}
    elif raw.get("format") != DOC_FORMAT:
        raise ValueError(f"{path}: unknown model format {raw.get('format')!r}")
    return raw


def load_model(path: Path | str) -> Model:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        raw = json.load(f)
    if raw.get("format") not in (DOC_FORMAT, FILE_FORMAT):
        raise ValueError(f"{path}: unknown model format {raw.get('format')!r}")
    return model_from_document(raw)


def model_from_document(raw: dict) -> Model:
    cat, kind = _joint_heads(raw["category"], raw["kind"])
    joint = Head(classes=cat.classes + kind.classes, bias=cat.bias + kind.bias, weights=cat.weights,
                 temperature=1.0)
    return Model(version=raw.get("version", ""), category=cat, kind=kind,
                 category_department=dict(raw["category_department"]),
                 triage_threshold=float(raw["triage_threshold"]), threshold_source=raw.get("threshold_source", ""),
                 trained=raw.get("trained", {}), joint=joint)

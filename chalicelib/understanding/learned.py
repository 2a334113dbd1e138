"""The learned classifier (issue 18): linear models trained with scikit-learn, run here in pure Python.

Why pure Python: the Lambda package carries no numpy/scipy. The weights (chalicelib/understanding/data/
model.json.gz, written by `ulakbel train`) are a sparse map feature → [(class, weight)], so a message costs a
few hundred dict look-ups. Two heads: category (41 classes; the department's probability is the sum of its
categories', so category and department never disagree) and kind (5). Probabilities are softmax over the
linear scores divided by a temperature fitted on the dev split (calibration). Deterministic: no hashing with
Python's randomised hash(), sums in feature order.
"""
from __future__ import annotations

import gzip
import json
import math
from dataclasses import dataclass
from pathlib import Path

from ..domain import data_files
from .data import get_taxonomy, score
from .features import message_features
from .kind_rules import kind_scores
from .model_cache import LOADED, reset_model  # noqa: F401  (reset_model re-exported)
from .text import Token, tokenize

DATA_DIR = Path(__file__).resolve().parent / "data"
MODEL_FILE = DATA_DIR / "model.json.gz"


# Weights are packed, one Python int per feature: class i's weight, quantised to 1/2**16 and offset to be
# non-negative, sits in bits [48·i, 48·i+48). A message's score vector is then one C-level big-int
# multiply-add per feature (its value quantised to 1/4096) and one read-out of the fields: no Python loop per
# weight, so pure Python classifies 2,000+ messages/s. 48-bit fields hold 8,192 features without carrying
# into the next class.
_SCALE = 1 << 16
_OFFSET = 1 << 22
_VSCALE = 1 << 12
_BITS = 48
_BYTES = _BITS // 8


def _pack(pairs, k: int) -> int:
    fields = [_OFFSET] * k
    for i in range(0, len(pairs), 2):
        fields[pairs[i]] = _OFFSET + round(pairs[i + 1] * _SCALE)
    return int.from_bytes(b"".join(f.to_bytes(_BYTES, "little") for f in fields), "little")


@dataclass(frozen=True, slots=True)
class Head:
    """One softmax-linear head (or both heads side by side: `_joint`)."""

    classes: tuple[str, ...]
    bias: tuple[float, ...]
    weights: dict[str, int]  # feature → packed row
    temperature: float

    def scores(self, feats: dict[str, float]) -> list[float]:
        get = self.weights.get
        total = 0
        mult = 0
        for f, v in feats.items():
            row = get(f)
            if row is not None:
                q = round(v * _VSCALE)
                total += row * q
                mult += q
        base = mult * _OFFSET
        k = len(self.bias)
        raw = total.to_bytes(_BYTES * k + 8, "little")
        scale = 1.0 / (_SCALE * _VSCALE)
        return [b + (int.from_bytes(raw[_BYTES * i:_BYTES * i + _BYTES], "little") - base) * scale
                for i, b in enumerate(self.bias)]

    def proba(self, feats: dict[str, float]) -> list[float]:
        return _softmax(self.scores(feats), self.temperature)

    def weight(self, feature: str, cls: int) -> float:
        row = self.weights.get(feature)
        if row is None:
            return 0.0
        raw = row.to_bytes(_BYTES * len(self.bias) + 8, "little")
        return (int.from_bytes(raw[_BYTES * cls:_BYTES * cls + _BYTES], "little") - _OFFSET) / _SCALE

    def top_features(self, feats: dict[str, float], cls: int, n: int = 3, prefix: str = "w=") -> list[str]:
        """The words that pushed hardest towards class `cls` (for the explanation)."""
        contrib = []
        for f, v in feats.items():
            if f.startswith(prefix):
                w = self.weight(f, cls)
                if w > 0:
                    contrib.append((w * v, f[len(prefix):]))
        contrib.sort(key=lambda c: (-c[0], c[1]))
        return [w for _, w in contrib[:n]]


@dataclass(frozen=True, slots=True)
class Model:
    version: str
    category: Head
    kind: Head
    category_department: dict[str, str]
    triage_threshold: float
    threshold_source: str
    trained: dict
    joint: "Head"


def _head(raw: dict) -> Head:
    k = len(raw["classes"])
    return Head(classes=tuple(raw["classes"]), bias=tuple(raw["bias"]),
                weights={f: _pack(pairs, k) for f, pairs in raw["weights"].items()},
                temperature=float(raw["temperature"]))


def load_model(path: Path | str) -> Model:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        raw = json.load(f)
    if raw.get("format") != "ulakbel-linear-1":
        raise ValueError(f"{path}: unknown model format {raw.get('format')!r}")
    return model_from_document(raw)


def model_from_document(raw: dict) -> Model:
    cat, kind = _head(raw["category"]), _head(raw["kind"])
    return Model(version=raw.get("version", ""), category=cat, kind=kind,
                 category_department=dict(raw["category_department"]),
                 triage_threshold=float(raw["triage_threshold"]), threshold_source=raw.get("threshold_source", ""),
                 trained=raw.get("trained", {}), joint=_joint(cat, kind))


def _joint(cat: Head, kind: Head) -> Head:
    """Both heads in one table (category classes, then kind classes): one look-up per feature, not two."""
    k1 = len(cat.classes)
    empty1 = _pack((), k1)
    empty2 = _pack((), len(kind.classes))
    shift = _BITS * k1
    weights = {f: cat.weights.get(f, empty1) | (kind.weights.get(f, empty2) << shift)
               for f in set(cat.weights) | set(kind.weights)}
    return Head(classes=cat.classes + kind.classes, bias=cat.bias + kind.bias, weights=weights, temperature=1.0)


_MODEL = LOADED  # the cache list (model_cache.py); tests may swap it


def get_model() -> Model | None:
    """The shipped (or ULAKBEL_MODEL_FILE) model, loaded once; None when no model file exists."""
    if not _MODEL:
        path = data_files.path("model", MODEL_FILE)  # ULAKBEL_MODEL_FILE, read by the settings
        _MODEL.append(load_model(path) if path.exists() else None)
    return _MODEL[0]




def analyse(text: str) -> tuple[list[Token], dict, dict, dict, dict[str, float]]:
    """Tokens, keyword-rule matches per category, kind-rule scores and evidence, and the model's features."""
    tax = get_taxonomy()
    tokens = tokenize(text)
    norms = [t.norm for t in tokens]
    scored = score(tax.matcher.find(norms))
    kscores, kevidence = kind_scores(tax, text, tokens, norms)
    departments = {c: cat.department for c, cat in tax.categories.items()}
    feats = message_features(tokens, text, scored, departments, kscores)
    return tokens, scored, kscores, kevidence, feats


@dataclass(frozen=True, slots=True)
class Prediction:
    category: str
    department: str
    kind: str
    confidence: float  # calibrated P(department)
    kind_confidence: float
    category_proba: dict[str, float]
    kind_proba: dict[str, float]
    department_proba: dict[str, float]


def _softmax(z: list[float], t: float) -> list[float]:
    m = max(z)
    e = [math.exp((x - m) / t) for x in z]
    s = sum(e)
    return [x / s for x in e]


def predict(model: Model, feats: dict[str, float]) -> Prediction:
    z = model.joint.scores(feats)
    cats = model.category.classes
    n = len(cats)
    cp = _softmax(z[:n], model.category.temperature)
    kp = _softmax(z[n:], model.kind.temperature)
    dept_p: dict[str, float] = {}
    for c, p in zip(cats, cp):
        d = model.category_department[c]
        dept_p[d] = dept_p.get(d, 0.0) + p
    dept = max(sorted(dept_p), key=lambda d: dept_p[d])
    ci = max((i for i, c in enumerate(cats) if model.category_department[c] == dept), key=lambda i: cp[i])
    ki = max(range(len(kp)), key=lambda i: kp[i])
    return Prediction(
        category=cats[ci], department=dept, kind=model.kind.classes[ki], confidence=dept_p[dept],
        kind_confidence=kp[ki], category_proba=dict(zip(cats, cp)), kind_proba=dict(zip(model.kind.classes, kp)),
        department_proba=dept_p)

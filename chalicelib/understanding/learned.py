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
import struct
from typing import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..domain import data_files
from .data import get_taxonomy, score
from .features import message_features, other_features, text_parts, word_keys
from .kind_rules import kind_scores
from .model_cache import LOADED, reset_model  # noqa: F401  (reset_model re-exported)
from .text import Token, tokenize

DATA_DIR = Path(__file__).resolve().parent / "data"
MODEL_FILE = DATA_DIR / "model.json.gz"


# Weights are packed, one Python int per feature: class i's weight, quantised to 1/2**16, is the signed field
# i of the integer in base 2**64 (row = Σ w_i·2**16 · 2**(64·i)). A message's score vector is then one C-level
# big-int sum per group of features sharing a value (all its text features share one), one multiply by that
# value quantised to 1/4096, and one read-out of the fields after adding 2**46 to each (the fields of a sum
# stay far inside ±2**46, so the read-out is exact; 64-bit fields are unpacked by one struct call): no Python
# loop per weight. Integer arithmetic: the result does not depend on the order of the features.
_SCALE = 1 << 16
_VSCALE = 1 << 12
_BITS = 64
_BYTES = _BITS // 8
_MASK = (1 << _BITS) - 1
_BIAS = 1 << 46
_BIASES: dict[int, int] = {}


def _field_bias(k: int) -> int:
    """2**46 in each of k fields: added before the read-out so that every field is non-negative."""
    r = _BIASES.get(k)
    if r is None:
        r = _BIASES[k] = int.from_bytes(_BIAS.to_bytes(_BYTES, "little") * k, "little")
    return r


def _pack(pairs, shift: int = 0, row: int = 0) -> int:
    """The packed row of flat (class, weight, class, weight, ...) pairs, classes offset by `shift` fields."""
    for i in range(0, len(pairs), 2):
        row += round(pairs[i + 1] * _SCALE) << (_BITS * (pairs[i] + shift))
    return row


_UNPACKERS: dict[int, Callable] = {}


def _unpack(width: int, raw: bytes) -> tuple[int, ...]:
    """The `width` unsigned 64-bit little-endian fields of `raw`, in one C call."""
    f = _UNPACKERS.get(width)
    if f is None:
        f = _UNPACKERS[width] = struct.Struct(f"<{width}Q").unpack
    return f(raw)


_MEMO_WORDS = 50_000


@dataclass(frozen=True, slots=True)
class Head:
    """One softmax-linear head. `weights` may be a wider table shared with another head (the model's joint
    table: category classes, then kind classes): this head's classes are the fields `offset` .. `offset + k`
    of rows `width` fields wide."""

    classes: tuple[str, ...]
    bias: tuple[float, ...]
    weights: dict[str, int]  # feature → packed row
    temperature: float
    offset: int = 0
    width: int = 0  # 0: len(classes)
    # word → {its feature names: row (0 when the model has none)}: a message's words repeat the district's small
    # vocabulary, so after warm-up a word costs one dict merge instead of ~15 look-ups.
    word_rows: dict = field(default_factory=dict, compare=False, repr=False)

    def scores(self, feats: dict[str, float]) -> list[float]:
        """Linear scores of a feature dict (`features.Features` carries its groups of equal values)."""
        groups = getattr(feats, "groups", None)
        if groups is None:
            groups = [(v, (f,)) for f, v in feats.items()]
        get = self.weights.get
        total = 0
        for v, names in groups:
            rows = [r for r in map(get, names) if r]
            if rows:
                total += sum(rows) * round(v * _VSCALE)
        return self._read(total)

    def text_scores(self, words: list[str], bigrams: list[str], other: dict[str, float]) -> list[float]:
        """The same scores as `scores(features.message_features(...))`, from the message's words (each word's
        rows memoised), its prefix bigrams and its few rule and shape features: the inference path."""
        memo = self.word_rows
        get = self.weights.get
        merged: dict[str, int] = {}
        for w in words:
            rows = memo.get(w)
            if rows is None:
                if len(memo) >= _MEMO_WORDS:
                    memo.clear()
                rows = memo[w] = {k: get(k, 0) for k in word_keys(w)}
            merged.update(rows)
        for b in bigrams:
            merged[b] = get(b, 0)
        total = 0
        if merged:
            total = sum(merged.values()) * round(1.0 / math.sqrt(len(merged)) * _VSCALE)
        for f, v in other.items():
            r = get(f)
            if r:
                total += r * round(v * _VSCALE)
        return self._read(total)

    def _read(self, total: int) -> list[float]:
        width = self.width or len(self.bias)
        fields = _unpack(width, (total + _field_bias(width)).to_bytes(_BYTES * width, "little"))
        scale = 1.0 / (_SCALE * _VSCALE)
        o = self.offset
        return [b + (x - _BIAS) * scale for b, x in zip(self.bias, fields[o:o + len(self.bias)])]

    def proba(self, feats: dict[str, float]) -> list[float]:
        return _softmax(self.scores(feats), self.temperature)

    def weight(self, feature: str, cls: int) -> float:
        row = self.weights.get(feature)
        if not row:
            return 0.0
        # Every field biased, so that no lower negative field borrows from this one.
        width = self.width or len(self.bias)
        return ((((row + _field_bias(width)) >> (_BITS * (self.offset + cls))) & _MASK) - _BIAS) / _SCALE

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
    return Head(classes=tuple(raw["classes"]), bias=tuple(raw["bias"]),
                weights={f: _pack(pairs) for f, pairs in raw["weights"].items()},
                temperature=float(raw["temperature"]))


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


def _pairs(text: str) -> list:
    out: list = []
    for pair in text.split():
        i, w = pair.split(":")
        out += [int(i), float(w)]
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


class PackedRows:
    """feature → the joint packed row (category classes, then kind classes), packed from the model file's
    sparse pairs (lists, or format 2's strings) on first look-up: loading a model is parsing its file, not packing 100,000+ rows of which a
    message uses a few hundred. A dict's `get` to the heads."""

    __slots__ = ("_packed", "_cat", "_kind", "_k1")

    def __init__(self, cat_weights: dict[str, list], kind_weights: dict[str, list], k1: int):
        self._packed: dict[str, int] = {}
        self._cat, self._kind, self._k1 = cat_weights, kind_weights, k1

    def get(self, feature: str, default=None):
        row = self._packed.get(feature)
        if row is None:
            cat, kind = self._cat.get(feature), self._kind.get(feature)
            if isinstance(cat, str):
                cat = _pairs(cat)
            if isinstance(kind, str):
                kind = _pairs(kind)
            row = _pack(kind, self._k1, _pack(cat) if cat else 0) if kind else (_pack(cat) if cat else 0)
            if row or len(self._packed) < 200_000:  # unknown features are remembered too, up to a bound
                self._packed[feature] = row
        return row if row else default

    def __contains__(self, feature: str) -> bool:
        return feature in self._cat or feature in self._kind

    def __len__(self) -> int:
        return len(self._cat.keys() | self._kind.keys())


def _joint_heads(cat_raw: dict, kind_raw: dict) -> tuple[Head, Head]:
    """Both heads over one packed table (category classes, then kind classes): one look-up per feature, not
    two, each row packed when it is first needed."""
    k1, k2 = len(cat_raw["classes"]), len(kind_raw["classes"])
    table = PackedRows(cat_raw["weights"], kind_raw["weights"], k1)
    cat = Head(tuple(cat_raw["classes"]), tuple(cat_raw["bias"]), table, float(cat_raw["temperature"]), 0, k1 + k2)
    kind = Head(tuple(kind_raw["classes"]), tuple(kind_raw["bias"]), table, float(kind_raw["temperature"]), k1,
                k1 + k2)
    return cat, kind


_MODEL = LOADED  # the cache list (model_cache.py); tests may swap it


def get_model() -> Model | None:
    """The shipped (or ULAKBEL_MODEL_FILE) model, loaded once; None when no model file exists."""
    if not _MODEL:
        path = data_files.path("model", MODEL_FILE)  # ULAKBEL_MODEL_FILE, read by the settings
        _MODEL.append(load_model(path) if path.exists() else None)
    return _MODEL[0]




_DEPARTMENTS: dict = {}


def _departments(tax) -> dict[str, str]:
    """category → department of this taxonomy (built once per loaded taxonomy, not per message)."""
    r = _DEPARTMENTS.get(id(tax))
    if r is None or r[0] is not tax:
        _DEPARTMENTS.clear()
        r = _DEPARTMENTS[id(tax)] = (tax, {c: cat.department for c, cat in tax.categories.items()})
    return r[1]


def analyse(text: str) -> tuple[list[Token], dict, dict, dict, dict[str, float]]:
    """Tokens, keyword-rule matches per category, kind-rule scores and evidence, and the model's features."""
    tax = get_taxonomy()
    tokens = tokenize(text)
    norms = [t.norm for t in tokens]
    scored = score(tax.matcher.find(norms))
    kscores, kevidence = kind_scores(tax, text, tokens, norms)
    departments = _departments(tax)
    feats = message_features(tokens, text, scored, departments, kscores)
    return tokens, scored, kscores, kevidence, feats


@dataclass(frozen=True, slots=True)
class Read:
    """What classify() needs of one message, without building the full feature dict (`analyse` builds it for
    training): tokens, the keyword rules' matches, the kind rules' scores and evidence, and the model's input
    as words, prefix bigrams and the other (rule and shape) features."""

    tokens: list[Token]
    scored: dict
    kscores: dict
    kevidence: dict
    words: list[str]
    bigrams: list[str]
    other: dict[str, float]

    def scale(self) -> float:
        """The value of every text feature (1/√ of their number), as in `features.text_features`."""
        n = len(text_keys_of(self.words, self.bigrams))
        return 1.0 / math.sqrt(n) if n else 0.0


def text_keys_of(words: list[str], bigrams: list[str]) -> dict[str, None]:
    keys: dict[str, None] = {}
    for w in words:
        keys.update(dict.fromkeys(word_keys(w)))
    keys.update(dict.fromkeys(bigrams))
    return keys


def read(text: str) -> Read:
    tax = get_taxonomy()
    tokens = tokenize(text)
    norms = [t.norm for t in tokens]
    scored = score(tax.matcher.find(norms))
    kscores, kevidence = kind_scores(tax, text, tokens, norms)
    words, bigrams = text_parts(tokens)
    other = other_features(tokens, text, scored, _departments(tax), kscores)
    return Read(tokens, scored, kscores, kevidence, words, bigrams, other)


def predict_read(model: Model, r: Read) -> Prediction:
    return prediction(model, model.joint.text_scores(r.words, r.bigrams, r.other))


def top_words(head: Head, r: Read, cls: int, n: int = 3) -> list[str]:
    """`Head.top_features(feats, cls)` of the message's word features, which all weigh `r.scale()`."""
    v = None
    contrib = []
    for w in dict.fromkeys(r.words):
        wt = head.weight("w=" + w, cls)
        if wt > 0:
            if v is None:
                v = r.scale()
            contrib.append((wt * v, w))
    contrib.sort(key=lambda c: (-c[0], c[1]))
    return [w for _, w in contrib[:n]]


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
    return prediction(model, model.joint.scores(feats))


def prediction(model: Model, z: list[float]) -> Prediction:
    """Probabilities and decisions from the joint scores (category classes, then kind classes)."""
    cats = model.category.classes
    n = len(cats)
    cp = _softmax(z[:n], model.category.temperature)
    kp = _softmax(z[n:], model.kind.temperature)
    depts = _departments_of(model)
    dept_p: dict[str, float] = {}
    for d, p in zip(depts, cp):  # summed in category order, as always
        dept_p[d] = dept_p.get(d, 0.0) + p
    dept = max(sorted(dept_p), key=dept_p.__getitem__)
    ci = max((i for i, d in enumerate(depts) if d == dept), key=cp.__getitem__)
    ki = max(range(len(kp)), key=kp.__getitem__)
    return Prediction(
        category=cats[ci], department=dept, kind=model.kind.classes[ki], confidence=dept_p[dept],
        kind_confidence=kp[ki], category_proba=dict(zip(cats, cp)), kind_proba=dict(zip(model.kind.classes, kp)),
        department_proba=dept_p)


_DEPTS_OF: list = []  # [model, (department of each category class)]


def _departments_of(model: Model) -> tuple[str, ...]:
    if not _DEPTS_OF or _DEPTS_OF[0] is not model:
        _DEPTS_OF[:] = [model, tuple(model.category_department[c] for c in model.category.classes)]
    return _DEPTS_OF[1]

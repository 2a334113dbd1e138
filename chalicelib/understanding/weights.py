"""The learned model's weights in pure Python (issue 18): packed rows, the two softmax-linear heads, and the
joint table both heads read. Why here and not in learned.py: the packing arithmetic is one job, reading a
message into features and predicting is another."""
from __future__ import annotations

import math
import struct
from dataclasses import dataclass, field
from typing import Callable

from .features import word_keys


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
        return strongest(((self.weight(f, cls), v, f[len(prefix):]) for f, v in feats.items()
                          if f.startswith(prefix)), n)


def strongest(items, n: int) -> list[str]:
    """The names of the n largest weight × value among (weight, value, name) with a positive weight, ties by
    name: explanations are deterministic."""
    contrib = sorted(((w * v, name) for w, v, name in items if w > 0), key=lambda c: (-c[0], c[1]))
    return [name for _, name in contrib[:n]]


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


def _pairs(text: str) -> list:
    out: list = []
    for pair in text.split():
        i, w = pair.split(":")
        out += [int(i), float(w)]
    return out


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


def _softmax(z: list[float], t: float) -> list[float]:
    m = max(z)
    e = [math.exp((x - m) / t) for x in z]
    s = sum(e)
    return [x / s for x in e]

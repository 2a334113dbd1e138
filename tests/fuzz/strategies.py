"""Hypothesis strategies: random payloads and mutations of realistic samples."""
from __future__ import annotations

import json
from typing import Any

from hypothesis import strategies as st

SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**63), max_value=2**63),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=60),
    st.sampled_from(["", " ", "null", "0", "-1", "1e309", "İ", "ı", "\u0000", "\ud7ff", "𝕏", "A" * 3000,
                     "+905321112233", "2026-13-45T99:99:99Z", "../../etc/passwd", "<script>", "' OR 1=1 --"]),
)
JSON = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=5),
                                                     st.dictionaries(st.text(max_size=12), inner, max_size=5)),
                    max_leaves=12)


def mutate(sample: Any) -> st.SearchStrategy:
    """Keep the shape, break parts: replace, drop or add keys; wrong types; deep mutation."""
    if isinstance(sample, dict) and sample:
        keys = list(sample)
        per_key = {k: st.one_of(st.just(sample[k]), mutate(sample[k]), JSON) for k in keys}
        return st.builds(
            lambda base, dropped, added: {**{k: v for k, v in base.items() if k not in dropped}, **added},
            st.fixed_dictionaries(per_key), st.sets(st.sampled_from(keys)),
            st.dictionaries(st.text(max_size=10), JSON, max_size=2))
    if isinstance(sample, list):
        return st.lists(st.one_of(*(mutate(s) for s in sample[:3]), JSON) if sample else JSON, max_size=4)
    if isinstance(sample, str):
        return st.one_of(st.just(sample), st.text(max_size=200), st.builds(lambda a, b: a + b, st.just(sample),
                                                                           st.text(max_size=20)),
                         st.builds(lambda n: sample[:n], st.integers(0, max(len(sample), 1))))
    return st.one_of(st.just(sample), JSON)


def inputs(kind: str, samples: list[Any]) -> st.SearchStrategy:
    if kind == "text":
        return st.one_of(st.text(max_size=400), *(mutate(s) for s in samples if isinstance(s, str)))
    if kind == "bytes":
        def as_bytes(value: Any) -> bytes:
            return value if isinstance(value, bytes) else json.dumps(value, default=str).encode()

        decoded = []
        for s in samples:
            try:
                decoded.append(json.loads(s))
            except (ValueError, TypeError):
                pass
        return st.one_of(st.binary(max_size=400), st.text(max_size=200).map(str.encode),
                         *(mutate(d).map(as_bytes) for d in decoded), st.sampled_from([bytes(s) if isinstance(
                             s, (bytes, bytearray)) else as_bytes(s) for s in samples]).map(lambda b: b[: len(b) // 2]))
    return st.one_of(JSON, *(mutate(s) for s in samples))

"""Accuracy on the labelled sets. Deterministic, so asserting it is safe (timings live in bench/)."""

import json
from collections import Counter
from pathlib import Path

import pytest

from chalicelib.understanding import classify

DATA = Path(__file__).parent / "data"
TARGETS = {"department": 0.92, "neighbourhood": 0.97, "kind": 0.88}


def _load(name):
    return [json.loads(line) for line in (DATA / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def _accuracy(rows):
    hits = Counter()
    for r in rows:
        c = classify(r["text"], r.get("address"), r.get("lat"), r.get("long"))
        for f in TARGETS:
            hits[f] += getattr(c, f) == r[f]
    return {f: hits[f] / len(rows) for f in TARGETS}


def test_eval_sets_are_big_and_varied():
    tune, held = _load("eval_tune.jsonl"), _load("eval_heldout.jsonl")
    rows = tune + held
    assert len(rows) >= 300 and len(held) >= 100
    assert len({r["department"] for r in held}) == 13
    assert {r["kind"] for r in held} == {"sikayet", "talep", "oneri", "bilgi", "tesekkur"}
    assert any(r["neighbourhood"] is None for r in held) and any(r["neighbourhood"] for r in held)
    key = lambda r: (r["text"], r.get("address"), r.get("lat"), r.get("long"))  # noqa: E731
    assert not {key(r) for r in tune} & {key(r) for r in held}


@pytest.mark.parametrize("name", ["eval_heldout.jsonl", "eval_tune.jsonl"])
def test_accuracy_meets_targets(name):
    acc = _accuracy(_load(name))
    for field, target in TARGETS.items():
        assert acc[field] >= target, f"{name} {field}: {acc[field]:.3f} < {target}"

"""`from_stored` (the read side of every item) keeps its meaning with its leaf fast path (issue 19 seed speed):
whole Decimals → int, others → float, containers rebuilt, every other value as it is."""
from __future__ import annotations

from decimal import Decimal

from hypothesis import given, strategies as st

from chalicelib.adapters.schema.base import from_stored


def reference(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: reference(v) for k, v in value.items()}
    if isinstance(value, list):
        return [reference(v) for v in value]
    return value


leaves = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=5),
                   st.decimals(allow_nan=False, allow_infinity=False, places=3),
                   st.frozensets(st.text(max_size=3), max_size=2))
trees = st.recursive(leaves, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner,
                                                                                          max_size=4), max_leaves=30)


@given(trees)
def test_from_stored_equals_the_plain_recursive_mapping(tree):
    got, want = from_stored(tree), reference(tree)
    assert got == want and type(got) is type(want)


def test_containers_are_new_and_types_exact():
    stored = {"n": Decimal("2"), "f": Decimal("2.5"), "flag": True, "xs": [Decimal("1"), "a"], "s": {"x"}}
    plain = from_stored(stored)
    assert plain == {"n": 2, "f": 2.5, "flag": True, "xs": [1, "a"], "s": {"x"}}
    assert type(plain["n"]) is int and type(plain["f"]) is float and plain["flag"] is True
    assert plain is not stored and plain["xs"] is not stored["xs"]

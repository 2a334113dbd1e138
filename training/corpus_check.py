"""Checks the hand-written training corpora (training/corpus/*.jsonl) against the municipality's data.

Why: the corpora are labelled by people; a label that names a category of another department, a mahalle that
is not ours, or the same message twice teaches the model something false. `python -m training.corpus_check`
prints every problem; tests/understanding/test_corpus.py fails on any.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

from chalicelib.domain.turkish import fold
from chalicelib.understanding.data import get_gazetteer, get_taxonomy

CORPUS_DIR = Path(__file__).resolve().parent / "corpus"
KINDS = frozenset({"sikayet", "talep", "oneri", "bilgi", "tesekkur"})
REGISTERS = frozenset({"sms", "caps", "social", "callcentre", "cimer", "plain", "question", "thanks", "mixed", "voice"})
FIELDS = ("text", "department", "category", "neighbourhood", "kind")


def corpus_files() -> list[Path]:
    return sorted(CORPUS_DIR.glob("corpus-*.jsonl"))


def _key(text: str) -> str:
    """Folded words only: the same message with other case, diacritics or punctuation is a duplicate."""
    return " ".join("".join(c if c.isalnum() else " " for c in fold(text)).split())


def problems(files: list[Path] | None = None) -> tuple[list[str], Counter]:
    """Every labelling problem as 'file:line: why', and the count of messages per file."""
    tax = get_taxonomy()
    names = {nb.name for nb in get_gazetteer().neighbourhoods}
    seen: dict[str, str] = {}
    out: list[str] = []
    counts: Counter = Counter()
    for path in files if files is not None else corpus_files():
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            where = f"{path.name}:{n}"
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                out.append(f"{where}: not JSON ({exc.msg})")
                continue
            counts[path.name] += 1
            missing = [f for f in FIELDS if f not in row]
            if missing:
                out.append(f"{where}: missing {', '.join(missing)}")
                continue
            cat = tax.categories.get(row["category"])
            if cat is None:
                out.append(f"{where}: unknown category {row['category']!r}")
            elif cat.department != row["department"]:
                out.append(f"{where}: {row['category']} belongs to {cat.department}, not {row['department']}")
            if row["kind"] not in KINDS:
                out.append(f"{where}: unknown kind {row['kind']!r}")
            if row.get("register") not in (None, *REGISTERS):
                out.append(f"{where}: unknown register {row['register']!r}")
            if row["neighbourhood"] is not None and row["neighbourhood"] not in names:
                out.append(f"{where}: {row['neighbourhood']!r} is not a mahalle of the gazetteer")
            key = _key(row["text"])
            if not key:
                out.append(f"{where}: empty text")
            elif key in seen:
                out.append(f"{where}: the same message as {seen[key]}")
            else:
                seen[key] = where
    return out, counts


def main() -> int:
    found, counts = problems()
    for p in found:
        print(p)
    print(", ".join(f"{name}: {c}" for name, c in sorted(counts.items())), f"— {len(found)} problem(s)")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())

"""Validate (and append hand-written batches to) training/corpus/corpus-c.jsonl.

Usage:
  python training/validate_corpus_c.py                 # validate the corpus file
  python training/validate_corpus_c.py --append RAW    # append a hand-written batch, then validate

A RAW batch has one hand-written message a line: ``category|kind|register|mahalle|text`` where kind is
s/t/o/b/te (sikayet/talep/oneri/bilgi/tesekkur), register one of REGISTERS (or a short code), mahalle the
canonical name from neighbourhoods.yaml or ``-``. The department is taken from the taxonomy. Blank lines and
lines starting with ``#`` are skipped. Checks: labels valid, department matches category, no duplicates
(after case/diacritic/punctuation folding), no text copied from train.jsonl or the eval sets.
"""
from __future__ import annotations

import functools
import json
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "training" / "corpus" / "corpus-c.jsonl"
TAX = ROOT / "chalicelib" / "understanding" / "data" / "taxonomy.yaml"
NB = ROOT / "chalicelib" / "understanding" / "data" / "neighbourhoods.yaml"
KINDS = {"s": "sikayet", "t": "talep", "o": "oneri", "b": "bilgi", "te": "tesekkur"}
REGISTERS = {"sms", "caps", "social", "callcentre", "cimer", "plain", "question", "thanks", "mixed"}
REG_SHORT = {"soc": "social", "cc": "callcentre", "cim": "cimer", "pl": "plain", "q": "question", "th": "thanks",
             "mx": "mixed"}


def fold(text: str) -> str:
    t = text.replace("İ", "i").replace("I", "ı").lower()
    t = t.translate(str.maketrans("çğıöşüâîû", "cgiosuaiu"))
    t = unicodedata.normalize("NFKD", t)
    t = "".join(c for c in t if c.isalnum() or c.isspace())
    return " ".join(t.split())


def load_labels():
    tax = yaml.safe_load(TAX.read_text(encoding="utf-8"))
    cat_dept = {c["code"]: c["department"] for c in tax["categories"]}
    nb = yaml.safe_load(NB.read_text(encoding="utf-8"))
    names = {n["name"] for n in nb["neighbourhoods"]}
    return cat_dept, names


@functools.lru_cache(maxsize=1)
def other_texts() -> frozenset[str]:
    seen = set()
    import subprocess
    sources = [("corpus-a", "corpus-a.jsonl"), ("corpus-b", "corpus-b.jsonl"),  # the other writers' files
               ("classifier", "train.jsonl"), ("classifier", "dev.jsonl")]         # the generated corpus
    for branch, name in sources:
        try:
            out = subprocess.run(["git", "show", f"{branch}:training/corpus/{name}"], cwd=ROOT,
                                 capture_output=True, text=True, check=True).stdout
        except (subprocess.CalledProcessError, FileNotFoundError):
            continue
        for line in out.splitlines():
            if line.strip():
                seen.add(fold(json.loads(line).get("text", "")))
    paths = [ROOT / "training" / "corpus" / "train.jsonl"]
    paths += [p for p in (ROOT / "tests" / "understanding" / "data").glob("eval*.jsonl")]
    for p in paths:
        if not p.exists() or "holdout" in p.name:
            continue
        for line in p.read_text(encoding="utf-8").splitlines():
            if line.strip():
                try:
                    seen.add(fold(json.loads(line).get("text", "")))
                except json.JSONDecodeError:
                    pass
    return frozenset(seen)


def parse_raw(path: Path, cat_dept, names):
    rows, errors = [], []
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("|", 4)
        if len(parts) != 5:
            errors.append(f"{path.name}:{i}: expected 5 fields: {line[:60]}")
            continue
        cat, kind, reg, mah, text = (p.strip() for p in parts)
        reg = REG_SHORT.get(reg, reg)
        row = {"text": text, "department": cat_dept.get(cat, "?"), "category": cat,
               "neighbourhood": None if mah == "-" else mah, "kind": KINDS.get(kind, kind), "register": reg,
               "source": "corpus-c"}
        rows.append((f"{path.name}:{i}", row))
    return rows, errors


def near_duplicates(rows, threshold=0.6):
    """Pairs whose folded word sets overlap (Jaccard) at or above threshold: within the rows and against the
    other writers' files (corpus-a/b), the generated train/dev corpus and the eval sets. Candidates come from
    shared rare words (document frequency <= 200), then the exact Jaccard is computed."""
    others = sorted(other_texts())
    own = [set(fold(r["text"]).split()) for _, r in rows]
    sets = [set(t.split()) for t in others] + own
    texts = others + [r["text"] for _, r in rows]
    index: dict[str, list[int]] = {}
    for k, s in enumerate(sets):
        for w in s:
            index.setdefault(w, []).append(k)
    found = []
    base = len(others)
    for i, (where, r) in enumerate(rows):
        a, me = own[i], base + i
        cands = set()
        for w in a:
            posting = index[w]
            if len(posting) <= 200:
                cands.update(k for k in posting if k != me and not (k >= base and k < me))
        for k in cands:
            b = sets[k]
            jac = len(a & b) / len(a | b)
            if jac >= threshold:
                found.append(f"{where}: near-duplicate ({jac:.2f}): {r['text'][:50]} ~ {texts[k][:50]}")
    return found


def check(rows, cat_dept, names, existing_folds=()):
    errors = []
    seen = dict.fromkeys(existing_folds, "corpus")
    others = other_texts()
    for where, r in rows:
        if r["category"] not in cat_dept:
            errors.append(f"{where}: unknown category {r['category']}")
        elif r["department"] != cat_dept[r["category"]]:
            errors.append(f"{where}: department {r['department']} != {cat_dept[r['category']]}")
        if r["kind"] not in KINDS.values():
            errors.append(f"{where}: bad kind {r['kind']}")
        if r["register"] not in REGISTERS:
            errors.append(f"{where}: bad register {r['register']}")
        if r["neighbourhood"] is not None and r["neighbourhood"] not in names:
            errors.append(f"{where}: unknown mahalle {r['neighbourhood']}")
        if r.get("source") != "corpus-c":
            errors.append(f"{where}: bad source")
        f = fold(r["text"])
        if len(f) < 8:
            errors.append(f"{where}: text too short")
        if f in seen:
            errors.append(f"{where}: duplicate of {seen[f]}: {r['text'][:60]}")
        if f in others:
            errors.append(f"{where}: copied from another labelled file: {r['text'][:60]}")
        seen[f] = where
    return errors


def main(argv):
    cat_dept, names = load_labels()
    existing = []
    if CORPUS.exists():
        for i, line in enumerate(CORPUS.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                existing.append((f"corpus:{i}", json.loads(line)))
    errors = check(existing, cat_dept, names)
    new = []
    if len(argv) == 2 and argv[0] == "--append":
        new, perr = parse_raw(Path(argv[1]), cat_dept, names)
        errors += perr
        errors += check(new, cat_dept, names, existing_folds=[fold(r["text"]) for _, r in existing])
    errors += near_duplicates(existing + new)
    if errors:
        print("\n".join(errors))
        return 1
    if new:
        with CORPUS.open("a", encoding="utf-8") as fh:
            for _, r in new:
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    rows = [r for _, r in existing + new]
    print(f"{len(rows)} messages ({len(new)} new)")
    for field in ("department", "category", "kind", "register"):
        print(field, dict(sorted(Counter(r[field] for r in rows).items())))
    print("with mahalle", sum(1 for r in rows if r["neighbourhood"]), "/", len(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

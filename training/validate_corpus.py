"""Check a hand-written corpus file: labels valid, department matches category, no (near-)duplicates.

Usage: python training/validate_corpus.py training/corpus/corpus-a.jsonl
Prints counts per department/category/kind/register and the share of messages that contain one of their
category's taxonomy keywords literally (the corpus should mostly describe problems in other words).
"""
from __future__ import annotations

import collections
import json
import re
import sys
import unicodedata
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
KINDS = {"sikayet", "talep", "oneri", "bilgi", "tesekkur"}
REGISTERS = {"sms", "caps", "social", "callcentre", "cimer", "plain", "question", "thanks", "mixed"}
FIELDS = {"text", "department", "category", "neighbourhood", "kind", "register", "source"}
_FOLD = str.maketrans("çğıöşüâîû", "cgiosuaiu")


def fold(text: str) -> str:
    text = text.replace("I", "ı").replace("İ", "i").lower()
    text = unicodedata.normalize("NFC", text).translate(_FOLD)
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", fold(text))


def has_keyword(toks: list[str], joined: str, keyword: str) -> bool:
    kw = words(keyword)
    if not kw:
        return False
    if len(kw) > 1:
        return re.search(r"\b" + r"\w*\s+".join(map(re.escape, kw)), joined) is not None
    k = kw[0]
    for t in toks:
        if t.startswith(k) and (len(k) > 4 or len(t) <= len(k) + 4):
            return True
    return False


def main(path: str) -> int:
    tax = yaml.safe_load((ROOT / "chalicelib/understanding/data/taxonomy.yaml").read_text(encoding="utf-8"))
    cats = {c["code"]: c for c in tax["categories"]}
    gaz = yaml.safe_load((ROOT / "chalicelib/understanding/data/neighbourhoods.yaml").read_text(encoding="utf-8"))
    names = {n["name"] for n in gaz["neighbourhoods"]}
    errors, seen, near = [], {}, {}
    counts = {k: collections.Counter() for k in ("department", "category", "kind", "register")}
    with_nb = with_kw = 0
    rows = [line for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]
    for no, line in enumerate(rows, 1):
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            errors.append(f"{no}: bad JSON ({exc})")
            continue
        if set(rec) != FIELDS:
            errors.append(f"{no}: fields {sorted(rec)}")
            continue
        cat = cats.get(rec["category"])
        if cat is None:
            errors.append(f"{no}: unknown category {rec['category']}")
        elif cat["department"] != rec["department"]:
            errors.append(f"{no}: {rec['category']} belongs to {cat['department']}, not {rec['department']}")
        if rec["kind"] not in KINDS:
            errors.append(f"{no}: kind {rec['kind']}")
        if rec["register"] not in REGISTERS:
            errors.append(f"{no}: register {rec['register']}")
        if rec["neighbourhood"] is not None and rec["neighbourhood"] not in names:
            errors.append(f"{no}: neighbourhood {rec['neighbourhood']!r} not canonical")
        toks = words(rec["text"])
        key = " ".join(toks)
        if key in seen:
            errors.append(f"{no}: duplicate of line {seen[key]}")
        seen[key] = no
        sig = " ".join(sorted(set(toks)))
        if sig in near and sig:
            errors.append(f"{no}: same words as line {near[sig]}")
        near[sig] = no
        for k in counts:
            counts[k][rec[k]] += 1
        with_nb += rec["neighbourhood"] is not None
        if cat is not None:
            kws = list(cat.get("keywords", [])) + list(cat.get("strong", []))
            with_kw += any(has_keyword(toks, key, kw) for kw in kws)
    n = len(rows)
    print(f"{n} messages; with a mahalle {with_nb} ({with_nb / max(n, 1):.0%}); "
          f"with a keyword of their category {with_kw} ({with_kw / max(n, 1):.0%})")
    for k, c in counts.items():
        print(f"{k}: " + ", ".join(f"{a}={b}" for a, b in sorted(c.items())))
    for e in errors:
        print("ERROR", e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "training/corpus/corpus-a.jsonl"))

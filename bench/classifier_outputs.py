"""Dump what `classify()` returns for every labelled message outside the frozen split (training corpora and the
older eval sets), one JSON line each, to compare two code trees: a speed-up must leave the file byte-identical.
Run: `python -m bench.classifier_outputs OUT.jsonl` in each tree, then `cmp` the two files.

The frozen split is left out: it is only ever scored in aggregate.
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def files() -> list[Path]:
    data = ROOT / "tests" / "understanding" / "data"
    return sorted((ROOT / "training" / "corpus").glob("*.jsonl")) + [
        p for p in sorted(data.glob("*.jsonl")) if p.name != "holdout.jsonl"]


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    sys.path.insert(0, str(ROOT))
    from chalicelib.understanding import classify

    n = 0
    t0 = time.process_time()
    with open(args[0], "w", encoding="utf-8") as out:
        for path in files():
            for line in path.read_text(encoding="utf-8").splitlines():
                if not line.strip():
                    continue
                r = json.loads(line)
                c = classify(r["text"], r.get("address"), r.get("lat"), r.get("long"))
                out.write(json.dumps(c.to_dict(), ensure_ascii=False, sort_keys=True) + "\n")
                n += 1
    print(f"{n} messages, {n / (time.process_time() - t0):.0f} msg/s CPU including the first load")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Benchmark for the routing classifier: the old keyword rules and the learned model (issue 18) side by side on
the frozen split (per field, per department precision/recall/F1, confusion pairs, triage share, throughput),
then accuracy on the older eval sets, latency and cold-start import cost.
Run: `python -m bench.classifier` (from the repo root).

The frozen split (tests/understanding/data/holdout.jsonl) is only ever reported in aggregate: no message of it
is printed or written, not even a misclassified one.

Why a benchmark and not timed tests: wall-clock numbers vary by machine; tests assert only accuracy.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "understanding" / "data"
RESULTS = ROOT / "bench" / "results" / "classifier.json"
FIELDS = ("department", "category", "neighbourhood", "kind")
TARGETS = {"department": 0.92, "neighbourhood": 0.97, "kind": 0.88}
FROZEN_TARGETS = {"department": 0.93, "neighbourhood": 0.98, "kind": 0.88}


def load(name: str) -> list[dict]:
    with open(DATA / name, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def evaluate(rows: list[dict], classify=None) -> tuple[dict, list[tuple[dict, object]]]:
    if classify is None:
        from chalicelib.understanding import classify

    correct = Counter()
    confusions: Counter = Counter()
    triaged = 0
    auto_correct = 0
    errors = []
    for r in rows:
        c = classify(r["text"], r.get("address"), r.get("lat"), r.get("long"))
        ok_any = True
        for f in FIELDS:
            if f == "category" and "category" not in r:
                continue
            if getattr(c, f) == r.get(f):
                correct[f] += 1
            else:
                ok_any = False
        if c.department != r["department"]:
            confusions[(r["department"], c.department)] += 1
        if c.needs_triage:
            triaged += 1
        elif c.department == r["department"]:
            auto_correct += 1
        if not ok_any:
            errors.append((r, c))
    n = len(rows)
    auto = n - triaged
    stats = {
        "n": n,
        "accuracy": {f: round(correct[f] / n, 4) for f in FIELDS},
        "triage_rate": round(triaged / n, 4),
        "department_accuracy_when_auto_routed": round(auto_correct / auto, 4) if auto else None,
        "department_confusions": [
            {"expected": e, "got": g, "count": k} for (e, g), k in confusions.most_common()
        ],
    }
    return stats, errors


def latency(rows: list[dict], passes: int = 5) -> dict:
    from chalicelib.understanding import classify
    from chalicelib.understanding.text import stem

    classify("ısınma")  # load data once; we measure per-message cost after import
    stem.cache_clear()
    per_msg = []
    first_pass = []
    for p in range(passes):
        for r in rows:
            t0 = time.perf_counter_ns()
            classify(r["text"], r.get("address"), r.get("lat"), r.get("long"))
            dt = (time.perf_counter_ns() - t0) / 1000
            per_msg.append(dt)
            if p == 0:
                first_pass.append(dt)
    t0 = time.perf_counter()
    for r in rows:
        classify(r["text"], r.get("address"), r.get("lat"), r.get("long"))
    total = time.perf_counter() - t0
    per_msg.sort()
    return {
        "median_us": round(statistics.median(per_msg), 1),
        "p95_us": round(per_msg[int(len(per_msg) * 0.95)], 1),
        "max_us": round(per_msg[-1], 1),
        "first_pass_median_us": round(statistics.median(first_pass), 1),
        "messages_per_second": round(len(rows) / total),
    }


def point_lookups(n: int = 4000, passes: int = 5) -> dict:
    """Point-in-polygon throughput: the shipped (simplified, banded) boundaries vs plain ray casting over the same
    rings, and vs the unsimplified source when it is on this machine. Medians of `passes`, points spread over
    the district's bounding box (about half fall outside the outline, the dearer case)."""
    import random

    from chalicelib.understanding.boundaries import get_boundaries
    from scripts.build_boundaries import DEFAULT_SOURCE

    b = get_boundaries()
    x0, y0, x1, y1 = (min(s.bbox[i] for s in b.districts) if i < 2 else max(s.bbox[i] for s in b.districts)
                      for i in range(4))
    rng = random.Random(18)
    pts = [(rng.uniform(y0, y1), rng.uniform(x0, x1)) for _ in range(n)]

    def naive(rings_by_name, outline):
        def inside(lon, lat, rings):
            c = False
            for r in rings:
                for (ax, ay), (bx, by) in zip(r, r[1:]):
                    if (ay > lat) != (by > lat) and lon < (bx - ax) * (lat - ay) / (by - ay) + ax:
                        c = not c
            return c

        def locate(lat, lon):
            for name, rings in rings_by_name:
                if inside(lon, lat, rings):
                    return name
            return "inside" if inside(lon, lat, outline) else None
        return locate

    def rate(fn) -> float:
        runs = []
        for _ in range(passes):
            t0 = time.perf_counter()
            for lat, lon in pts:
                fn(lat, lon)
            runs.append(len(pts) / (time.perf_counter() - t0))
        return statistics.median(runs)

    shipped_rings = [(s.name, s.rings) for s in b.mahalles]
    outline = [r for s in b.districts for r in s.rings]
    vertices = sum(len(r) for _, rs in shipped_rings for r in rs) + sum(len(r) for r in outline)
    out = {"points": n, "passes": passes, "shipped_vertices": vertices,
           "banded_lookups_per_s": round(rate(b.locate)),
           "naive_ray_casting_lookups_per_s": round(rate(naive(shipped_rings, outline)))}
    out["banded_vs_naive"] = round(out["banded_lookups_per_s"] / out["naive_ray_casting_lookups_per_s"], 1)
    if (DEFAULT_SOURCE / "mahalleler.geojson").exists():
        from chalicelib.understanding.boundaries import compile_boundaries
        from scripts.build_boundaries import build

        full = compile_boundaries(build(DEFAULT_SOURCE, 0.0), "source")
        out["source_vertices"] = sum(len(r) for s in full.mahalles + full.districts for r in s.rings)
        out["source_banded_lookups_per_s"] = round(rate(full.locate))
        out["source_naive_lookups_per_s"] = round(rate(naive([(s.name, s.rings) for s in full.mahalles],
                                                             [r for s in full.districts for r in s.rings])))
        agree = sum(full.locate(lat, lon).mahalle == b.locate(lat, lon).mahalle for lat, lon in pts)
        out["simplified_agrees_with_source"] = round(agree / n, 4)
    return out


def _wall(code: str, runs: int) -> list[float]:
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="0")
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True)
        out.append((time.perf_counter() - t0) * 1000)
    return out


def import_cost(runs: int = 15) -> dict:
    # Warm the OS file cache and .pyc files first so we measure Python, not the disk.
    _wall("import chalicelib.understanding; chalicelib.understanding.classify('x')", 2)
    base = _wall("pass", runs)
    imp = _wall("import chalicelib.understanding", runs)
    first = _wall("import chalicelib.understanding; chalicelib.understanding.classify('x')", runs)
    mb, mi, mf = statistics.median(base), statistics.median(imp), statistics.median(first)
    return {
        "runs": runs,
        "python_pass_median_ms": round(mb, 1),
        "import_median_ms": round(mi, 1),
        "import_and_first_classify_median_ms": round(mf, 1),
        "added_by_import_ms": round(mi - mb, 1),
        "added_by_import_and_first_classify_ms": round(mf - mb, 1),
    }


def per_department(gold: list[str], got: list[str]) -> dict[str, dict]:
    out = {}
    for d in sorted(set(gold) | set(got)):
        tp = sum(g == d and p == d for g, p in zip(gold, got))
        fp = sum(g != d and p == d for g, p in zip(gold, got))
        fn = sum(g == d and p != d for g, p in zip(gold, got))
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        out[d] = {"n": tp + fn, "precision": round(prec, 4), "recall": round(rec, 4), "f1": round(f1, 4)}
    return out


def throughput(fn, rows: list[dict], passes: int = 3) -> dict:
    """CPU time of one process (process_time: one core, not inflated by other work on a shared machine), after a
    warm-up pass; medians over passes."""
    for r in rows:
        fn(r["text"], r.get("address"), r.get("lat"), r.get("long"))
    rates, per = [], []
    for _ in range(passes):
        t0 = time.process_time()
        for r in rows:
            fn(r["text"], r.get("address"), r.get("lat"), r.get("long"))
        dt = time.process_time() - t0
        rates.append(len(rows) / dt)
        per.append(dt / len(rows) * 1e6)
    return {"messages_per_second_cpu": round(statistics.median(rates)), "us_per_message_cpu": round(statistics.median(per), 1)}


def model_load_cpu_ms(runs: int = 3) -> float:
    """CPU time to load the shipped model file (what the first classify() of a cold Lambda pays once), median."""
    from chalicelib.understanding.learned import MODEL_FILE, load_model

    times = []
    for _ in range(runs):
        t0 = time.process_time()
        load_model(MODEL_FILE)
        times.append((time.process_time() - t0) * 1000)
    return round(statistics.median(times), 1)


def frozen_report(rows: list[dict]) -> dict:
    """Old rules vs learned model on the frozen split. Aggregates only."""
    from chalicelib.understanding.classifier import classify_learned, classify_rules
    from chalicelib.understanding.learned import MODEL_FILE, get_model, analyse, predict

    model = get_model()
    systems = {"rules": classify_rules}
    if model is not None:
        systems["model"] = lambda t, a=None, la=None, lo=None: classify_learned(model, t, a, la, lo)
    out: dict = {"n": len(rows), "model_version": model.version if model else None}
    for name, fn in systems.items():
        stats, _ = evaluate(rows, fn)
        got = [fn(r["text"], r.get("address"), r.get("lat"), r.get("long")) for r in rows]
        stats["per_department"] = per_department([r["department"] for r in rows], [c.department for c in got])
        kinds = Counter((r["kind"], c.kind) for r, c in zip(rows, got) if r["kind"] != c.kind)
        stats["kind_confusions"] = [{"expected": e, "got": g, "count": k} for (e, g), k in kinds.most_common(8)]
        stats["throughput"] = throughput(fn, rows)
        out[name] = stats
    if model is not None:
        feats = [analyse(r["text"])[-1] for r in rows]
        t0 = time.process_time()
        for f in feats:
            predict(model, f)
        out["model_inference_only_messages_per_second_cpu"] = round(len(feats) / (time.process_time() - t0))
        out["weights_file_bytes"] = MODEL_FILE.stat().st_size if MODEL_FILE.exists() else None
        out["model_load_cpu_ms"] = model_load_cpu_ms()
        out["triage_threshold"] = model.triage_threshold
        out["threshold_source"] = model.threshold_source
    return out


def print_frozen(rep: dict) -> None:
    print(f"FROZEN SPLIT ({rep['n']} messages; aggregates only) — old rules vs model {rep['model_version']}")
    names = [n for n in ("rules", "model") if n in rep]
    print(f"{'field':<34}" + "".join(f"{n:>12}" for n in names) + f"{'target':>8}")
    for f in FIELDS:
        t = FROZEN_TARGETS.get(f)
        print(f"{f:<34}" + "".join(f"{rep[n]['accuracy'][f]:>12.1%}" for n in names) + f"{(f'{t:.0%}' if t else '-'):>8}")
    print(f"{'sent to triage':<34}" + "".join(f"{rep[n]['triage_rate']:>12.1%}" for n in names))
    print(f"{'department accuracy when auto':<34}"
          + "".join(f"{(rep[n]['department_accuracy_when_auto_routed'] or 0):>12.1%}" for n in names) + f"{'97%':>8}")
    print(f"{'throughput (msg/s, 1 core CPU)':<34}"
          + "".join(f"{rep[n]['throughput']['messages_per_second_cpu']:>12}" for n in names))
    if "model" in rep:
        print(f"model inference alone: {rep['model_inference_only_messages_per_second_cpu']} msg/s; weights file "
              f"{rep['weights_file_bytes'] / 1024:.0f} KiB, loaded in {rep['model_load_cpu_ms']} ms CPU; triage threshold {rep['triage_threshold']:.3f} "
              f"(chosen on the {rep['threshold_source']})")
    print("\nper department (precision / recall / F1)")
    depts = sorted(rep[names[0]]["per_department"])
    print(f"{'department':<14}{'n':>5}" + "".join(f"{n + ' P':>9}{'R':>7}{'F1':>7}" for n in names))
    for d in depts:
        row = f"{d:<14}{rep[names[-1]]['per_department'].get(d, {}).get('n', 0):>5}"
        for n in names:
            m = rep[n]["per_department"].get(d, {"precision": 0, "recall": 0, "f1": 0})
            row += f"{m['precision']:>9.2f}{m['recall']:>7.2f}{m['f1']:>7.2f}"
        print(row)
    for n in names:
        pairs = "; ".join(f"{c['expected']}->{c['got']}: {c['count']}" for c in rep[n]["department_confusions"][:10])
        kinds = "; ".join(f"{c['expected']}->{c['got']}: {c['count']}" for c in rep[n]["kind_confusions"])
        print(f"\n{n} department confusions: {pairs or 'none'}\n{n} kind confusions: {kinds or 'none'}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--errors", action="store_true", help="print misclassified TUNE messages (never held-out)")
    ap.add_argument("--runs", type=int, default=15, help="fresh interpreters per import measurement")
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument("--natural", action="append", default=[],
                    help="a hand-written corpus file besides training/corpus/corpus-*.jsonl (repeatable): its dev "
                         "quarter is reported as natural-dev")
    ap.add_argument("--no-frozen", action="store_true",
                    help="do not score the frozen split (it is scored a limited number of times per model)")
    args = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT))

    # Sets: tune (tuned on), held-out (never tuned on), fresh-1 (vocabulary shift written after the first tuning;
    # evaluated only until 2026-11-29, then its misses were used to widen the vocabulary), fresh-2 (written
    # 2026-11-29 before that widening; never tuned on). Held-out and fresh-2 are the honest numbers.
    sets = {
        "tune": load("eval_tune.jsonl"),
        "held-out": load("eval_heldout.jsonl"),
        "fresh-1": load("eval_fresh.jsonl"),
        "fresh-2": load("eval_fresh2.jsonl"),
        # Written with the rebuilt gazetteer (issue 18): every mahalle by name in four registers and by a point
        # in its polygon, plus neighbouring districts' places and points outside. Tuned by construction.
        "mahalle": load("eval_mahalle.jsonl"),
    }
    from ulakbel_cli.train import load_rows, natural_files, natural_split

    natural_dev = natural_split(load_rows(natural_files(args.natural)))[1]
    if natural_dev:  # the natural messages' dev quarter: the model's honest dev figure (never the frozen split)
        sets["natural-dev"] = natural_dev
    frozen = load("holdout.jsonl") if (DATA / "holdout.jsonl").exists() and not args.no_frozen else []
    frozen_rep = frozen_report(frozen) if frozen else None
    if frozen_rep:
        print_frozen(frozen_rep)
        print()
    stats = {name: evaluate(msgs)[0] for name, msgs in sets.items()}
    tune_stats, tune_errors = evaluate(sets["tune"])
    held_stats, fresh_stats = stats["held-out"], stats["fresh-2"]

    print("messages: " + ", ".join(f"{n} {len(m)}" for n, m in sets.items()))
    print("since issue 18 every set below is model training (tune, fresh-1, mahalle) or dev/refit data (held-out,"
          " fresh-2): these columns are regression checks, not evidence; the frozen split above is")
    print(f"{'field':<14}" + "".join(f"{n:>12}" for n in sets) + f"{'target':>8}")
    for f in FIELDS:
        t = TARGETS.get(f)
        print(f"{f:<14}" + "".join(f"{stats[n]['accuracy'][f]:>12.1%}" for n in sets)
              + f"{(f'{t:.0%}' if t else '-'):>8}")
    print(f"{'triage rate':<14}" + "".join(f"{stats[n]['triage_rate']:>12.1%}" for n in sets))
    print(f"{'dept|auto':<14}" + "".join(f"{stats[n]['department_accuracy_when_auto_routed']:>12.1%}" for n in sets)
          + "   (department accuracy when not triaged)")
    print("\ndepartment confusions (expected -> got: count)")
    for name, st in stats.items():
        items = [f"{c['expected']}->{c['got']}: {c['count']}" for c in st["department_confusions"]]
        print(f"  {name:<12}{'; '.join(items) if items else 'none'}")

    tune, held, fresh = sets["tune"], sets["held-out"], sets["fresh-1"] + sets["fresh-2"]
    lat = latency(tune + held + fresh)
    print(
        f"\nclassify latency: median {lat['median_us']} µs, p95 {lat['p95_us']} µs, "
        f"first-pass median {lat['first_pass_median_us']} µs, {lat['messages_per_second']} messages/s"
    )
    pip = point_lookups()
    line = (f"point-in-polygon: {pip['banded_lookups_per_s']} lookups/s (shipped, {pip['shipped_vertices']} vertices, "
            f"banded) vs {pip['naive_ray_casting_lookups_per_s']} naive ray casting ({pip['banded_vs_naive']}×)")
    if "source_vertices" in pip:
        line += (f"; unsimplified source ({pip['source_vertices']} vertices): {pip['source_banded_lookups_per_s']} "
                 f"banded, {pip['source_naive_lookups_per_s']} naive; simplified agrees with source on "
                 f"{pip['simplified_agrees_with_source']:.2%} of {pip['points']} points")
    print(line)
    imp = import_cost(args.runs)
    print(
        f"cold start (median of {imp['runs']} fresh interpreters): python -c pass {imp['python_pass_median_ms']} ms | "
        f"import {imp['import_median_ms']} ms (+{imp['added_by_import_ms']}) | "
        f"import + first classify {imp['import_and_first_classify_median_ms']} ms "
        f"(+{imp['added_by_import_and_first_classify_ms']})"
    )

    if args.errors:
        print("\nmisclassified TUNE messages:")
        for r, c in tune_errors:
            diffs = [f"{f}: {r.get(f)}→{getattr(c, f)}" for f in FIELDS if f in r and getattr(c, f) != r.get(f)]
            print(f"  {r['text'][:70]!r}  {'; '.join(diffs)}\n      {c.explanation}")

    result = {
        "generated_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "tune": tune_stats,
        "heldout": held_stats,
        "fresh_1_tuned_since_2026_11_29": stats["fresh-1"],
        "fresh_2_never_tuned": fresh_stats,
        "targets_heldout": TARGETS,
        "frozen_split": frozen_rep,
        "mahalle_tuned": stats["mahalle"],
        "natural_dev": stats.get("natural-dev"),
        "latency": lat,
        "point_in_polygon": pip,
        "import": imp,
    }
    if not args.no_write:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(f"\nwrote {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""`make bench`: every benchmark, side by side, with its target; JSON in bench/results/, summary in
bench/results/SUMMARY.md. Bounded to fit 10 minutes on a 2-core machine (BENCH_E2E_N, BENCH_E2E_BUDGET)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time

from bench.common import RESULTS, ROOT, machine

E2E_N = int(os.environ.get("BENCH_E2E_N", "5000"))
E2E_BUDGET = float(os.environ.get("BENCH_E2E_BUDGET", "200"))  # seconds of firing, both sides together

STEPS = [
    ("cold_start", [sys.executable, "-m", "bench.cold_start", "--runs", "10"]),
    ("aws_calls", [sys.executable, "-m", "bench.aws_calls"]),
    ("classifier", [sys.executable, "-m", "bench.classifier", "--runs", "5"]),
    ("analytics", [sys.executable, "-m", "bench.analytics"]),
    ("end_to_end", [sys.executable, "-m", "bench.end_to_end", "--n", str(E2E_N), "--budget", str(E2E_BUDGET),
                    "--route-wait", "120"]),
    # issue 21: intake → routed → leased at two table sizes, with the floor (BENCH_PIPELINE_ARGS, e.g. --quick)
    ("pipeline", [sys.executable, "-m", "bench.pipeline", *os.environ.get("BENCH_PIPELINE_ARGS", "").split()]),
]


def _load(name: str) -> dict:
    path = RESULTS / f"{name}.json"
    return json.loads(path.read_text()) if path.exists() else {}


def summary(timings: dict[str, float], failures: list[str]) -> str:
    m = machine()
    cold, calls, clf, ana, e2e, pipe = (_load(n) for n in ("cold_start", "aws_calls", "classifier", "analytics",
                                                             "end_to_end", "pipeline"))
    rows = []
    if cold:
        rows.append(("Cold start: app import cost / (chalice+boto3+pydantic)", f"{cold['app_over_baseline']}",
                     "≤ 1.25", f"median of {cold['runs']}: baseline {cold['baseline_ms']} ms, app {cold['app_ms']} ms"))
    if calls:
        rows.append(("AWS calls: intake per request", f"{calls['intake']['calls_per_request']:.2f}", "1",
                     ", ".join(f"{k}×{v}" for k, v in calls["intake"]["operations"].items())))
        rows.append(("AWS calls: routing per request", f"{calls['routing']['calls_per_request']:.2f}", "≤ 2",
                     f"+{calls['routing']['queue_url_lookups_per_container']} GetQueueUrl per warm container"))
        rows.append(("AWS calls: Scan (all paths and jobs)", str(calls["scan_calls"]), "0", ""))
        notes = (calls.get("notifications") or {}).get("routes")
        if notes:
            rows.append(("AWS calls: each notification, the platform send",
                         ", ".join(f"{r} {v['send_calls_per_message']:g}" for r, v in notes.items()), "1",
                         ", ".join(f"{r}: {'+'.join(v['send_operations']) or 'one HTTP call'}"
                                   for r, v in notes.items() if v["kind"] == "notification")))
            rows.append(("AWS calls: each notification, consumer bookkeeping (DynamoDB)",
                         ", ".join(f"{r} {v['bookkeeping_calls_per_message']:g}" for r, v in notes.items()), "—",
                         "state marker, opt-out lookups, daily-cap slot, delivery-report link, timeline event"))
    if e2e:
        u, f = e2e["ulakbel"], e2e["floor"]
        rows.append(("End to end: accepted/s vs floor (PutItem+SendMessage)", f"{u['accepted_per_s']} vs {f['per_s']} "
                     f"= {e2e['ratio']}", "≥ 0.6", f"{e2e['n_fired']} of {e2e['n_requested']} fired, "
                     f"{e2e['workers']} workers"))
        rows.append(("End to end: intake p50 / p99 ms", f"{u['intake_p50_ms']} / {u['intake_p99_ms']}", "—",
                     f"floor p50 {f['p50_ms']} / p99 {f['p99_ms']}"))
        rows.append(("End to end: received→routed p50 / p99 ms",
                     f"{u['received_to_routed_p50_ms']} / {u['received_to_routed_p99_ms']}", "—",
                     f"sample of {u['routed_sample']}; all routed in wait: {e2e['all_routed_within_wait']}"))
    for run in pipe.get("runs", []):
        st, cap, fl = run["sustained"], run["capacity"], run["floor"]
        rows.append((f"Pipeline, {run['stored_before']} stored: sustained {st['offered_per_s']}/s accepted / routed "
                     f"/ leased per s", f"{st['accepted_per_s']} / {st['routed_per_s']} / {st['leased_per_s']}", "—",
                     f"{st['requests']} requests, {st['clustered']} clustered, {st['not_routed_within_wait']} "
                     f"not routed in the wait"))
        rows.append((f"Pipeline, {run['stored_before']} stored: received→routed p50 / p95 / p99 ms",
                     f"{st['received_to_routed_p50_ms']} / {st['received_to_routed_p95_ms']} / "
                     f"{st['received_to_routed_p99_ms']}", "p99 ≤ 5000 at 25/s",
                     f"→leased {st['received_to_leased_p50_ms']} / {st['received_to_leased_p95_ms']} / "
                     f"{st['received_to_leased_p99_ms']}"))
        rows.append((f"Pipeline, {run['stored_before']} stored: capacity routed/accepted, ulakbel/floor (routed/s)",
                     f"{run['routed_over_accepted']}, {run['routed_over_floor']}", "≥ 0.5, —",
                     f"accepted {cap['accepted_per_s']}/s, routed {cap['routed_per_s']}/s, leased "
                     f"{cap['leased_per_s']}/s; floor routed {fl['routed_per_s']}/s"))
    if pipe.get("targets"):
        rows.append(("Pipeline: routed/s at the largest size ÷ empty",
                     str(pipe["targets"]["routed_large_over_empty"]["measured"]), "≥ 0.8",
                     "each size relative to its own floor (load differs between the sizes' minutes): "
                     f"{pipe['targets']['routed_large_over_empty'].get('floor_normalised')}"))
    if ana.get("reads_per_path"):
        per, reads = ana["reads_per_path"], ana.get("reads_per_size") or {}
        first = next(iter(per.values()))
        rows.append(("Analytics read cost 1k vs 50k",
                     f"{reads.get('1000')} vs {reads.get('50000')} DynamoDB reads for the 4 pages "
                     f"(equal: {ana['equal_reads']}, Scan {ana['scan_calls']})", "equal reads",
                     "per page reads, items, median ms (1k/50k): " + "; ".join(
                         f"{p} {v['1k']}/{v['50k']} {'+'.join(v['operations'])}, {v['items_1k']}/{v['items_50k']} "
                         f"items, {v['median_ms_1k']}/{v['median_ms_50k']} ms" for p, v in per.items())
                     + f" — median of {ana.get('samples')} uncached reads, sizes alternated; "
                     f"{first['bytes_1k']}/{first['bytes_50k']} bytes per page (fuller histograms, same items)"))
    elif ana:
        rows.append(("Analytics read cost 1k vs 50k", ana.get("status", ""), "equal reads", ana.get("reason", "")))
    if clf:
        lat = clf.get("latency", {})
        rows.append(("Classifier messages/s", str(lat.get("messages_per_second")), "—",
                     f"median {lat.get('median_us')} µs/message"))
    lines = [f"# Benchmark summary — {m['date']}", "",
             f"Machine: {m['system']} {m['machine']}, {m['cpus']} CPUs, Python {m['python']} "
             f"(shared machine; figures are medians and side-by-side ratios).", "",
             "| Figure | Measured | Target | Notes |", "| --- | --- | --- | --- |"]
    lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]
    lines += ["", "Step times: " + ", ".join(f"{k} {v:.0f} s" for k, v in timings.items())]
    if failures:
        lines += ["", "Failed steps: " + ", ".join(failures)]
    return "\n".join(lines) + "\n"


def main() -> int:
    timings: dict[str, float] = {}
    failures: list[str] = []
    for name, cmd in STEPS:
        print(f"== {name}", flush=True)
        started = time.perf_counter()
        proc = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        timings[name] = time.perf_counter() - started
        figures = [line for line in proc.stdout.splitlines()
                   if not line.startswith(("{", "ulakbel - ", "127.0.0.1 - "))]
        print("\n".join(figures[-12:]), flush=True)
        if proc.returncode != 0:
            failures.append(name)
    text = summary(timings, failures)
    (RESULTS / "SUMMARY.md").write_text(text)
    print("\n" + text)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

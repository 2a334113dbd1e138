"""Cold start: importing the Lambda entry module (app.py) vs importing only chalice + boto3 + pydantic.

Run: `python -m bench.cold_start [--runs 15]`. Medians of fresh interpreters, measured side by side.
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASELINE = "import chalice, boto3, pydantic"
APP = "import boto3, app"  # the Lambda runtime imports boto3 anyway; app must add little on top


def _time(code: str) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
    return (time.perf_counter() - started) * 1000


def measure(runs: int) -> dict:
    base, app, empty = [], [], []
    for _ in range(runs):  # interleaved so machine noise hits both alike
        empty.append(_time("pass"))
        base.append(_time(BASELINE))
        app.append(_time(APP))
    b, a, e = statistics.median(base), statistics.median(app), statistics.median(empty)
    return {"runs": runs, "interpreter_ms": round(e, 1), "baseline_ms": round(b, 1), "app_ms": round(a, 1),
            "app_over_baseline": round((a - e) / (b - e), 3), "target_ratio": 1.25}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    result = measure(parser.parse_args().runs)
    out = ROOT / "bench" / "results" / "cold_start.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2))
    print(f"cold start (median of {result['runs']}): interpreter {result['interpreter_ms']} ms, "
          f"baseline [{BASELINE}] {result['baseline_ms']} ms, app [{APP}] {result['app_ms']} ms → "
          f"app/baseline import cost ratio {result['app_over_baseline']} (target ≤ {result['target_ratio']})")


if __name__ == "__main__":
    main()

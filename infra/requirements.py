"""Print the runtime dependencies from pyproject.toml as requirements.txt (what Chalice packages into the Lambda)."""
from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def runtime_requirements() -> list[str]:
    return list(tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"])


if __name__ == "__main__":
    print("# Generated from pyproject.toml by `python -m infra.requirements`; do not edit.")
    print("\n".join(runtime_requirements()))

"""Suite-wide guards installed by tests/conftest.py (autouse)."""
from __future__ import annotations

import pytest

from chalicelib.adapters import aws

FORBIDDEN = {"Scan"}  # DynamoDB Scan reads the whole table: never on a request path or scheduled job


class ScanGuard:
    def __init__(self) -> None:
        self.hits: list[str] = []
        self._seen = 0

    def __call__(self, model=None, **_kw):
        if model is not None and model.name in FORBIDDEN:
            self.hits.append(f"{model.service_model.service_name}.{model.name}")

    def install(self) -> None:
        aws.add_hook("before-call", self)

    def uninstall(self) -> None:
        aws.remove_hook("before-call", self)

    def check_new(self) -> None:
        new = self.hits[self._seen:]
        self._seen = len(self.hits)
        if new:
            pytest.fail(f"forbidden AWS call(s) through our clients: {new} — use a Query on an index")

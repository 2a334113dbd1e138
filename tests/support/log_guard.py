"""Captures every log record of the suite, formatted exactly as each real handler would write it, and runs
it through the personal-data detector (tests/support/pii.py). Installed by tests/conftest.py (autouse).
"""
from __future__ import annotations

import logging
import threading

from .pii import find_pii

WATCHED = ("ulakbel", "")  # the app logger (Powertools + Chalice share it) and the root logger
_FALLBACK = logging.Formatter("%(name)s - %(levelname)s - %(message)s")


class _Capture(logging.Handler):
    def __init__(self, guard: "LogGuard", logger: logging.Logger) -> None:
        super().__init__(level=logging.DEBUG)
        self.guard = guard
        self.logger = logger

    def emit(self, record: logging.LogRecord) -> None:
        formatters = [h.formatter for h in self.logger.handlers if h is not self and h.formatter] or [_FALLBACK]
        for formatter in {id(f): f for f in formatters}.values():
            try:
                line = formatter.format(record)
            except Exception:  # a formatter that cannot format this record writes nothing
                continue
            self.guard.scan(line, source=record.name)


class LogGuard:
    def __init__(self) -> None:
        self.hits: list[str] = []
        self.lines = 0
        self._seen = 0
        self._handlers: list[tuple[logging.Logger, _Capture]] = []
        self._lock = threading.Lock()

    def scan(self, text: str, source: str) -> None:
        found = find_pii(text)
        with self._lock:
            self.lines += 1
            if found:
                self.hits.append(f"{source}: {found} in {text[:300]!r}")

    def install(self) -> None:
        for name in WATCHED:
            logger = logging.getLogger(name)
            handler = _Capture(self, logger)
            logger.addHandler(handler)
            self._handlers.append((logger, handler))

    def uninstall(self) -> None:
        for logger, handler in self._handlers:
            logger.removeHandler(handler)

    def new_hits(self) -> list[str]:
        with self._lock:
            new = self.hits[self._seen:]
            self._seen = len(self.hits)
        return new

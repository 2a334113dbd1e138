"""Bulk import of CİMER / e-Devlet applications: each row is one intake (its own transaction), so a bad
row never blocks good ones and nothing is half-imported; the application number makes re-imports no-ops."""
from __future__ import annotations

from typing import Any, Callable

from ..domain.models import Channel
from .intake import intake


def import_applications(records: list[dict[str, Any]], channel: Channel, repo: Any, *, actor: str,
                        first_row: int = 1, progress: Callable[[int], None] | None = None) -> dict[str, Any]:
    from ..channels.cimer.inbound import iter_commands

    report: dict[str, Any] = {"channel": channel.value, "total": 0, "created": 0, "duplicates": 0, "failed": 0,
                              "items": [], "errors": []}
    for i, number, cmd, error in iter_commands(records, channel, actor=actor):
        row = first_row + i - 1
        report["total"] += 1
        if cmd is None:
            report["failed"] += 1
            report["errors"].append({"row": row, "application_number": number, "message": error})
        else:
            stored, created = intake(cmd, repo)
            report["created" if created else "duplicates"] += 1
            report["items"].append({"row": row, "application_number": number, "request_id": stored.id,
                                    "tracking_code": stored.tracking_code,
                                    "due_at": stored.due_at.isoformat() if stored.due_at else None,
                                    "result": "created" if created else "duplicate"})
        if progress:
            progress(1)
    return report

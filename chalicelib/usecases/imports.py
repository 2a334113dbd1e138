"""Bulk import of CİMER / e-Devlet applications: each row is one intake (its own transaction), so a bad
row never blocks good ones and nothing is half-imported; the application number makes re-imports no-ops."""
from __future__ import annotations

from typing import Any, Callable

from ..domain import identifiers
from ..domain.models import Channel, TimelineEvent, utcnow
from .intake import intake


def import_applications(records: list[dict[str, Any]], channel: Channel, repo: Any, *, actor: str,
                        first_row: int = 1, progress: Callable[[int], None] | None = None) -> dict[str, Any]:
    from ..channels.cimer.inbound import iter_commands, legal_basis_of

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
            if created:  # staff see which law sets the deadline (3071: 30 days, 4982: 15 working days)
                repo.append_events(stored.id, [TimelineEvent(
                    id=identifiers.new_id(), at=utcnow(), type="legal_deadline", actor=actor,
                    data={"legal_basis": legal_basis_of(records[i - 1]), "application_number": number,
                          "due_at": cmd.due_at.isoformat() if cmd.due_at else None})])
            report["created" if created else "duplicates"] += 1
            report["items"].append({"row": row, "application_number": number, "request_id": stored.id,
                                    "tracking_code": stored.tracking_code,
                                    "due_at": stored.due_at.isoformat() if stored.due_at else None,
                                    "result": "created" if created else "duplicate"})
        if progress:
            progress(1)
    return report

"""Bulk import of CİMER / e-Devlet applications: each row is one intake (its own transaction), so a bad
row never blocks good ones and nothing is half-imported; the application number makes re-imports no-ops.

A dry run answers the same per-row report ("would_create" / "duplicate" / error) from reads only: it looks
each application number up and writes nothing."""
from __future__ import annotations

from typing import Any, Callable

from ..domain import identifiers
from ..domain.models import Channel, TimelineEvent, utcnow
from .intake import dedupe_key, intake
from ..domain.texts import both  # user-facing texts, Turkish first: domain/strings.yaml (api.*)


def import_applications(records: list[dict[str, Any]], channel: Channel, repo: Any, *, actor: str,
                        first_row: int = 1, progress: Callable[[int], None] | None = None,
                        dry_run: bool = False) -> dict[str, Any]:
    from ..channels.cimer.inbound import iter_commands, legal_basis_of

    report: dict[str, Any] = {"channel": channel.value, "dry_run": dry_run, "total": 0, "created": 0,
                              "would_create": 0, "duplicates": 0, "failed": 0, "items": [], "errors": []}
    seen: dict[str, Any] = {}  # a dry run still spots a number repeated within the file (key → stored or None)
    for i, number, cmd, error in iter_commands(records, channel, actor=actor):
        row = first_row + i - 1
        report["total"] += 1
        where = _sheet_row(records[i - 1])
        if cmd is None:
            report["failed"] += 1
            report["errors"].append({"row": row, **where, "application_number": number, "message": error})
        elif dry_run:
            key = dedupe_key(channel.value, cmd.channel_ref)
            repeated = key in seen
            if not repeated:
                seen[key] = repo.get_by_dedupe_key(key)
            existing = seen[key]
            duplicate = repeated or existing is not None
            report["duplicates" if duplicate else "would_create"] += 1
            report["items"].append({"row": row, **where, "application_number": number,
                                    "request_id": existing.id if existing else None,
                                    "tracking_code": existing.tracking_code if existing else None,
                                    "legal_basis": legal_basis_of(records[i - 1]),
                                    "due_at": cmd.due_at.isoformat() if cmd.due_at else None,
                                    "result": "duplicate" if duplicate else "would_create"})
        else:
            stored, created = intake(cmd, repo)
            if created:  # staff see which law sets the deadline (3071: 30 days, 4982: 15 working days)
                repo.append_events(stored.id, [TimelineEvent(
                    id=identifiers.new_id(), at=utcnow(), type="legal_deadline", actor=actor,
                    data={"legal_basis": legal_basis_of(records[i - 1]), "application_number": number,
                          "due_at": cmd.due_at.isoformat() if cmd.due_at else None})])
            report["created" if created else "duplicates"] += 1
            report["items"].append({"row": row, **where, "application_number": number, "request_id": stored.id,
                                    "tracking_code": stored.tracking_code,
                                    "legal_basis": legal_basis_of(records[i - 1]),
                                    "due_at": stored.due_at.isoformat() if stored.due_at else None,
                                    "result": "created" if created else "duplicate"})
        if progress:
            progress(1)
    return report


def _sheet_row(record: Any) -> dict[str, int]:
    """{"sheet_row": n} for rows read from an .xlsx (the row number shown in Excel), else nothing."""
    from ..channels.cimer.xlsx import SHEET_ROW

    value = record.get(SHEET_ROW) if isinstance(record, dict) else None
    return {"sheet_row": value} if isinstance(value, int) and not isinstance(value, bool) and value > 0 else {}


MAX_ROWS_PER_REQUEST = 2000  # one HTTP request must finish within API Gateway's 29 s; the CLI sends chunks


def import_file(content: bytes, fmt: str | None, channel: Channel, repo: Any, *, actor: str, first_row: int = 1,
                dry_run: bool = False) -> dict[str, Any]:
    """A whole uploaded export (CSV, JSON or .xlsx) → the per-row report; an unreadable file is InvalidInput."""
    from ..channels.cimer.inbound import FileError, read_records
    from ..domain.errors import InvalidInput

    try:
        records = read_records(content, fmt)
    except FileError as exc:
        raise InvalidInput(str(exc)) from None
    if len(records) > MAX_ROWS_PER_REQUEST:
        raise InvalidInput(both("api.import_rows", n=MAX_ROWS_PER_REQUEST))
    return import_applications(records, channel, repo, actor=actor, first_row=first_row, dry_run=dry_run)

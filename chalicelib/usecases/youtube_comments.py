"""Scheduled YouTube comment polling: new top-level comments since the high-water mark become requests."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any, Protocol

from ..channels.youtube.inbound import parse_comment_threads
from .intake import intake

FIRST_RUN_LOOKBACK = timedelta(days=7)
MAX_PAGES = 5


class CommentMarkStore(Protocol):
    def get_mark(self, channel_id: str) -> datetime | None: ...

    def set_mark(self, channel_id: str, mark: datetime) -> None: ...


def poll_comments(api: Any, marks: CommentMarkStore, repo: Any, channel_id: str, *,
                  now: datetime | None = None, max_pages: int = MAX_PAGES) -> dict[str, int]:
    """Pages newest-first until the mark; the mark only moves after every comment is taken in,
    so a crash re-polls (and intake's channel_ref dedupe makes the re-poll a no-op)."""
    since = marks.get_mark(channel_id) or (now or datetime.now(timezone.utc)) - FIRST_RUN_LOOKBACK
    newest = since
    created = seen = ignored = 0
    token = None
    for _ in range(max_pages):
        page = parse_comment_threads(api.comment_threads(channel_id, token), channel_id, since)
        for cmd in page.commands:
            _, was_created = intake(cmd, repo)
            seen += 1
            created += int(was_created)
        ignored += page.ignored
        if page.newest and page.newest > newest:
            newest = page.newest
        token = page.next_page_token
        if page.reached_mark or not token:
            break
    if newest > since:
        marks.set_mark(channel_id, newest)
    return {"comments": seen, "created": created, "ignored": ignored}

"""Poll Netgsm's inbox over overlapping date windows; each message enters intake once (content hash).

The window state (one item per poller) only advances after a window was fully taken in, so a failure means the
next run re-reads it; the overlap covers clock skew and late-indexed messages; intake dedupes the overlap.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from ..domain.models import utcnow
from . import consent
from .intake import intake

OVERLAP = timedelta(minutes=5)
MAX_WINDOWS_PER_RUN = 48


def poll(inbox: Any, repo: Any, *, window: timedelta, now: datetime | None = None) -> dict[str, Any]:
    now = now or utcnow()
    state = repo.netgsm_poll_state()
    last = state.get("last_stop")
    start = (datetime.fromisoformat(last) - OVERLAP) if last else now - window
    report = {"windows": 0, "messages": 0, "created": 0, "duplicates": 0, "opted_out": 0}
    while start < now and report["windows"] < MAX_WINDOWS_PER_RUN:
        stop = min(start + window, now)
        messages = inbox.fetch(start, stop)  # raises NetgsmError: state stays, the window is retried
        from ..channels.netgsm.inbound import sms_command

        for sms in messages:
            report["messages"] += 1
            cmd = sms_command(sms)
            if consent.is_opt_out_message(cmd.text):
                if cmd.citizen and cmd.citizen.phone:
                    consent.opt_out(repo, "sms", cmd.citizen.phone, source="netgsm")
                report["opted_out"] += 1
                continue
            _, created = intake(cmd, repo)
            report["created" if created else "duplicates"] += 1
        repo.save_netgsm_poll_state(stop)
        report["windows"] += 1
        if stop >= now:
            break
        start = stop - OVERLAP
    return report

"""e-Devlet (turkiye.gov.tr) applications: no public push API; the institution exports them from its
e-Devlet integrated service / e-Belediye panel. Same CSV/JSON reader and legal deadlines as CİMER
(`Takip No` is accepted as the application number)."""
from __future__ import annotations

from typing import Any

from ...domain.models import Channel, IntakeCommand
from ..cimer.inbound import FileError, RowError, iter_commands, read_records  # noqa: F401

CHANNEL = Channel.e_devlet


def row_command(record: dict[str, Any], *, actor: str = "import") -> IntakeCommand:
    from ..cimer.inbound import row_command as cimer_row

    return cimer_row(record, CHANNEL, actor=actor)

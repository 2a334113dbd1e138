"""Further `ulakbel` subcommands. Each registrar takes the argparse subparsers object."""
from __future__ import annotations

REGISTRARS: list = []

from .outbox import register as _register_outbox  # noqa: E402  (issue 8)

REGISTRARS.append(_register_outbox)

"""Further `ulakbel` subcommands. Each registrar takes the argparse subparsers object."""
from __future__ import annotations

REGISTRARS: list = []

from .dlq import register as _register_dlq  # noqa: E402  `ulakbel dlq list|replay`

REGISTRARS.append(_register_dlq)

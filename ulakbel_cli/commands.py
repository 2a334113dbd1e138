"""Further `ulakbel` subcommands. Each registrar takes the argparse subparsers object."""
from __future__ import annotations

REGISTRARS: list = []

from .open311_keys import register as _open311_keys  # noqa: E402

REGISTRARS.append(_open311_keys)

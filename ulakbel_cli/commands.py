"""Further `ulakbel` subcommands. Each registrar takes the argparse subparsers object."""
from __future__ import annotations

REGISTRARS: list = []

from .imports import register as _register_imports  # noqa: E402  (issue 4: ulakbel import cimer|e-devlet)

REGISTRARS.append(_register_imports)

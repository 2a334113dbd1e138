"""Further `ulakbel` subcommands. Each registrar takes the argparse subparsers object."""
from __future__ import annotations

REGISTRARS: list = []

from .sign_webhook import register as _sign_webhook  # noqa: E402  (social channels)

REGISTRARS.append(_sign_webhook)

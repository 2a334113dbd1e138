"""Further `ulakbel` subcommands. Each registrar takes the argparse subparsers object."""
from __future__ import annotations

REGISTRARS: list = []

from .sign_webhook import register as _sign_webhook  # noqa: E402  (social channels)

REGISTRARS.append(_sign_webhook)
from .open311_keys import register as _open311_keys  # noqa: E402

REGISTRARS.append(_open311_keys)
from .imports import register as _register_imports  # noqa: E402  (issue 4: ulakbel import cimer|e-devlet)

REGISTRARS.append(_register_imports)
from .outbox import register as _register_outbox  # noqa: E402  (issue 8)

REGISTRARS.append(_register_outbox)
from .dlq import register as _register_dlq  # noqa: E402  `ulakbel dlq list|replay`

REGISTRARS.append(_register_dlq)
from .staff import register as _register_staff  # noqa: E402  `ulakbel users add`

REGISTRARS.append(_register_staff)
from .vapid_keys import register as _register_vapid  # noqa: E402  (issue 22: `ulakbel vapid-keys`)

REGISTRARS.append(_register_vapid)
from .check_config import register as _register_check_config  # noqa: E402  (issue 22: `ulakbel check-config`)

REGISTRARS.append(_register_check_config)

from .train import register as _register_train  # noqa: E402  `ulakbel train` (issue 18)

REGISTRARS.append(_register_train)

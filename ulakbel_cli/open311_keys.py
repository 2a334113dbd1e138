"""`ulakbel open311-key --name APP`: issue an Open311 API key for one app; printed once, stored hashed."""
from __future__ import annotations

import sys


def _cmd(args) -> int:
    from chalicelib import container
    from chalicelib.domain.errors import DomainError
    from chalicelib.usecases.open311 import issue_api_key

    from .running import connect_aws

    connect_aws()  # the running `ulakbel dev` of this checkout, or a deployed stage with AWS credentials
    try:
        key = issue_api_key(container.repository(), args.name.strip())
    except DomainError as exc:
        print(f"ulakbel open311-key: {exc.message}", file=sys.stderr)
        return 2
    print(key)
    print(f"# API key for '{args.name.strip()}': shown only now, stored as a SHA-256 hash / "
          "anahtar yalnızca şimdi gösterilir", file=sys.stderr)
    return 0


def register(sub) -> None:
    parser = sub.add_parser("open311-key", help="issue an Open311 api_key for a mobile/civic app (printed once)")
    parser.add_argument("--name", required=True, help="the app's name, e.g. 'Talas Mobil'")
    parser.set_defaults(func=_cmd)

"""`ulakbel open311-key --name APP`: issue an Open311 API key for one app; printed once, stored as an HMAC
under OPEN311_KEY_PEPPER (the same pepper the running system verifies with)."""
from __future__ import annotations

import os
import sys


def _use_the_systems_pepper() -> None:
    """The key must verify on the system this checkout runs: on `local` its pepper is the one in
    .ulakbel/dev-secrets.json; on a deployed stage it is the stage's Secrets Manager secret."""
    from chalicelib import config, container

    stage = container.settings().stage
    if config.is_local(stage):
        if not os.environ.get("OPEN311_KEY_PEPPER"):
            from .home import dev_secrets

            os.environ["OPEN311_KEY_PEPPER"] = dev_secrets()["OPEN311_KEY_PEPPER"]
            container.reset()
    elif not os.environ.get("OPEN311_KEY_PEPPER" + config.SECRET_ID_SUFFIX):
        os.environ["OPEN311_KEY_PEPPER" + config.SECRET_ID_SUFFIX] = config.secret_name(stage, "OPEN311_KEY_PEPPER")
        container.reset()


def _cmd(args) -> int:
    from chalicelib import container
    from chalicelib.domain.errors import DomainError
    from chalicelib.usecases.open311 import issue_api_key

    from .running import connect_aws

    connect_aws()  # the running `ulakbel dev` of this checkout, or a deployed stage with AWS credentials
    _use_the_systems_pepper()
    try:
        key = issue_api_key(container.repository(), args.name.strip(), container.settings().open311_key_pepper)
    except DomainError as exc:
        print(f"ulakbel open311-key: {exc.message}", file=sys.stderr)
        return 2
    print(key)
    print(f"# API key for '{args.name.strip()}': shown only now, stored as an HMAC (OPEN311_KEY_PEPPER) / "
          "anahtar yalnızca şimdi gösterilir", file=sys.stderr)
    return 0


def register(sub) -> None:
    parser = sub.add_parser("open311-key", help="issue an Open311 api_key for a mobile/civic app (printed once)")
    parser.add_argument("--name", required=True, help="the app's name, e.g. 'Talas Mobil'")
    parser.set_defaults(func=_cmd)

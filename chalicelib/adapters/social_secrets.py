"""Channel secrets (webhook signatures, platform keys) by setting name: see Settings.secret.

local/test: the environment value; deployed stages: the Secrets Manager secret named by `<NAME>_SECRET_ID`.
A missing one is None here (the webhook answers 401: cannot verify), and /health reports it.
"""
from __future__ import annotations


def secret(name: str) -> str | None:
    from .. import container

    return container.settings().secret(name)

"""`ulakbel vapid-keys`: a fresh VAPID key pair for Web Push (issue 22). The private half goes into the stage's
Secrets Manager secret ulakbel/<stage>/VAPID_PRIVATE_KEY; the app receives the public half from the server."""
from __future__ import annotations

import json


def _cmd(args) -> int:
    from chalicelib.channels.webpush.outbound import generate_vapid_private_key, vapid_public_key

    private = generate_vapid_private_key()
    print(json.dumps({"VAPID_PRIVATE_KEY": private, "public_key": vapid_public_key(private),
                      "store_with": f"aws secretsmanager put-secret-value --secret-id ulakbel/{args.stage}/"
                                    "VAPID_PRIVATE_KEY --secret-string <VAPID_PRIVATE_KEY>"}, indent=2))
    return 0


def register(sub) -> None:
    p = sub.add_parser("vapid-keys", help="print a new VAPID key pair for Web Push (store the private half as a secret)")
    p.add_argument("--stage", default="prod", help="stage whose secret the printed command fills (default prod)")
    p.set_defaults(func=_cmd)

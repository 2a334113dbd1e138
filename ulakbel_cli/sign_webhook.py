"""`ulakbel sign-webhook meta|x|youtube FILE`: the signature header a platform would send for FILE's bytes,
signed with the dev secrets (environment first, else .ulakbel/dev-secrets.json) — or, beside
`ulakbel dev --stage prod`, with the secret in its Secrets Manager — ready for curl -H."""
from __future__ import annotations

import sys
from pathlib import Path

SECRET = {"meta": "META_APP_SECRET", "x": "X_CONSUMER_SECRET", "youtube": "YOUTUBE_WEBSUB_SECRET"}


def signature_header(platform: str, raw: bytes, secret: str) -> str:
    if platform == "meta":
        from chalicelib.channels.meta.inbound import SIGNATURE_HEADER, sign
    elif platform == "x":
        from chalicelib.channels.x.inbound import SIGNATURE_HEADER, sign
    else:
        from chalicelib.channels.youtube.inbound import SIGNATURE_HEADER, sign
    return f"{SIGNATURE_HEADER}: {sign(raw, secret)}"


def _secret(name: str) -> str:
    """The running `ulakbel dev --stage prod` keeps its secrets in (moto's) Secrets Manager; else dev secrets."""
    from .running import find

    dev = find()
    if dev is not None and dev.stage != "local":
        import boto3

        from chalicelib import resources

        from .running import MOTO_CREDENTIAL

        sm = boto3.session.Session(aws_access_key_id=MOTO_CREDENTIAL, aws_secret_access_key=MOTO_CREDENTIAL,
                                   region_name=dev.region).client("secretsmanager", endpoint_url=dev.moto_endpoint)
        return sm.get_secret_value(SecretId=resources.secret_name(dev.stage, name))["SecretString"]
    from .home import dev_secrets

    return dev_secrets()[name]


def _cmd(args) -> int:
    raw = sys.stdin.buffer.read() if args.file == "-" else Path(args.file).read_bytes()
    print(signature_header(args.platform, raw, _secret(SECRET[args.platform])))
    return 0


def register(sub) -> None:
    p = sub.add_parser("sign-webhook", help="print the signature header for a webhook body (dev secrets)")
    p.add_argument("platform", choices=sorted(SECRET))
    p.add_argument("file", help="the exact body bytes to send ('-' for stdin)")
    p.set_defaults(func=_cmd)

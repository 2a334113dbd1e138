"""Entry point of the `ulakbel` command."""
from __future__ import annotations

import argparse
import sys


def _cmd_dev(args) -> int:
    from .dev import run

    return run(args.port, args.seed_demo, args.schedule_seconds, stage=args.stage,
               stream_batch_size=args.stream_batch_size, stream_parallelism=args.stream_parallelism,
               preload_history=args.preload_history)


def _cmd_token(args) -> int:
    from .staff import cmd_token

    return cmd_token(args)


def _cmd_classify(args) -> int:
    from chalicelib.understanding.cli import run_classify

    return run_classify(sys.stdin, sys.stdout)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ulakbel", description="ulakbel — citizen communication platform")
    sub = parser.add_subparsers(dest="command", required=True)

    dev = sub.add_parser("dev", help="run the whole system locally against an embedded AWS (moto)")
    dev.add_argument("--stage", choices=["local", "prod"], default="local",
                     help="local: dev secrets and tokens (make run); prod: the prod configuration on moto")
    dev.add_argument("--port", type=int, default=8000)
    dev.add_argument("--seed-demo", action="store_true", help="load demo requests")
    dev.add_argument("--schedule-seconds", type=float, default=None,
                     help="run every scheduled function at this interval instead of its AWS schedule")
    dev.add_argument("--stream-batch-size", type=int, default=None,
                     help="stream records per consumer invocation (Lambda BatchSize; env ULAKBEL_STREAM_BATCH_SIZE, "
                          "default 100)")
    dev.add_argument("--stream-parallelism", type=int, default=None,
                     help="concurrent batches per stream shard (Lambda ParallelizationFactor 1-10; env "
                          "ULAKBEL_STREAM_PARALLELISM, default 1)")
    dev.add_argument("--preload-history", type=int, default=0, metavar="N",
                     help="write N past requests into the table before starting (volume tests, benchmarks)")
    dev.set_defaults(func=_cmd_dev)

    token = sub.add_parser("token", help="print a bearer token for the running `ulakbel dev` (its stage)")
    token.add_argument("--role", required=True, choices=["admin", "agent", "department", "viewer"])
    token.add_argument("--department", default=None)
    token.add_argument("--sub", default=None)
    token.add_argument("--lead", action="store_true", help="department lead (may assign)")
    token.add_argument("--ttl-hours", type=int, default=12)
    token.set_defaults(func=_cmd_token)

    classify = sub.add_parser("classify", help="classify JSON lines or plain text lines from stdin")
    classify.set_defaults(func=_cmd_classify)

    for register in _extensions():
        register(sub)
    return parser


def _extensions():
    """Subcommands contributed by other parts of the system (imports, keys, DLQ tools)."""
    from . import commands

    return commands.REGISTRARS


def main(argv: list[str] | None = None) -> int:
    import chalicelib.container  # noqa: F401  (the composition root hands the settings to loaders and adapters)

    args = build_parser().parse_args(argv)
    from botocore.exceptions import EndpointConnectionError, NoCredentialsError, NoRegionError

    from .running import NO_CREDENTIALS, CliError

    try:
        return args.func(args) or 0
    except CliError as exc:
        print(f"ulakbel {args.command}: {exc}", file=sys.stderr)
        return 2
    except (NoCredentialsError, NoRegionError):
        print(f"ulakbel {args.command}: {NO_CREDENTIALS}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `ulakbel outbox --json | head`
        return 0
    except EndpointConnectionError as exc:
        print(f"ulakbel {args.command}: AWS'ye ulaşılamadı / cannot reach AWS at {exc.kwargs.get('endpoint_url')}"
              " (has `ulakbel dev` stopped?)", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())

"""`ulakbel check-config [--municipality NAME|PATH]`: validate a municipality's folder before deploying it
(issue 22, docs/municipality.md). Exit 0 when valid; 1 with every problem listed; 2 when the folder is not
found."""
from __future__ import annotations

import sys


def cmd_check_config(args) -> int:
    from chalicelib import container
    from chalicelib.domain import data_files
    from chalicelib.usecases.municipality_check import check_folder, render

    selector = args.municipality if args.municipality is not None else container.settings().municipality
    try:
        folder = data_files.resolve_folder(selector)
    except ValueError as exc:
        print(f"ulakbel check-config: {exc}", file=sys.stderr)
        return 2
    report = check_folder(folder)
    print(render(report))
    return 0 if report.ok else 1


def register(sub) -> None:
    p = sub.add_parser("check-config", help="validate a municipality's folder (municipalities/<name>/) / "
                                            "belediye klasörünü denetle")
    p.add_argument("--municipality", default=None, metavar="NAME|PATH",
                   help="folder name under municipalities/ or a path (default: ULAKBEL_MUNICIPALITY, else "
                        "municipalities/DEFAULT)")
    p.set_defaults(func=cmd_check_config)

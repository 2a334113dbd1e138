"""`ulakbel import cimer FILE` / `ulakbel import e-devlet FILE`: send an export (CSV, JSON or .xlsx) to the
API in chunks, with a progress bar and a per-row error report (bad rows never block good ones; re-running is
safe). The file is read here (an .xlsx with the same limits as the API) and sent as JSON rows.
`--dry-run` asks the API for the same report without writing anything and prints every row."""
from __future__ import annotations

import json
import os
import sys
import urllib.error
import urllib.request
from pathlib import Path

KINDS = {"cimer": "cimer", "e-devlet": "e-devlet", "edevlet": "e-devlet"}


def register(sub) -> None:
    parser = sub.add_parser("import", help="import CİMER / e-Devlet applications (CSV, JSON or .xlsx export)")
    parser.add_argument("kind", choices=sorted(KINDS), help="cimer or e-devlet")
    parser.add_argument("file", type=Path)
    parser.add_argument("--url", default=os.environ.get("ULAKBEL_API_URL"),
                        help="API base URL (default: the running `ulakbel dev` of this checkout)")
    parser.add_argument("--token", default=os.environ.get("ULAKBEL_TOKEN"),
                        help="bearer token (default: an agent token for the running `ulakbel dev`'s stage)")
    parser.add_argument("--chunk", type=int, default=50, help="rows per request")
    parser.add_argument("--report", type=Path, default=None, help="write the full JSON report here")
    parser.add_argument("--dry-run", action="store_true",
                        help="show what would be created (per row: would-create / duplicate / error); write nothing")
    parser.set_defaults(func=run)


def _progress(total: int):
    try:
        from tqdm import tqdm

        return tqdm(total=total, unit="satır", desc="içe aktarılıyor / importing", file=sys.stderr)
    except ImportError:  # pragma: no cover - tqdm ships with the dev extra
        class _Bar:
            def __init__(self):
                self.n = 0

            def update(self, k):
                self.n += k
                print(f"\r{self.n}/{total}", end="", file=sys.stderr)

            def close(self):
                print(file=sys.stderr)

        return _Bar()


def _post(url: str, token: str, rows: list[dict]) -> dict:
    req = urllib.request.Request(url, data=json.dumps(rows, ensure_ascii=False).encode("utf-8"), method="POST",
                                 headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:  # nosec B310 - operator-given API URL
            return json.loads(resp.read())
    except urllib.error.HTTPError as exc:
        body = exc.read().decode("utf-8", "replace")
        try:
            message = json.loads(body)["error"]["message"]
        except (ValueError, KeyError, TypeError):
            message = body[:300]
        raise RuntimeError(f"HTTP {exc.code}: {message}") from None


def run(args) -> int:
    from chalicelib.channels.cimer.inbound import FileError, read_records

    kind = KINDS[args.kind]
    try:
        content = args.file.read_bytes()
    except OSError as exc:
        print(f"ulakbel import: {args.file}: {exc.strerror}", file=sys.stderr)
        return 2
    fmt = {".json": "json", ".csv": "csv", ".xlsx": "xlsx"}.get(args.file.suffix.lower())
    try:
        records = read_records(content, fmt)
    except FileError as exc:
        print(f"ulakbel import: {exc}", file=sys.stderr)
        return 2
    from .running import find, require

    dev = find() if args.url else require()  # without --url: the running `ulakbel dev` (or a clear exit 2)
    args.url = args.url or dev.endpoint
    token = args.token
    if not token and dev is not None:
        from .staff import token_for

        token = token_for(dev, role="agent", sub="import-cli")
    elif not token:
        from chalicelib.auth import issue_dev_token

        from .home import dev_secrets

        token = issue_dev_token(dev_secrets()["ULAKBEL_DEV_SIGNING_KEY"], role="agent", sub="import-cli")
    dry_run = bool(getattr(args, "dry_run", False))
    total = {"channel": kind.replace("-", "_"), "dry_run": dry_run, "total": 0, "created": 0, "would_create": 0,
             "duplicates": 0, "failed": 0, "items": [], "errors": []}
    seen: set[str] = set()  # a dry run sees one chunk per request: repeats across chunks are found here
    bar = _progress(len(records))
    try:
        for start in range(0, len(records), max(1, args.chunk)):
            chunk = records[start:start + max(1, args.chunk)]
            url = f"{args.url.rstrip('/')}/imports/{kind}?first_row={start + 1}" + ("&dry_run=1" if dry_run else "")
            try:
                part = _post(url, token, chunk)
            except (RuntimeError, urllib.error.URLError, OSError) as exc:
                for i, _ in enumerate(chunk):
                    total["errors"].append({"row": start + i + 1, "application_number": None,
                                            "message": f"gönderilemedi / not sent: {exc}"})
                total["total"] += len(chunk)
                total["failed"] += len(chunk)
                bar.update(len(chunk))
                continue
            for item in part["items"]:
                if dry_run and item["result"] == "would_create" and item["application_number"] in seen:
                    item["result"] = "duplicate"
                    part["would_create"] -= 1
                    part["duplicates"] += 1
                seen.add(item["application_number"])
            for key in ("total", "created", "would_create", "duplicates", "failed"):
                total[key] += part.get(key, 0)
            total["items"] += part["items"]
            total["errors"] += part["errors"]
            bar.update(len(chunk))
    finally:
        bar.close()
    if dry_run:
        print("DENEME — hiçbir şey yazılmadı / DRY RUN — nothing was written")
        rows = sorted([*total["items"], *({**e, "result": "error"} for e in total["errors"])], key=lambda r: r["row"])
        for r in rows:
            number = (r.get("application_number") or "-") + (f", Excel {r['sheet_row']}" if r.get("sheet_row") else "")
            if r["result"] == "error":
                print(f"  satır/row {r['row']} ({number}): hata / error: {r['message']}")
            elif r["result"] == "duplicate":
                print(f"  satır/row {r['row']} ({number}): zaten var / duplicate"
                      + (f" → {r['tracking_code']}" if r.get("tracking_code") else " (dosyada tekrar / repeated in file)"))
            else:
                print(f"  satır/row {r['row']} ({number}): oluşturulacak / would create, "
                      f"Kanun {r.get('legal_basis') or '-'}, son gün / due {(r.get('due_at') or '-')[:10]}")
        print(f"{total['total']} satır: {total['would_create']} oluşturulacak, {total['duplicates']} zaten var, "
              f"{total['failed']} hatalı / {total['total']} rows: {total['would_create']} would be created, "
              f"{total['duplicates']} duplicates, {total['failed']} failed")
    else:
        print(f"{total['total']} satır: {total['created']} yeni, {total['duplicates']} zaten vardı, "
              f"{total['failed']} hatalı / {total['total']} rows: {total['created']} new, "
              f"{total['duplicates']} already there, {total['failed']} failed")
        for err in total["errors"]:
            excel = f", Excel {err['sheet_row']}" if err.get("sheet_row") else ""
            print(f"  satır/row {err['row']} ({err.get('application_number') or '-'}{excel}): {err['message']}")
    if args.report:
        args.report.write_text(json.dumps(total, ensure_ascii=False, indent=2))
    return 1 if total["failed"] else 0

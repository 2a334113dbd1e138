"""CİMER / e-Devlet export upload (agent, admin): preview (dry run) or import, from the console."""
from __future__ import annotations

from typing import Any

from chalice import Response

from ... import container
from ...domain.errors import InvalidInput
from ...domain.texts import both  # every user-facing text: domain/strings.yaml
from ..http import endpoint, lazy
from .page import bp, check_csrf, context, html, page_error, render

models = lazy("chalicelib.domain.models")  # imported on first use (cold start)

IMPORT_KINDS = {"cimer": ("CİMER", "cimer"), "e-devlet": ("e-Devlet", "e_devlet")}
MAX_UPLOAD_BYTES = 5 * 1024 * 1024 + 64 * 1024  # the 5 MB file and the form around it


def multipart(request) -> tuple[dict[str, str], dict[str, tuple[str, bytes]]]:
    """multipart/form-data → (text fields, files as (file name, bytes)); bytes stay exact (no decoding)."""
    from email.parser import BytesParser
    from email.policy import HTTP

    ctype = request.headers.get("content-type") or ""
    if not ctype.lower().startswith("multipart/form-data") or "boundary=" not in ctype or any(
            c in ctype for c in "\r\n"):
        raise InvalidInput(both("err.multipart"))
    raw = request.raw_body or b""
    raw = raw if isinstance(raw, bytes) else raw.encode("utf-8", "surrogateescape")
    msg = BytesParser(policy=HTTP).parsebytes(f"Content-Type: {ctype}\r\n\r\n".encode("latin-1", "replace") + raw)
    if not msg.is_multipart():
        raise InvalidInput(both("err.form_unreadable"))
    fields: dict[str, str] = {}
    files: dict[str, tuple[str, bytes]] = {}
    for part in msg.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not name or name in fields or name in files:
            continue
        payload = part.get_payload(decode=True) or b""
        filename = part.get_filename()
        if filename is not None:
            files[str(name)] = (str(filename), payload)
        else:
            fields[str(name)] = payload.decode("utf-8", "replace")
    return fields, files


def _import_page(principal, request, **extra: Any) -> Response:
    return html(render("imports.html", **context(principal, request, active="imports", kinds=IMPORT_KINDS,
                                                 **extra)))


@endpoint(bp, "/console/imports", cookie_auth=True, on_error=page_error)
def imports_page(principal, request):
    principal.require("agent", "admin")
    return _import_page(principal, request, kind="cimer", report=None, rows=[])


@endpoint(bp, "/console/imports", ["POST"], cookie_auth=True, on_error=page_error,
          content_types=["multipart/form-data"], max_body=MAX_UPLOAD_BYTES)
def imports_upload(principal, request):
    """Upload a CİMER / e-Devlet export (.xlsx, CSV, JSON); `mode=dry_run` previews, `mode=import` imports."""
    from ...usecases.imports import import_file

    principal.require("agent", "admin")
    fields, files = multipart(request)
    check_csrf(request, fields)
    kind = fields.get("kind", "")
    if kind not in IMPORT_KINDS:
        raise InvalidInput(both("err.import_source"))
    filename, content = files.get("file", ("", b""))
    if not content:
        raise InvalidInput(both("err.no_file"))
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    fmt = suffix if suffix in ("xlsx", "csv", "json") else None
    dry_run = fields.get("mode") != "import"
    report = import_file(content, fmt, models.Channel(IMPORT_KINDS[kind][1]), container.repository(),
                         actor=principal.actor, dry_run=dry_run)
    rows = sorted([*report["items"], *({**e, "result": "error"} for e in report["errors"])], key=lambda r: r["row"])
    return _import_page(principal, request, kind=kind, report=report, rows=rows, filename=filename[:200])

"""POST /imports/cimer and /imports/e-devlet: a CİMER / e-Devlet export (CSV, JSON or .xlsx) → requests.

Role agent or admin. Always answers with a per-row report; 400 only when the file as a whole is unreadable.
`?dry_run=1` answers the same report ("would_create" / "duplicate" / error) and writes nothing.
"""
from __future__ import annotations

from chalice import Blueprint

from .. import container
from ..domain.errors import InvalidInput
from .http import lazy, endpoint, int_param, query_params
from ..domain.texts import both  # user-facing texts, Turkish first: domain/strings.yaml (api.*)

models = lazy("chalicelib.domain.models")  # imported on first use (cold start)
imports_uc = lazy("chalicelib.usecases.imports")

bp = Blueprint(__name__)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"  # in app.api.binary_types
FILE_TYPES = ["text/csv", "application/json", "text/plain", "application/vnd.ms-excel", "application/octet-stream",
              XLSX]
MAX_IMPORT_BYTES = 5 * 1024 * 1024


def file_format(content_type: str) -> str | None:
    ctype = (content_type or "").lower()
    if "spreadsheetml" in ctype:
        return "xlsx"
    return "json" if "json" in ctype else "csv" if "csv" in ctype else None  # else sniffed (zip magic → xlsx)


def flag(params: dict[str, str], name: str) -> bool:
    value = (params.get(name) or "").strip().lower()
    if value in ("", "0", "false", "no", "hayir", "hayır"):
        return False
    if value in ("1", "true", "yes", "evet", "on"):
        return True
    raise InvalidInput(both("api.flag", name=name))


def _import(principal, request, channel: models.Channel):
    principal.require("agent", "admin")
    params = query_params(request)
    first_row = int_param(params, "first_row", 1, 1, 10_000_000)
    raw = request.raw_body or b""
    return imports_uc.import_file(raw if isinstance(raw, bytes) else raw.encode("utf-8"),
                                  file_format(request.headers.get("content-type") or ""), channel,
                                  container.repository(), actor=principal.actor, first_row=first_row,
                                  dry_run=flag(params, "dry_run"))


@endpoint(bp, "/imports/cimer", ["POST"], content_types=FILE_TYPES, max_body=MAX_IMPORT_BYTES,
          query=("first_row", "dry_run"))
def import_cimer(principal, request):
    return _import(principal, request, models.Channel.cimer)


@endpoint(bp, "/imports/e-devlet", ["POST"], content_types=FILE_TYPES, max_body=MAX_IMPORT_BYTES,
          query=("first_row", "dry_run"))
def import_edevlet(principal, request):
    return _import(principal, request, models.Channel.e_devlet)

"""POST /imports/cimer and /imports/e-devlet: a CİMER / e-Devlet export (CSV or JSON) → requests.

Role agent or admin. Always answers with a per-row report; 400 only when the file as a whole is unreadable.
"""
from __future__ import annotations

from chalice import Blueprint

from .. import container
from ..channels.cimer import inbound as reader
from ..domain.errors import InvalidInput
from ..domain.models import Channel
from ..usecases.imports import import_applications
from .http import endpoint, int_param, query_params

bp = Blueprint(__name__)

FILE_TYPES = ["text/csv", "application/json", "text/plain", "application/vnd.ms-excel", "application/octet-stream"]
MAX_IMPORT_BYTES = 5 * 1024 * 1024


def _import(principal, request, channel: Channel):
    principal.require("agent", "admin")
    ctype = (request.headers.get("content-type") or "").lower()
    fmt = "json" if "json" in ctype else "csv" if "csv" in ctype else None
    try:
        records = reader.read_records(request.raw_body or b"", fmt)
    except reader.FileError as exc:
        raise InvalidInput(str(exc)) from None
    first_row = int_param(query_params(request), "first_row", 1, 1, 10_000_000)
    return import_applications(records, channel, container.repository(), actor=principal.actor,
                               first_row=first_row)


@endpoint(bp, "/imports/cimer", ["POST"], content_types=FILE_TYPES, max_body=MAX_IMPORT_BYTES)
def import_cimer(principal, request):
    return _import(principal, request, Channel.cimer)


@endpoint(bp, "/imports/e-devlet", ["POST"], content_types=FILE_TYPES, max_body=MAX_IMPORT_BYTES)
def import_edevlet(principal, request):
    return _import(principal, request, Channel.e_devlet)

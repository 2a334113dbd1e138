"""GET /analytics/... — dashboard JSON, CSV/XLSX export and the public aggregates (issue 9)."""
from __future__ import annotations

import csv
import io
from datetime import date

from chalice import Blueprint, Response

from .. import container
from ..domain.errors import InvalidInput
from .http import lazy, endpoint, query_params
from ..domain.texts import both  # user-facing texts, Turkish first: domain/strings.yaml (api.*)

analytics = lazy("chalicelib.usecases.analytics")  # imported on first use (cold start)

bp = Blueprint(__name__)
MAX_DAYS = 731


def _day(params, name, default: date) -> date:
    value = params.get(name)
    if not value:
        return default
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        raise InvalidInput(both("api.day", name=name)) from None


def filters_from(params: dict[str, str]) -> analytics.Filters:
    since_default, until_default = analytics.default_range()
    since, until = _day(params, "since", since_default), _day(params, "until", until_default)
    if since > until:
        raise InvalidInput(both("api.since_until"))
    if (until - since).days > MAX_DAYS:
        raise InvalidInput(both("api.range_days", n=MAX_DAYS))
    return analytics.Filters(since=since, until=until, channel=params.get("channel") or None,
                             department=params.get("department") or None)


def dashboard_for(principal, request) -> dict:
    return analytics.dashboard(container.analytics_store(), principal, filters_from(query_params(request)))


@endpoint(bp, "/analytics/summary", cookie_auth=True)
def summary(principal, request):
    return dashboard_for(principal, request)


@endpoint(bp, "/analytics/matrix", cookie_auth=True)
def matrix(principal, request):
    data = dashboard_for(principal, request)
    return {"filters": data["filters"], "matrix": data["matrix"]}


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell_text(value):
    """Formula injection (CSV/XLSX): a text cell that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`,
    tab, CR first, as OWASP lists) gets a leading apostrophe. Neighbourhood names and texts can come from
    imports; numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def safe_rows(rows: list[list]) -> list[list]:
    return [[cell_text(v) for v in row] for row in rows]


def csv_text(tables: dict[str, list[list]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    for name, rows in tables.items():
        writer.writerow([cell_text(f"# {name}")])
        writer.writerows(safe_rows(rows))
        writer.writerow([])
    return "\ufeff" + out.getvalue()  # BOM: Excel opens Turkish letters correctly


def xlsx_bytes(tables: dict[str, list[list]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, rows in tables.items():
        sheet = book.create_sheet(title=name[:31])
        for row in safe_rows(rows):
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@endpoint(bp, "/analytics/export", cookie_auth=True)
def export(principal, request):
    params = query_params(request)
    fmt = params.get("format", "csv")
    tables = analytics.export_tables(dashboard_for(principal, request))
    if fmt == "csv":
        return Response(body=csv_text(tables), status_code=200, headers={
            "Content-Type": "text/csv; charset=utf-8", "Cache-Control": "no-store",
            "Content-Disposition": 'attachment; filename="ulakbel-analitik.csv"'})
    if fmt == "xlsx":
        return Response(body=xlsx_bytes(tables), status_code=200, headers={
            "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "Cache-Control": "no-store",
            "Content-Disposition": 'attachment; filename="ulakbel-analitik.xlsx"'})
    raise InvalidInput(both("api.export_format"))


@endpoint(bp, "/analytics/public", auth=False)
def public(principal, request):
    from .http import json_response

    return json_response(analytics.public(container.analytics_store()),
                         headers={"Cache-Control": "public, max-age=300"})

"""The staff analytics page (/console/analytics): charts, tables and the neighbourhood map."""
from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from ... import container
from ...domain.texts import both  # every user-facing text: domain/strings.yaml
from ..http import endpoint, query_params
from .page import bp, context, html, page_error, render


def _line(labels, rows, key_label, title, chart_id, top: int = 6):
    """A weekly line chart of the `top` series (the rest summed as "Diğer") and its table rows."""
    from ...web.charts import line_chart

    shown = rows[:top]
    rest = rows[top:]
    series = [(key_label(r["key"]), r["values"]) for r in shown]
    if rest:
        series.append((both("an.other"), [sum(v) for v in zip(*(r["values"] for r in rest))]))
    table = [[w, *(vals[i] for _, vals in series)] for i, w in enumerate(labels)]
    return line_chart(labels, series, title=title, chart_id=chart_id), [n for n, _ in series], table


def analytics_figures(charts: dict[str, Any]) -> dict[str, Any]:
    from ...web.charts import line_chart, scale_class
    from ...web.render import CHANNEL_LABELS, department_labels

    weeks = charts["weeks"]
    short = [w.split("-W")[1] for w in weeks]
    ch_name = lambda c: CHANNEL_LABELS.get(c, ("", c))[1].split(" / ")[0]  # noqa: E731
    dep_name = lambda d: department_labels().get(d, d).replace(" Müdürlüğü", "")  # noqa: E731
    ch_svg, ch_keys, ch_rows = _line(short, charts["channel_weekly"], ch_name,
                                     both("an.chart_channels"), "chart-channels")
    dep_svg, dep_keys, dep_rows = _line(short, charts["department_weekly"], dep_name,
                                        both("an.chart_departments"),
                                        "chart-departments")
    sla = charts["sla_weekly"]
    sla_svg = line_chart(short, [(both("an.on_time"), [r["ratio"] for r in sla])], percent=True,
                         title=both("an.chart_sla"), chart_id="chart-sla")
    m = charts["matrix"]
    heat = [[ch_name(c), *[(v := m["cells"].get(f"{c}|{d}", 0), scale_class(v, m["top"]) if v else None)
                           for d in m["departments"]]] for c in m["channels"]]
    return {
        "channels": {"svg": ch_svg, "headers": [both("pub.week"), *ch_keys], "rows": ch_rows},
        "departments": {"svg": dep_svg, "headers": [both("pub.week"), *dep_keys], "rows": dep_rows},
        "sla": {"svg": sla_svg, "headers": [both("pub.week"), both("an.on_time"), both("an.resolved_sla")],
                "rows": [[w, f"%{r['ratio'] * 100:.0f}" if r["ratio"] is not None else None, r["n"]]
                         for w, r in zip(weeks, sla)]},
        "matrix": {"departments": [dep_name(d) for d in m["departments"]], "rows": heat},
    }


@endpoint(bp, "/console/analytics", cookie_auth=True, on_error=page_error)
def analytics_page(principal, request):
    from ...usecases import analytics
    from ...web.render import map_choropleth
    from ..analytics_api import filters_from

    params = query_params(request)
    data = analytics.dashboard_with_charts(container.analytics_store(), principal, filters_from(params))
    matrix = {(r["neighbourhood"], r["category"]): r for r in data["matrix"]}
    cats = [c["category"] for c in data["categories"]][:12]
    nbhs = [n["neighbourhood"] for n in data["neighbourhoods"]]
    qs = urlencode({k: v for k, v in data["filters"].items() if v})
    mode = "overdue" if params.get("map") == "overdue" else "volume"
    counts = {n["neighbourhood"]: n["count"] for n in data["neighbourhoods"]}
    if mode == "overdue":
        values = {n["neighbourhood"]: (n["overdue"] / n["open"] if n["open"] else None) for n in data["neighbourhoods"]}
        the_map = map_choropleth({k: v for k, v in values.items() if v is not None}, percent=True, counts=counts,
                                 what=both("an.map_overdue"))
    else:
        the_map = map_choropleth(counts, counts=None, what=both("an.map_volume"))
    return html(render("analytics.html", **context(
        principal, request, active="analytics", d=data, matrix=matrix, matrix_cats=cats, matrix_nbhs=nbhs,
        qs=qs, map=the_map, map_mode=mode, fig=analytics_figures(data["charts"]))))

"""The public transparency page (/seffaf): aggregates only, small counts hidden."""
from __future__ import annotations

from ... import container
from ...domain.texts import both  # every user-facing text: domain/strings.yaml
from ..http import endpoint
from .page import bp, html, page_error, render


@endpoint(bp, "/seffaf", auth=False, on_error=page_error)
def seffaf(principal, request):
    from ...usecases import analytics
    from ...web.charts import line_chart
    from ...web.render import map_choropleth

    data, charts = analytics.public_page(container.analytics_store())
    shown = [n for n in data["neighbourhoods"] if not n["suppressed"]]
    the_map = map_choropleth({n["neighbourhood"]: n["count"] for n in shown},
                             suppressed=frozenset(n["neighbourhood"] for n in data["neighbourhoods"] if n["suppressed"]),
                             what=both("pub.map_what"))
    short = [w.split("-W")[1] for w in charts["weeks"]]
    weekly = line_chart(short, [(both("pub.requests"), [w["count"] for w in charts["weekly"]])],
                        title=both("pub.chart_weekly"), chart_id="pub-weekly")
    resolved = line_chart(short, [(both("pub.resolved"), [w["resolved_ratio"] for w in charts["weekly"]])],
                          percent=True, title=both("pub.chart_resolved"), chart_id="pub-resolved")
    from ...web.render import fmt_ratio

    body = render("seffaf.html", principal=None, d=data, days=90, map=the_map, charts=charts,
                  weekly=weekly, resolved=resolved,
                  weekly_rows=[[w["week"], "< 5" if w["count"] is None else w["count"]] for w in charts["weekly"]],
                  resolved_rows=[[w["week"], fmt_ratio(w["resolved_ratio"])] for w in charts["weekly"]])
    return html(body, headers={"Cache-Control": "public, max-age=300"})

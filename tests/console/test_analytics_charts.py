"""Analytics at a glance: a labelled choropleth per mahalle with a legend, weekly charts with captions and
table views, the channel × department matrix; /seffaf with the same map under k-anonymity (counts < 5 hidden)."""
from __future__ import annotations

import re
from datetime import date

from chalicelib.understanding import neighbourhoods
from chalicelib.domain.analytics import Cell, Filters
from chalicelib.usecases.analytics_charts import chart_data, weeks_of
from chalicelib.web.charts import line_chart, scale_class
from tests.console.helpers import create, session, text_of

MEVLANA = ["Mevlana mahallesinde çöpler toplanmadı", "Mevlana mahallesinde sokak lambası yanmıyor",
           "Mevlana mahallesinde yolda çukur var", "Mevlana mahallesinde park bakımsız",
           "Mevlana mahallesinde kaldırım kırık", "Mevlana mahallesinde su borusu patladı"]


def shapes(html: str) -> dict[str, str]:
    return {name: style for name, style in re.findall(r'data-mahalle="([^"]+)"[^>]*?(?:style="([^"]*)")?>', html)}


def test_analytics_page_map_charts_and_tables(client, pump, aws):
    for n, text in enumerate(MEVLANA):
        create(client, text, f"an-{n}", channel="whatsapp" if n % 2 else "phone")
    create(client, "Harman mahallesinde köpekler havlıyor", "an-h", channel="sms")
    pump.drain()
    headers, _ = session("admin")
    page = text_of(client.http.get("/console/analytics", headers=headers).body)
    found = shapes(page)
    names = [n["name"] for n in neighbourhoods()]
    assert sorted(found) == sorted(names)  # one shape per mahalle (contract: data-mahalle)
    for name in names:
        assert f'data-mahalle-label="{name}"' in page
    assert "#08519c" in found["Mevlana"]  # the busiest mahalle gets the darkest class
    assert "#ffffff" in found["Kiçiköy"] or "fill: #ffffff" in found.get("Kiçiköy", "#ffffff")
    assert 'data-testid="map-legend"' in page
    for fig in ("fig-channels", "fig-departments", "fig-sla"):
        assert f'id="{fig}-cap"' in page and f'data-testid="{fig}-table"' in page
    assert re.search(r'<svg class="chart" id="chart-channels"[^>]*role="img"', page)
    assert 'data-series="WhatsApp"' in page
    matrix = page.split('data-testid="channel-department"')[1].split("</table>")[0]
    row = re.search(r"<th scope=\"row\">WhatsApp</th>(.*?)</tr>", matrix).group(1)
    assert sum(int(v) for v in re.findall(r">(\d+)<", row)) == 3
    # overdue share colouring and nothing fetched from elsewhere
    page = text_of(client.http.get("/console/analytics?map=overdue", headers=headers).body)
    assert "Gecikmiş oranı / overdue share</strong>" in page and "http://" not in page and "https://" not in page
    # /seffaf: same map; Mevlana (6) shown, Harman (1) hidden, never its number
    from chalicelib.usecases.analytics import clear_public_cache

    clear_public_cache()
    pub = text_of(client.http.get("/seffaf").body)
    found = shapes(pub)
    assert sorted(found) == sorted(names)
    assert "url(#hatch)" in found["Harman"] and "url(#hatch)" not in found["Mevlana"]
    assert re.search(r'data-mahalle="Harman"[^>]*><title>Harman: &lt; 5</title>', pub)
    assert re.search(r'data-mahalle="Mevlana"[^>]*><title>Mevlana: 6</title>', pub)
    assert 'id="pub-weekly-fig-cap"' in pub and 'data-testid="pub-resolved-fig-table"' in pub
    channels = pub.split('data-testid="public-channels"')[1].split("</table>")[0]
    assert "&lt; 5" in channels  # 3 + 3 + 1: every channel under 5 is hidden


def test_chart_data_weekly_series_sla_and_matrix():
    f = Filters(since=date(2026, 3, 2), until=date(2026, 3, 22))
    cells = [(Cell("2026-03-02", "Mevlana", "cop", "sms", "temizlik"), {"n": 3, "sla_n": 2, "sla_ok": 1}),
             (Cell("2026-03-10", "Mevlana", "cop", "x", "temizlik"), {"n": 1, "sla_n": 1, "sla_ok": 1}),
             (Cell("2026-03-16", "Harman", "yol", "sms", "fen"), {"n": 2}),
             (Cell("2026-04-01", "Harman", "yol", "sms", "fen"), {"n": 9})]  # outside the range
    data = chart_data(cells, f)
    assert data["weeks"] == weeks_of(f) == ["2026-W10", "2026-W11", "2026-W12"]
    assert data["channel_weekly"][0] == {"key": "sms", "total": 5, "values": [3, 0, 2]}
    assert [r["ratio"] for r in data["sla_weekly"]] == [0.5, 1.0, None]
    assert data["matrix"]["cells"] == {"sms|temizlik": 3, "x|temizlik": 1, "sms|fen": 2}


def test_line_chart_and_scale():
    svg = str(line_chart(["10", "11", "12"], [("A", [1, None, 3])], title="t <x>", chart_id="c"))
    assert "<title id=\"c-t\">t &lt;x&gt;</title>" in svg and svg.count("<circle") == 2  # a gap splits the line
    assert scale_class(0, 10) == 0 and scale_class(10, 10) == 4 and scale_class(None, 10) is None

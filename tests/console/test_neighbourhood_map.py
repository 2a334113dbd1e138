"""The mahalle map drawn from the shipped polygons (issue 18): one SVG element per mahalle with data-mahalle."""
from __future__ import annotations

import re

from chalicelib.understanding import neighbourhoods
from chalicelib.web.render import env, map_points
from tests.console.helpers import create, session, text_of

PARK = "Mevlana mahallesindeki parkta salıncak kırılmış, çocuklar için tehlikeli"


def _svg(m) -> str:
    return env().from_string('{% from "map.html" import svgmap %}{{ svgmap(m, "harita") }}').render(m=m)


def _elements(html: str) -> dict[str, str]:
    """data-mahalle -> the tag of the element carrying it (path: a polygon, circle: an approximate point)."""
    found = re.findall(r'<(path|circle) class="([^"]*)" data-mahalle="([^"]+)"', html)
    out: dict[str, str] = {}
    for tag, cls, name in found:
        assert name not in out, f"{name} drawn twice"
        out[name] = f"{tag}.{cls}"
    return out


def test_every_mahalle_is_one_shape_with_a_label():
    html = _svg(map_points())
    names = [n["name"] for n in neighbourhoods()]
    elements = _elements(html)
    assert sorted(elements) == sorted(names) and len(names) == 32
    for n in neighbourhoods():
        kind = elements[n["name"]]
        if n["approximate"]:
            assert kind.startswith("circle.") and "approx" in kind
        else:
            assert kind.startswith("path.")
        assert f'data-mahalle-label="{n["name"]}"' in html
    assert 'class="district"' in html and "TurkeyGeoJSON" in html and "yaklaşık" in html
    # Real shapes, not dots: the Sosun polygon has many vertices.
    sosun = re.search(r'data-mahalle="Sosun" d="([^"]+)"', html).group(1)
    assert sosun.count(" L") > 20


def test_weights_shade_highlight_outlines_and_a_point_is_pinned():
    html = _svg(map_points(weights={"Sosun": 12, "Harman": 3, "Anayurt": 1}))
    assert re.search(r'class="mahalle w" data-mahalle="Sosun" d="[^"]+" style="fill-opacity: 0.85"', html)
    assert re.search(r'class="mahalle w" data-mahalle="Harman" d="[^"]+" style="fill-opacity: 0.3"', html)
    assert re.search(r'class="mahalle approx w" data-mahalle="Anayurt"', html)
    assert re.search(r'class="mahalle" data-mahalle="Kepez"', html)  # no requests: not shaded
    assert "<title>Sosun: 12</title>" in html and "<title>Kepez: 0</title>" in html
    one = map_points(highlight="Harman", point=(38.6743, 35.5505))
    html = _svg(one)
    assert re.search(r'class="mahalle hl" data-mahalle="Harman"', html)
    assert one["pin"] and not one["pin"]["outside"]
    assert map_points(point=(39.93, 32.85))["pin"]["outside"]  # Ankara: pinned at the edge, marked


def test_pages_draw_the_polygon_map(client, pump, aws):
    made = create(client, PARK, "map-1")
    pump.drain()
    headers, _ = session("admin")
    for path in ("/seffaf", "/console/analytics"):
        body = text_of(client.http.get(path, headers=headers).body)
        assert len(_elements(body)) == 32, path
    view = text_of(client.http.get(f"/console/requests/{made['id']}", headers=headers).body)
    assert re.search(r'class="mahalle hl" data-mahalle="Mevlana"', view)

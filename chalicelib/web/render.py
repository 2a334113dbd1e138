"""Jinja2 environment (autoescaping on), labels for codes, and the neighbourhood SVG map geometry."""
from __future__ import annotations

from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
STATIC_TYPES = {".css": "text/css; charset=utf-8", ".js": "application/javascript; charset=utf-8",
                ".svg": "image/svg+xml"}

# Channel badges: short letters on a coloured chip (render without emoji fonts); names from the catalogue.
_BADGES = {"phone": "TEL", "beyaz_masa": "BM", "facebook": "FB", "instagram": "IG", "whatsapp": "WA", "x": "X",
           "youtube": "YT", "sms": "SMS", "email": "@", "mobile_app": "APP", "e_devlet": "eD", "cimer": "CİM",
           "seffaf_oda": "ŞO"}


def _labels():
    from .strings import group

    return group("channel"), group("status"), group("kind")


CHANNEL_LABELS = {code: (_BADGES.get(code, "?"), name) for code, name in _labels()[0].items()}
STATUS_LABELS = _labels()[1]
KIND_LABELS = _labels()[2]


def chip(channel: str | None):
    """The channel badge as HTML (escaped): letters on the channel's colour, the name for screen readers."""
    from markupsafe import Markup, escape

    icon, label = CHANNEL_LABELS.get(channel or "", ("?", channel or "—"))
    return Markup(f'<span class="ch ch-{escape(channel or "none")}" title="{escape(label)}" role="img" '
                  f'aria-label="{escape(label)}">{escape(icon)}</span>')


@lru_cache(maxsize=1)
def department_labels() -> dict[str, str]:
    from ..domain.departments import municipality

    return {d.code: d.name_tr for d in municipality().departments}


def _outside_department() -> str:
    from ..domain.departments import municipality

    return municipality().outside_department


@lru_cache(maxsize=1)
def category_labels() -> dict[str, str]:
    from ..understanding import taxonomy

    return {c.code: c.name_tr for c in taxonomy()}


def local_zone():
    """The municipality's time zone: every shown time is read on it, once, here (domain/identity.py)."""
    from ..domain.identity import local_zone as zone

    return zone()


def _moment(value: Any) -> datetime | None:
    """A stored time (aware datetime, or ISO text; naive means UTC) as an aware datetime; None if not one."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
    if not isinstance(value, datetime):
        return None
    return value if value.tzinfo is not None else value.replace(tzinfo=timezone.utc)


def fmt_time(value: Any) -> str:
    """dd.mm.yyyy HH:MM in the municipality's time zone."""
    if not value:
        return "—"
    moment = _moment(value)
    if moment is None:
        return str(value)
    return moment.astimezone(local_zone()).strftime("%d.%m.%Y %H:%M")


def iso_utc(value: Any) -> str:
    """The machine-readable form of a shown time: ISO 8601 in UTC (`<time datetime>`, data- attributes)."""
    moment = _moment(value)
    return moment.astimezone(timezone.utc).isoformat().replace("+00:00", "Z") if moment else ""


def time_tag(value: Any):
    """`<time datetime="…UTC…">local time</time>`: what people read, and the instant for machines and tests."""
    from markupsafe import Markup, escape

    moment = _moment(value) if value else None
    if moment is None:
        return Markup(escape(fmt_time(value)))
    return Markup(f'<time datetime="{escape(iso_utc(moment))}">{escape(fmt_time(moment))}</time>')


def fmt_hours(value: Any) -> str:
    if value is None:
        return "—"
    from .strings import tr

    return tr("unit.hours", n=f"{value:.0f}") if value < 48 else tr("unit.days", n=f"{value / 24:.1f}")


def fmt_ratio(value: Any) -> str:
    return "—" if value is None else f"%{value * 100:.0f}"


def is_safe_link(url: Any) -> bool:
    """Attachment links in the console: an https:// URL with a host, or a same-origin path. `//host/…` and
    `/\\host/…` are external (browsers read both as scheme-relative, and drop tabs/newlines first), so
    whitespace, control characters and backslashes are never a link; neither is javascript:, data:, http:."""
    from urllib.parse import urlsplit

    if not isinstance(url, str) or not url or any(ord(ch) <= 0x20 or ch in "\\\x7f" for ch in url):
        return False
    if url.startswith("/"):
        return not url.startswith("//")
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() == "https" and url[:8].lower() == "https://" and bool(parts.hostname)


@lru_cache(maxsize=1)
def env():
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    e = Environment(loader=FileSystemLoader(str(HERE / "templates")), autoescape=select_autoescape(["html"]),
                    trim_blocks=True, lstrip_blocks=True)
    e.filters.update(time=fmt_time, timetag=time_tag, iso_utc=iso_utc, hours=fmt_hours, ratio=fmt_ratio)
    e.tests["safe_link"] = is_safe_link
    from ..domain.identity import identity
    from .strings import both, en, for_script, t, tr

    e.globals["municipality"] = identity  # a call, not a value: the selected municipality's names (issue 22)
    e.globals["outside_department"] = _outside_department  # its "other institutions" department (departments.json)
    e.globals.update(t=t, tr=tr, en=en, both=both, script_strings=lambda: for_script("js"), chip=chip, channels=CHANNEL_LABELS, statuses=STATUS_LABELS, kinds=KIND_LABELS,
                     departments=department_labels, categories=category_labels)
    return e


def render(template: str, **context: Any) -> str:
    return env().get_template(template).render(**context)


APP_DIR = HERE.parent / "open311" / "webapp"


@lru_cache(maxsize=1)
def app_env():
    """The citizens' app pages (index.html, kvkk.html) are templates too: their texts come from the catalogue."""
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    from ..domain.identity import identity
    from .strings import both, en, t, tr

    e = Environment(loader=FileSystemLoader(str(APP_DIR)), autoescape=select_autoescape(["html"]),
                    trim_blocks=True, lstrip_blocks=True)
    e.globals.update(t=t, tr=tr, en=en, both=both, municipality=identity)
    return e


def render_app(name: str, **context: Any) -> str:
    return app_env().get_template(name).render(**context)


@lru_cache(maxsize=4)
def _map_geometry(width: int) -> dict[str, Any]:
    """Mahalle polygons and the district outline projected into an SVG viewBox, thinned to about a pixel.

    Why cached: the boundaries are static per process; projecting and thinning ~6,000 points costs ~20 ms."""
    import math

    from ..understanding import district_outline, neighbourhood_shapes
    from ..understanding.boundaries import thin_ring
    from .strings import both

    outline = district_outline()
    x0, y0, x1, y1 = outline["bbox"]
    kx = math.cos(math.radians((y0 + y1) / 2))  # equirectangular: a degree of longitude is shorter here
    pad = 12
    scale = (width - 2 * pad) / ((x1 - x0) * kx or 1)
    height = int(round((y1 - y0) * scale + 2 * pad))
    tolerance = 0.8 / scale  # degrees per ~0.8 px: finer detail is invisible at this size

    def xy(lon: float, lat: float) -> tuple[float, float]:
        return round(pad + (lon - x0) * kx * scale, 1), round(pad + (y1 - lat) * scale, 1)

    def path(rings: list) -> str:
        parts = []
        for ring in rings:
            pts = [xy(lon, lat) for lon, lat in thin_ring([tuple(p) for p in ring], tolerance / kx)]
            parts.append("M" + " L".join(f"{x},{y}" for x, y in pts[:-1]) + " Z")
        return " ".join(parts)

    shapes = []
    for sh in neighbourhood_shapes():
        lx, ly = xy(*sh["label"])
        if sh["rings"]:
            xs = [xy(lon, lat)[0] for lon, lat in sh["rings"][0]]
            span = max(xs) - min(xs)
        else:
            span = 0.0
        # Labels fit the shape where they can; the smallest central mahalles get a small, still legible size.
        size = max(7.0, min(12.0, round(1.7 * span / max(len(sh["name"]), 1), 1))) if span else 8.0
        shapes.append({"name": sh["name"], "d": path(sh["rings"]) if sh["rings"] else "", "x": lx, "y": ly,
                       "approximate": sh["approximate"], "size": size})
    return {"width": width, "height": height, "outline": path(outline["rings"]), "shapes": shapes,
            "bbox": (x0, y0, x1, y1), "pad": pad, "scale": scale, "kx": kx,
            "attribution": f"{both('map.attribution')}: TurkeyGeoJSON (MIT)"}


def map_points(weights: dict[str, float] | None = None, highlight: str | None = None,
               point: tuple[float, float] | None = None, width: int = 640) -> dict[str, Any]:
    """The mahalle map as SVG geometry: one shape per mahalle (polygons; a marked point for a mahalle placed
    approximately), shaded by `weights`, `highlight` outlined, `point` (lat, long) pinned. Offline: no tiles."""
    geo = _map_geometry(width)
    top = max((weights or {}).values(), default=0) or 1
    shapes = []
    for sh in geo["shapes"]:
        w = (weights or {}).get(sh["name"], 0)
        shapes.append({**sh, "weight": w, "highlight": sh["name"] == highlight,
                       "opacity": round(0.12 + 0.73 * (w / top), 2) if w else 0})
    pin = None
    if point:
        x0, y0, x1, y1 = geo["bbox"]
        lat, lon = point
        x = geo["pad"] + (lon - x0) * geo["kx"] * geo["scale"]
        y = geo["pad"] + (y1 - lat) * geo["scale"]
        # A point outside the drawn area is pinned at the edge, marked as outside.
        inside = 0 <= x <= geo["width"] and 0 <= y <= geo["height"]
        pin = {"x": round(min(max(x, 6), geo["width"] - 6), 1), "y": round(min(max(y, 6), geo["height"] - 6), 1),
               "outside": not inside}
    return {"width": geo["width"], "height": geo["height"], "outline": geo["outline"], "shapes": shapes,
            "pin": pin, "weighted": bool(weights), "attribution": geo["attribution"]}


def map_choropleth(values: dict[str, float], *, percent: bool = False, suppressed: frozenset[str] = frozenset(),
                   counts: dict[str, int] | None = None, what: str = "") -> dict[str, Any]:
    """The mahalle map coloured on a 5-step sequential scale (volume, or a share when `percent`), with its
    legend; `suppressed` mahalles (k-anonymity) are hatched and say "< 5" instead of a number."""
    from .charts import SEQUENTIAL, legend_steps, scale_class
    from .strings import both, tr

    m = map_points(weights={k: v for k, v in values.items() if v})
    top = 1.0 if percent else max(values.values(), default=0) or 1
    for sh in m["shapes"]:
        v = values.get(sh["name"])
        cls = scale_class(v, top)
        sh["fill"] = SEQUENTIAL[cls] if cls is not None else None
        sh["suppressed"] = sh["name"] in suppressed
        sh["value_text"] = ("< 5" if sh["suppressed"] else both("map.no_data") if v is None else
                            f"%{v * 100:.0f}" if percent else f"{v:.0f}")
        if counts is not None and not sh["suppressed"] and sh["name"] in counts:
            sh["value_text"] += f" ({tr('map.requests_n', n=counts[sh['name']])})"
    m.update(choropleth=True, legend=legend_steps(top, percent=percent), what=what,
             has_suppressed=bool(suppressed))
    return m

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

CHANNEL_LABELS = {
    "phone": ("☎", "Telefon / Phone"), "beyaz_masa": ("🏛", "Beyaz Masa"), "facebook": ("f", "Facebook"),
    "instagram": ("◎", "Instagram"), "whatsapp": ("✆", "WhatsApp"), "x": ("𝕏", "X"), "youtube": ("▶", "YouTube"),
    "sms": ("✉", "SMS"), "email": ("@", "E-posta / E-mail"), "mobile_app": ("📱", "Mobil uygulama / App"),
    "e_devlet": ("e", "e-Devlet"), "cimer": ("C", "CİMER"), "seffaf_oda": ("◇", "Şeffaf Oda"),
}
STATUS_LABELS = {
    "new": "Yeni / New", "routed": "Yönlendirildi / Routed", "in_progress": "İşlemde / In progress",
    "waiting_citizen": "Vatandaş bekleniyor / Waiting for citizen", "resolved": "Çözüldü / Resolved",
    "closed": "Kapatıldı / Closed", "forwarded": "Başka kuruma iletildi / Forwarded",
    "rejected": "Reddedildi / Rejected", "duplicate": "Mükerrer / Duplicate",
}
KIND_LABELS = {"sikayet": "Şikâyet / Complaint", "talep": "Talep / Request", "oneri": "Öneri / Suggestion",
               "bilgi": "Bilgi / Information", "tesekkur": "Teşekkür / Thanks"}


@lru_cache(maxsize=1)
def department_labels() -> dict[str, str]:
    from ..domain.departments import municipality

    return {d.code: d.name_tr for d in municipality().departments}


@lru_cache(maxsize=1)
def category_labels() -> dict[str, str]:
    from ..routing import taxonomy

    return {c.code: c.name_tr for c in taxonomy()}


def fmt_time(value: Any) -> str:
    if not value:
        return "—"
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return value
    from ..usecases.analytics import TZ

    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(TZ).strftime("%d.%m.%Y %H:%M")


def fmt_hours(value: Any) -> str:
    if value is None:
        return "—"
    return f"{value:.0f} sa" if value < 48 else f"{value / 24:.1f} gün"


def fmt_ratio(value: Any) -> str:
    return "—" if value is None else f"%{value * 100:.0f}"


@lru_cache(maxsize=1)
def env():
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    e = Environment(loader=FileSystemLoader(str(HERE / "templates")), autoescape=select_autoescape(["html"]),
                    trim_blocks=True, lstrip_blocks=True)
    e.filters.update(time=fmt_time, hours=fmt_hours, ratio=fmt_ratio)
    e.globals.update(channels=CHANNEL_LABELS, statuses=STATUS_LABELS, kinds=KIND_LABELS,
                     departments=department_labels, categories=category_labels)
    return e


def render(template: str, **context: Any) -> str:
    return env().get_template(template).render(**context)


def map_points(weights: dict[str, float] | None = None, highlight: str | None = None,
               point: tuple[float, float] | None = None, width: int = 480, height: int = 360) -> dict[str, Any]:
    """Neighbourhood centroids projected into an SVG viewBox (offline: no tiles)."""
    from ..routing import neighbourhoods

    nbs = [n for n in neighbourhoods() if n.get("lat") is not None and n.get("long") is not None]
    lats = [n["lat"] for n in nbs] + ([point[0]] if point else [])
    longs = [n["long"] for n in nbs] + ([point[1]] if point else [])
    lo_lat, hi_lat, lo_lon, hi_lon = min(lats), max(lats), min(longs), max(longs)
    pad = 24

    def xy(lat: float, lon: float) -> tuple[float, float]:
        x = pad + (lon - lo_lon) / ((hi_lon - lo_lon) or 1) * (width - 2 * pad)
        y = pad + (hi_lat - lat) / ((hi_lat - lo_lat) or 1) * (height - 2 * pad)
        return round(x, 1), round(y, 1)

    top = max((weights or {}).values(), default=0) or 1
    dots = []
    for n in nbs:
        x, y = xy(n["lat"], n["long"])
        w = (weights or {}).get(n["name"], 0)
        dots.append({"name": n["name"], "x": x, "y": y, "weight": w,
                     "r": round(3 + 14 * (w / top) ** 0.5, 1) if weights else 4,
                     "highlight": n["name"] == highlight})
    pin = None
    if point:
        pin = dict(zip(("x", "y"), xy(*point)))
    return {"width": width, "height": height, "dots": dots, "pin": pin}

"""Hazır yanıtlar (canned replies) and the forward institutions: data files staff edit, filled per request."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data"


@lru_cache(maxsize=1)
def _canned() -> dict[str, list[dict[str, str]]]:
    import yaml

    raw = yaml.safe_load((DATA / "canned_replies.yaml").read_text(encoding="utf-8")) or {}
    return {str(k): [{"title": str(i["title"]), "text": str(i["text"])} for i in v] for k, v in raw.items()}


class _Keep(dict):
    def __missing__(self, key: str) -> str:  # an unknown placeholder stays visible for staff to fix
        return "{" + key + "}"


def canned_replies(department: str | None, values: dict[str, str]) -> list[dict[str, str]]:
    """The department's own replies first, then the shared ones, placeholders filled from `values`."""
    data = _canned()
    chosen = [*(data.get(department or "", [])), *data.get("_all", [])]
    return [{"title": c["title"], "text": c["text"].format_map(_Keep(values))} for c in chosen]


@lru_cache(maxsize=1)
def institutions() -> list[dict[str, str]]:
    import yaml

    return [{"name": str(i["name"]), "scope": str(i.get("scope", ""))}
            for i in yaml.safe_load((DATA / "institutions.yaml").read_text(encoding="utf-8"))]


def placeholders(doc: dict[str, Any], department_name: str, due: str) -> dict[str, str]:
    return {"takip_kodu": doc.get("tracking_code") or "", "mudurluk": department_name, "son_tarih": due}

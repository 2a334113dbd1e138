"""Hazır yanıtlar (canned replies) and the forward institutions: the municipality's data files staff edit
(canned_replies.yaml, institutions.yaml of municipalities/<name>/), filled per request."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from ..domain import data_files


@lru_cache(maxsize=4)
def _canned_from(path: str) -> dict[str, list[dict[str, str]]]:
    import yaml

    raw = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    return {str(k): [{"title": str(i["title"]), "text": str(i["text"])} for i in v] for k, v in raw.items()}


def _canned() -> dict[str, list[dict[str, str]]]:
    return _canned_from(str(data_files.path("canned_replies")))


class _Keep(dict):
    def __missing__(self, key: str) -> str:  # an unknown placeholder stays visible for staff to fix
        return "{" + key + "}"


def canned_replies(department: str | None, values: dict[str, str]) -> list[dict[str, str]]:
    """The department's own replies first, then the shared ones, placeholders filled from `values`."""
    data = _canned()
    chosen = [*(data.get(department or "", [])), *data.get("_all", [])]
    return [{"title": c["title"], "text": c["text"].format_map(_Keep(values))} for c in chosen]


@lru_cache(maxsize=4)
def _institutions_from(path: str) -> list[dict[str, str]]:
    import yaml

    return [{"name": str(i["name"]), "scope": str(i.get("scope", ""))}
            for i in yaml.safe_load(Path(path).read_text(encoding="utf-8")) or []]


def institutions() -> list[dict[str, str]]:
    return _institutions_from(str(data_files.path("institutions")))


def placeholders(doc: dict[str, Any], department_name: str, due: str) -> dict[str, str]:
    return {"takip_kodu": doc.get("tracking_code") or "", "mudurluk": department_name, "son_tarih": due}

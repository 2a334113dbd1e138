"""Understanding and routing (interim keyword rule; the Turkish classifier replaces this module's body).

Public API: classify(text, address=None, lat=None, long=None) -> Classification.
"""
from __future__ import annotations

from ..domain.models import Classification

_RULES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("temizlik", "cop_toplama", ("çöp", "cop", "konteyner", "temizlik")),
    ("fen", "yol_bakim", ("yol", "asfalt", "çukur", "cukur", "kaldırım", "kaldirim")),
    ("park", "park_bakim", ("park", "ağaç", "agac", "bahçe")),
    ("veteriner", "sokak_hayvani", ("köpek", "kopek", "kedi", "hayvan")),
    ("zabita", "gurultu", ("gürültü", "gurultu", "seyyar", "işgal")),
    ("dis_kurum", "su_kanalizasyon", ("su ", "kanalizasyon", "kaski", "elektrik", "doğalgaz")),
)


def classify(text: str, address: str | None = None, lat: float | None = None,
             long: float | None = None) -> Classification:
    lowered = text.replace("I", "ı").replace("İ", "i").lower()
    for department, category, words in _RULES:
        hit = next((w for w in words if w in lowered), None)
        if hit:
            return Classification(category=category, department=department, confidence=0.7,
                                  explanation=f"anahtar kelime: {hit.strip()}", kind="sikayet", sla_hours=72)
    return Classification(confidence=0.0, explanation="eşleşen kelime yok", needs_triage=True, kind="talep",
                          sla_hours=72)

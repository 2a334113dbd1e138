"""The satisfaction survey: the pending question per phone and the answers per department."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from .base import keyed


PENDING_SK = "PENDING"


def survey_pk(phone: str) -> str:
    """`SURVEY#<HMAC(pepper, phone)>`: found by one read, and the number itself is not in the key (KVKK)."""
    return f"SURVEY#{keyed('survey', phone)}"


def survey_key(phone: str) -> tuple[str, str]:
    return survey_pk(phone), PENDING_SK


def answers_pk(department: str) -> str:
    return f"SURVEYANS#{department}"


def answer_item(department: str, request_id: str, score: int, at: datetime) -> dict[str, Any]:
    return {"PK": answers_pk(department), "SK": request_id, "score": score, "at": at.isoformat()}

"""Department tasks: the first queue message to carry a task id owns it."""
from __future__ import annotations

from typing import Any


CLAIM_SK = "CLAIM"


def task_claim_pk(task_id: str) -> str:
    return f"TASKCLAIM#{task_id}"


def claim_item(task_id: str, message_id: str) -> dict[str, Any]:
    return {"PK": task_claim_pk(task_id), "SK": CLAIM_SK, "message_id": message_id}

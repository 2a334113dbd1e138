"""`ulakbel dev --seed-demo` data makes escalation visible: overdue and near-due requests exist."""
from __future__ import annotations

from chalicelib import container
from chalicelib.usecases.escalation import sweep

from .conftest import h


def test_demo_data_has_overdue_and_near_due_requests(client, pump):
    from ulakbel_cli.seed import seed_demo

    seed_demo(history=0)  # today's hand-written examples; the year of history has its own test (tests/console/test_demo_history.py)
    pump.drain()
    result = sweep(container.repository(), container.task_queue(), warn_hours=24)
    assert len(result.escalated) >= 2 and len(result.warned) >= 2
    overdue = client.http.get("/departments/temizlik/overdue", headers=h("admin")).json_body["items"]
    assert overdue and all(r["escalation_level"] == 2 for r in overdue)

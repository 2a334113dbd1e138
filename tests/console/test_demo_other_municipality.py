"""Issue 22: `--seed-demo`'s year of history for another municipality uses that municipality's mahalles,
departments and forward institutions (Örnekkent, the fictional example), never Talas's."""
from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

NOW = datetime(2026, 5, 4, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def ornekkent(monkeypatch, request):
    from chalicelib import understanding

    monkeypatch.setenv("ULAKBEL_MUNICIPALITY", "ornekkent")
    understanding.reload()  # the compiled taxonomy, gazetteer and polygons are the selected municipality's
    request.getfixturevalue("aws")  # queues of Örnekkent's departments
    yield
    monkeypatch.undo()
    understanding.reload()


def test_demo_history_lives_in_the_selected_municipality(ornekkent):
    from chalicelib import container
    from chalicelib.domain.data_files import MUNICIPALITIES
    from chalicelib.understanding import neighbourhoods
    from tests.console.helpers import every_inbox_row
    from ulakbel_cli.demo_history import seed_history

    folder = MUNICIPALITIES / "ornekkent"
    codes = {d["code"] for d in json.loads((folder / "departments.json").read_text(encoding="utf-8"))["departments"]}
    mahalles = {n["name"] for n in neighbourhoods()}
    assert "Gülbahçe" in mahalles and "Harman" not in mahalles

    stats = seed_history(80, now=NOW, seed=3)
    assert stats["requests"] == 80 and stats["forwarded"] > 0
    rows = every_inbox_row(NOW)
    assert len(rows) == 80
    assert {r["neighbourhood"] for r in rows} - {None} <= mahalles
    assert {r["department"] for r in rows} - {None} <= codes
    forwarded = [container.repository().get(r["id"]) for r in rows if r["department"] == "yonlendirme"]
    institutions = {f.institution for f in forwarded} - {None}
    assert institutions and all(i.startswith(("Örnek", "ÖSKİ")) for i in institutions), institutions


def test_todays_demo_messages_are_the_municipality_s_own(ornekkent, pump):
    from chalicelib import container
    from chalicelib.auth import Principal
    from chalicelib.understanding import neighbourhoods
    from chalicelib.usecases.console import InboxFilters, inbox
    from ulakbel_cli.seed import seed_demo

    n = seed_demo(history=0)
    assert n == 10 + 1 + 4  # demo.yaml: 10 of today, the Şeffaf Oda meeting, 4 near their deadline
    pump.drain()
    rows = inbox(container.repository(), Principal(sub="a", role="admin"), InboxFilters(sort="old"), now=None).items
    assert len(rows) == n
    mahalles = {m["name"] for m in neighbourhoods()}
    assert {r["neighbourhood"] for r in rows} - {None} <= mahalles
    assert len({r["neighbourhood"] for r in rows} - {None}) >= 5
    meeting = next(r for r in rows if r["channel"] == "seffaf_oda")
    assert meeting["department"] == "baskanlik"

import io
import json

from chalicelib.understanding.cli import run_classify

CONTRACT = {"department", "category", "neighbourhood", "kind", "confidence", "explanation", "triage", "model_version"}


def _run(inp: str) -> tuple[int, list[dict], str]:
    out = io.StringIO()
    rc = run_classify(io.StringIO(inp), out)
    raw = out.getvalue()
    return rc, [json.loads(line) for line in raw.splitlines()], raw


def test_json_lines_and_plain_text():
    inp = (
        json.dumps({"text": "Kiçiköy'de çöpler toplanmadı"}, ensure_ascii=False) + "\n"
        + json.dumps({"text": "Sokak lambası yanmıyor", "address": "Harman Mh. Okul Sk.", "lat": None}) + "\n"
        + "\n"
        + "köpekler saldırıyor\n"
        + json.dumps({"text": "su yok", "lat": 38.6309, "long": 35.5471}) + "\n"
    )
    rc, rows, raw = _run(inp)
    assert rc == 0 and len(rows) == 4
    for r in rows:
        assert set(r) == CONTRACT
    assert rows[0]["neighbourhood"] == "Kiçiköy" and rows[0]["department"] == "temizlik"
    assert rows[1]["neighbourhood"] == "Harman" and rows[1]["department"] == "dis_kurum"
    assert rows[2]["department"] == "veteriner" and rows[2]["neighbourhood"] is None
    assert rows[3]["neighbourhood"] == "Endürlük"
    assert "Kiçiköy" in raw  # ensure_ascii=False keeps Turkish letters


def test_bad_lines_become_error_objects_not_crashes():
    inp = '{"text": "çöp"\n{"address": "Harman"}\n[1,2]\n{"text": "çöp toplanmadı"}\n'
    rc, rows, _ = _run(inp)
    assert rc == 1 and len(rows) == 4
    assert "error" in rows[0] and rows[0]["line"] == 1
    assert "error" in rows[1] and "text" in rows[1]["error"]
    assert "error" in rows[2]
    assert rows[3]["category"] == "cop_toplama"


def test_non_numeric_coordinates_are_ignored():
    rc, rows, _ = _run(json.dumps({"text": "çukur var", "lat": "x", "long": True}) + "\n")
    assert rc == 0 and rows[0]["neighbourhood"] is None

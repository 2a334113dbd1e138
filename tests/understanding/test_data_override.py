"""Changing the data files changes routing without code changes."""

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml

from chalicelib import understanding as routing
from chalicelib.understanding.data import DATA_DIR

ROOT = Path(__file__).resolve().parents[2]


def _write(tmp_path, name, doc):
    p = tmp_path / name
    p.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return p


def test_taxonomy_file_override_changes_routing(tmp_path, monkeypatch):
    assert routing.classify("Sokakta güvercinler çok fazla").needs_triage
    doc = yaml.safe_load((DATA_DIR / "taxonomy.yaml").read_text(encoding="utf-8"))
    # 1) move garbage collection to another department, 2) add a new category, 3) add a keyword override.
    for c in doc["categories"]:
        if c["code"] == "cop_toplama":
            c["department"] = "zabita"
    doc["categories"].append({
        "code": "guvercin", "name_tr": "Güvercin", "name_en": "Pigeons", "description_tr": "Güvercin sorunları",
        "department": "veteriner", "keywords": ["güvercin"], "sla_hours": 48, "priority": "low",
    })
    doc["routing"]["overrides"].append({
        "name": "kiçiköy_parklar_fen", "when": {"neighbourhoods": ["Kiçiköy"], "categories": ["park_bakim"]},
        "set": {"department": "fen"},
    })
    monkeypatch.setenv("ULAKBEL_TAXONOMY_FILE", str(_write(tmp_path, "tax.yaml", doc)))
    routing.reload()
    assert routing.classify("çöpler toplanmadı").department == "zabita"
    c = routing.classify("Sokakta güvercinler çok fazla")
    assert c.category == "guvercin" and c.department == "veteriner" and not c.needs_triage
    assert routing.classify("Kiçiköy parkında banklar kırık").department == "fen"
    assert routing.classify("Harman'daki parkta banklar kırık").department == "park"
    monkeypatch.delenv("ULAKBEL_TAXONOMY_FILE")
    routing.reload()
    assert routing.classify("çöpler toplanmadı").department == "temizlik"


def test_triage_threshold_and_duplicates_come_from_data(tmp_path, monkeypatch):
    doc = yaml.safe_load((DATA_DIR / "taxonomy.yaml").read_text(encoding="utf-8"))
    # Above any confidence: the learned model's probabilities reach 1.0 (issue 18), so 0.99 no longer triages a
    # clear message; the data's threshold still wins over the model's when it is stricter.
    doc["routing"]["triage_threshold"] = 1.01
    doc["duplicates"] = {"window_hours": 12, "similarity_threshold": 0.8}
    monkeypatch.setenv("ULAKBEL_TAXONOMY_FILE", str(_write(tmp_path, "tax.yaml", doc)))
    routing.reload()
    assert routing.classify("Sokak köpekleri saldırıyor").needs_triage
    assert routing.duplicate_policy().window_hours == 12
    assert routing.duplicate_policy().similarity_threshold == 0.8


def test_neighbourhoods_file_override(tmp_path, monkeypatch):
    doc = {"neighbourhoods": [{"name": "Deneme", "aliases": ["Denemeköy"], "lat": 38.69, "long": 35.55}]}
    monkeypatch.setenv("ULAKBEL_NEIGHBOURHOODS_FILE", str(_write(tmp_path, "nb.yaml", doc)))
    routing.reload()
    assert routing.find_neighbourhood("Denemeköy'de çöp var") == "Deneme"
    assert routing.find_neighbourhood("Kiçiköy'de çöp var") is None
    assert [n["name"] for n in routing.neighbourhoods()] == ["Deneme"]


@pytest.mark.parametrize(
    "mutate,message",
    [
        (lambda d: d["categories"][0].update(department="nope"), "unknown department"),
        (lambda d: d["categories"][0].update(priority="asap"), "priority"),
        (lambda d: d["categories"].append(dict(d["categories"][0])), "duplicate"),
    ],
)
def test_invalid_taxonomy_is_rejected_with_a_clear_error(tmp_path, monkeypatch, mutate, message):
    doc = yaml.safe_load((DATA_DIR / "taxonomy.yaml").read_text(encoding="utf-8"))
    mutate(doc)
    monkeypatch.setenv("ULAKBEL_TAXONOMY_FILE", str(_write(tmp_path, "bad.yaml", doc)))
    routing.reload()
    with pytest.raises(ValueError, match=message):
        routing.classify("çöp")


def test_import_is_light_and_domain_code_is_framework_free():
    code = textwrap.dedent(
        """
        import sys
        import chalicelib.understanding
        heavy = [m for m in ("yaml", "rapidfuzz", "snowballstemmer", "pydantic", "chalice", "boto3") if m in sys.modules]
        print(",".join(heavy))
        """
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
    forbidden = re.compile(r"^\s*(?:import|from)\s+(?:chalice|boto3|botocore)\b", re.M)
    for f in (ROOT / "chalicelib" / "routing").glob("*.py"):
        assert not forbidden.search(f.read_text(encoding="utf-8")), f.name

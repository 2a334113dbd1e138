"""Issue 22: the code names no municipality. Everything about one town is in municipalities/<name>/; in
chalicelib/ and app.py the word "Talas" may appear only in Python comments (`grep -ri talas chalicelib/`)."""
from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TOWN = re.compile("talas", re.IGNORECASE)


def _outside_comments(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    if path.suffix != ".py":
        return [f"{path.relative_to(ROOT)}:{n}" for n, line in enumerate(text.splitlines(), 1) if TOWN.search(line)]
    found = []
    for tok in tokenize.generate_tokens(io.StringIO(text).readline):
        if tok.type != tokenize.COMMENT and TOWN.search(tok.string):
            found.append(f"{path.relative_to(ROOT)}:{tok.start[0]}")
    return found


def test_no_municipality_is_named_in_the_code():
    files = [ROOT / "app.py", *(p for p in (ROOT / "chalicelib").rglob("*") if p.is_file()
                                and p.suffix in (".py", ".html", ".js", ".css", ".json", ".yaml", ".yml",
                                                 ".webmanifest", ".svg", ".txt", ".geojson"))]
    found = [hit for f in files for hit in _outside_comments(f)]
    assert not found, f"name the municipality through municipalities/<name>/municipality.yaml: {found}"


def test_the_check_catches_a_name_in_a_string(tmp_path, monkeypatch):
    sample = ROOT / "chalicelib" / "__init__.py"
    assert _outside_comments(sample) == []
    probe = tmp_path / "probe.py"
    probe.write_text('X = 1  # Talas in a comment is fine\nY = "Talas Belediyesi"\n', encoding="utf-8")
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    assert _outside_comments(probe) == ["probe.py:2"]

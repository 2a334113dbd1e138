"""`ulakbel check-config` (issue 22): the shipped municipalities are valid; broken copies are refused with
every problem listed, each naming the file and the field."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from chalicelib.domain.data_files import MUNICIPALITIES
from chalicelib.usecases.municipality_check import check_folder
from ulakbel_cli.main import main


@pytest.mark.parametrize("name", ["talas", "ornekkent"])
def test_the_shipped_municipalities_are_valid(name, capsys):
    assert main(["check-config", "--municipality", name]) == 0
    out = capsys.readouterr().out
    assert "Geçerli" in out and "valid" in out and "✗" not in out
    assert f"municipalities/{name}" in out


def _copy(tmp_path: Path, name: str = "ornekkent") -> Path:
    folder = tmp_path / "kopya"
    shutil.copytree(MUNICIPALITIES / name, folder)
    return folder


def _edit_yaml(path: Path, change) -> None:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(doc)
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _edit_json(path: Path, change) -> None:
    doc = json.loads(path.read_text(encoding="utf-8"))
    change(doc)
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")


def test_a_path_works_and_a_broken_copy_lists_every_problem(tmp_path, capsys):
    folder = _copy(tmp_path)
    assert main(["check-config", "--municipality", str(folder)]) == 0
    capsys.readouterr()

    # four unrelated problems in four files: all of them reported at once
    (folder / "staff.yaml").unlink()
    _edit_yaml(folder / "taxonomy.yaml", lambda d: d["categories"][0].update(department="temizlik"))
    _edit_yaml(folder / "municipality.yaml", lambda d: d["contact"].update(email="not-an-email"))
    _edit_yaml(folder / "neighbourhoods.yaml", lambda d: d["neighbourhoods"].append({"name": "Hayaltepe"}))

    assert main(["check-config", "--municipality", str(folder)]) == 1
    out = capsys.readouterr().out
    assert "Geçersiz: 4 sorun / invalid: 4 problem(s)" in out, out
    assert "✗ staff.yaml: dosya yok / file missing" in out
    assert "✗ taxonomy.yaml: categories[0] (cop_toplama).department: bilinmeyen müdürlük / unknown department " \
           "'temizlik' (departments.json)" in out
    assert "✗ municipality.yaml: contact.email:" in out and "'not-an-email' is not an e-mail address" in out
    assert "✗ neighbourhoods.yaml: neighbourhoods[7] (Hayaltepe): boundaries.geojson içinde poligonu yok" in out


def test_department_references_are_checked_across_files(tmp_path):
    folder = _copy(tmp_path)

    def drop_cevre(d):
        d["departments"] = [x for x in d["departments"] if x["code"] != "cevre"]
        d["escalation_department"] = "yok"
    _edit_json(folder / "departments.json", drop_cevre)
    problems = [str(p) for p in check_folder(folder).problems]
    assert "departments.json: escalation_department: bilinmeyen müdürlük / unknown department 'yok'" in problems
    assert "canned_replies.yaml: cevre: bilinmeyen müdürlük / unknown department (departments.json)" in problems
    assert "staff.yaml: cevre: bilinmeyen müdürlük / unknown department (departments.json)" in problems
    unknown = [p for p in problems if p.startswith("taxonomy.yaml: categories[") and "'cevre'" in p]
    assert len(unknown) >= 10  # every category of the merged department, not just the first


def test_polygons_sla_and_unknown_fields(tmp_path):
    folder = _copy(tmp_path)

    def drop_polygon(d):
        d["features"] = [f for f in d["features"] if f["properties"]["name"] != "Kuşluca"]
    _edit_json(folder / "boundaries.geojson", drop_polygon)
    _edit_yaml(folder / "taxonomy.yaml", lambda d: d["categories"][1].update(sla_hours=-5))
    _edit_yaml(folder / "municipality.yaml", lambda d: d.update(colour="#ffffff"))  # misspelt key
    _edit_yaml(folder / "calendar.yaml", lambda d: d.update(extra_closed=["2026-13-01"], timezone="Mars/Olympus"))
    problems = [str(p) for p in check_folder(folder).problems]
    assert any(p.startswith("neighbourhoods.yaml: neighbourhoods[3] (Kuşluca): boundaries.geojson içinde poligonu "
                            "yok") for p in problems), problems
    assert any(p.startswith("taxonomy.yaml: categories[1] (konteyner).sla_hours: pozitif tam sayı") for p in problems)
    assert any(p.startswith("municipality.yaml: colour: Extra inputs are not permitted") for p in problems), problems
    assert any(p.startswith("calendar.yaml: extra_closed[0]:") for p in problems), problems


def test_an_override_names_only_known_mahalles(tmp_path):
    folder = _copy(tmp_path)

    def rural(d):
        rule = next(o for o in d["routing"]["overrides"] if o["name"] == "kirsal_kar")
        rule["when"]["neighbourhoods"].append("Hayalköy")
    _edit_yaml(folder / "taxonomy.yaml", rural)
    problems = [str(p) for p in check_folder(folder).problems]
    assert problems == ["taxonomy.yaml: routing.overrides (kirsal_kar).when.neighbourhoods: bilinmeyen mahalle / "
                        "unknown mahalle 'hayalkoy' (neighbourhoods.yaml)"]


def test_templates_and_parse_errors(tmp_path):
    folder = _copy(tmp_path)
    _edit_yaml(folder / "notifications.yaml", lambda d: (d.pop("routed"), d["received"].update(
        tr="{{ municipality }}: alındı {{ tracking_code", en="ok")))
    (folder / "institutions.yaml").write_text("- {name: [unclosed\n", encoding="utf-8")
    _edit_yaml(folder / "demo.yaml", lambda d: d["today"][0].update(channel="telgraf"))
    problems = [str(p) for p in check_folder(folder).problems]
    assert "notifications.yaml: routed: eksik / missing" in problems
    assert any(p.startswith("notifications.yaml: received.tr: şablon hatası / template error") for p in problems)
    assert any(p.startswith("notifications.yaml: received.tr: aydınlatma metni") for p in problems)
    assert any(p.startswith("institutions.yaml: okunamadı / cannot be parsed") for p in problems)
    assert any(p.startswith("demo.yaml: today[0].channel: Input should be") for p in problems), problems


def test_an_unknown_folder_is_a_clear_error(capsys):
    assert main(["check-config", "--municipality", "yok-boyle-bir-yer"]) == 2
    err = capsys.readouterr().err
    assert "belediye klasörü bulunamadı" in err and "municipality folder not found" in err and "talas" in err


def test_ulakbel_dev_refuses_to_start_with_an_invalid_municipality(tmp_path):
    """Validated at start: `ulakbel dev` lists the problems and stops before starting anything."""
    import os
    import subprocess
    import sys

    folder = _copy(tmp_path)
    _edit_json(folder / "departments.json", lambda d: d.update(outside_department="yok"))
    env = {**os.environ, "ULAKBEL_MUNICIPALITY": str(folder), "ULAKBEL_HOME": str(tmp_path / "home")}
    out = subprocess.run([sys.executable, "-m", "ulakbel_cli.main", "dev", "--port", "1"], cwd=Path(__file__).parents[2],
                         env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 2, out.stdout + out.stderr
    assert "departments.json: outside_department: bilinmeyen müdürlük / unknown department 'yok'" in out.stdout
    assert "Embedded AWS" not in out.stdout


def test_health_names_a_missing_municipality(client, monkeypatch):
    assert client.http.get("/health").status_code == 200
    monkeypatch.setenv("ULAKBEL_MUNICIPALITY", "yok-boyle-bir-yer")
    r = client.http.get("/health")
    assert r.status_code == 503, r.body
    [problem] = r.json_body["missing"]
    assert problem.startswith("ULAKBEL_MUNICIPALITY (") and "municipality folder not found" in problem

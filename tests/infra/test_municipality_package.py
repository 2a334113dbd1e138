"""The Lambda package carries the municipality's folder beside chalicelib/, and every function is told which
one it serves (issue 22: ULAKBEL_MUNICIPALITY); synthesis refuses a folder that `check-config` refuses."""
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _functions(template: dict) -> dict[str, dict]:
    return {k: v for k, v in template["Resources"].items()
            if v["Type"] in ("AWS::Serverless::Function", "AWS::Lambda::Function")}


def test_every_function_serves_the_selected_municipality(dev):
    functions = _functions(dev.template)
    assert functions
    for name, fn in functions.items():
        env = fn["Properties"].get("Environment", {}).get("Variables", {})
        assert env.get("ULAKBEL_MUNICIPALITY") == "talas", name


def test_the_package_carries_the_municipality_folders_beside_the_code(dev):
    package = next(Path(dev.stack.chalice._sam_package_dir).rglob("deployment.zip"))
    names = set(zipfile.ZipFile(package).namelist())
    assert "chalicelib/domain/data_files.py" in names
    for folder in ("talas", "ornekkent"):
        for file in ("municipality.yaml", "departments.json", "taxonomy.yaml", "neighbourhoods.yaml",
                     "boundaries.geojson", "calendar.yaml", "notifications.yaml", "canned_replies.yaml",
                     "staff.yaml", "institutions.yaml"):
            assert f"municipalities/{folder}/{file}" in names, (folder, file)
    assert "municipalities/DEFAULT" in names
    # The municipality's files left their old home; only the trained model (not a municipality's) stays there.
    assert [n for n in names if n.startswith("chalicelib/understanding/data/") and not n.endswith("/")] == [
        "chalicelib/understanding/data/model.json.gz"]


def test_chalice_packs_the_real_folder_through_vendor():
    """`chalice package` (and the CDK's deployable package) copy vendor/ into the package root: the link."""
    link = ROOT / "vendor" / "municipalities"
    assert link.is_symlink() and link.resolve() == (ROOT / "municipalities").resolve()


def test_synthesis_refuses_an_invalid_municipality(tmp_path, monkeypatch):
    import shutil

    from chalicelib.domain.data_files import MUNICIPALITIES
    from infra.stack import packaged_municipality

    monkeypatch.setenv("ULAKBEL_MUNICIPALITY", "ornekkent")
    assert packaged_municipality() == "ornekkent"
    copy = tmp_path / "kopya"
    shutil.copytree(MUNICIPALITIES / "ornekkent", copy)
    monkeypatch.setenv("ULAKBEL_MUNICIPALITY", str(copy))
    with pytest.raises(ValueError, match="under municipalities/"):
        packaged_municipality()

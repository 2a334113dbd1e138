"""The municipalities the end-to-end suite runs against, read from their own folders (municipalities/<name>/),
so that no e2e test writes a town's mahalles, departments or names (issue 22).

Which towns: `ULAKBEL_E2E_MUNICIPALITY=<name>` runs every e2e test against that one municipality; without it
the door/flow tests (the `town` fixture) run for every folder in municipalities/ and the others (browser,
fuzzing) for the default municipality (municipalities/DEFAULT, or ULAKBEL_MUNICIPALITY when set)."""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import yaml

from chalicelib.domain.data_files import MUNICIPALITIES, default_name


def _yaml(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def all_names() -> list[str]:
    return sorted(p.name for p in MUNICIPALITIES.iterdir() if (p / "municipality.yaml").is_file())


@dataclass(frozen=True)
class Town:
    name: str

    @property
    def folder(self) -> Path:
        return MUNICIPALITIES / self.name

    @cached_property
    def identity(self) -> dict:
        return _yaml(self.folder / "municipality.yaml")

    @cached_property
    def departments(self) -> dict:
        return json.loads((self.folder / "departments.json").read_text(encoding="utf-8"))

    @cached_property
    def taxonomy(self) -> dict:
        return _yaml(self.folder / "taxonomy.yaml")

    @cached_property
    def institutions(self) -> list[dict]:
        return _yaml(self.folder / "institutions.yaml")

    @cached_property
    def staff(self) -> dict:
        return _yaml(self.folder / "staff.yaml")

    @property
    def jurisdiction(self) -> str:
        return self.identity["open311"]["jurisdiction_id"]

    @property
    def codes(self) -> list[str]:
        return [d["code"] for d in self.departments["departments"]]

    def department_of(self, category: str) -> str:
        """The department this municipality's taxonomy sends a category to: the expectation of a test that
        files, say, an uncollected-rubbish message (`cop_toplama`) in any town."""
        return next(c["department"] for c in self.taxonomy["categories"] if c["code"] == category)

    def department_name(self, code: str) -> str:
        return next(d["name_tr"] for d in self.departments["departments"] if d["code"] == code)

    def mahalles(self) -> dict[str, tuple[float, float]]:
        """Mahalle name → its polygon's label point (lon, lat), in the folder's order."""
        geo = json.loads((self.folder / "boundaries.geojson").read_text(encoding="utf-8"))
        return {f["properties"]["name"]: tuple(f["properties"]["label"]) for f in geo["features"]
                if f["properties"]["level"] == "mahalle"}

    def mahalle(self, index: int = 0) -> tuple[str, tuple[float, float]]:
        """A mahalle (name, (lon, lat)) of this town, by sorted name: stable across runs."""
        return sorted(self.mahalles().items())[index]

    @property
    def others(self) -> list[str]:
        """The other municipalities' short names: none may appear on this one's pages."""
        return [Town(n).identity["short_name"] for n in all_names() if n != self.name]


def _selected() -> str | None:
    name = os.environ.get("ULAKBEL_E2E_MUNICIPALITY", "").strip() or None
    if name is not None and name not in all_names():
        raise RuntimeError(f"ULAKBEL_E2E_MUNICIPALITY={name}: no municipalities/{name}/ (have {all_names()})")
    return name


SELECTED = _selected()
DEFAULT_TOWN = os.environ.get("ULAKBEL_MUNICIPALITY", "").strip() or default_name()  # what `ulakbel dev` runs
E2E_TOWN = SELECTED or DEFAULT_TOWN  # the browser and fuzzing tests' municipality
E2E_TOWNS = [SELECTED] if SELECTED else all_names()  # the door/flow tests' passes

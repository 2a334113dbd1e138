"""The municipality's departments (müdürlükler): departments.json of the municipality's folder (with the
identity's code, name and province from municipality.yaml), so another municipality replaces them."""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from . import data_files

DEFAULT_FILE = data_files.default_folder() / data_files.FILES["departments"]


@dataclass(frozen=True)
class Department:
    code: str
    name_tr: str
    name_en: str


@dataclass(frozen=True)
class Municipality:
    code: str
    name: str
    province: str
    timezone: str
    departments: tuple[Department, ...]
    triage_queue: str
    escalation_department: str  # overdue requests go up here (the mayor's office)
    outside_department: str  # forwarded to another institution
    channel_departments: tuple[tuple[str, str], ...] = ()  # channels with a fixed owner (Şeffaf Oda)

    def channel_department(self, channel: str) -> str | None:
        """The department that owns everything arriving on `channel` (staff-entered Şeffaf Oda), if any."""
        return dict(self.channel_departments).get(channel)

    def department(self, code: str) -> Department | None:
        return next((d for d in self.departments if d.code == code), None)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(d.code for d in self.departments)

    @property
    def queue_keys(self) -> tuple[str, ...]:
        """Every task queue: one per department plus the triage queue for a person to decide."""
        return self.codes + (self.triage_queue,)


@lru_cache(maxsize=4)
def _load(path: str, identity_path: str) -> Municipality:
    from .identity import load_identity

    raw = json.loads(Path(path).read_text(encoding="utf-8"))
    who = load_identity(identity_path)
    return Municipality(
        code=who.code,
        name=who.name,
        province=who.province,
        timezone=who.timezone,
        departments=tuple(Department(**d) for d in raw["departments"]),
        triage_queue=raw.get("triage_queue", "triage"),
        escalation_department=raw["escalation_department"],
        outside_department=raw["outside_department"],
        channel_departments=tuple(sorted((raw.get("channel_departments") or {}).items())),
    )


def municipality() -> Municipality:
    return _load(str(data_files.path("departments")), str(data_files.path("identity")))

"""The analytics counters' coordinates: a Cell (day × neighbourhood × category × channel × department) and
the Filters a dashboard reads cells with. Values shared by the analytics use case and its store adapter."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

# The public page hides any count under this (k-anonymity: a few requests could point at a person).
PUBLIC_MIN_COUNT = 5


@dataclass(frozen=True)
class Cell:
    day: str  # YYYY-MM-DD, Europe/Istanbul
    neighbourhood: str
    category: str
    channel: str
    department: str

    @property
    def month(self) -> str:
        return self.day[:7]

    def sort_key(self) -> str:
        return "#".join((self.day, self.neighbourhood, self.category, self.channel, self.department))

    @classmethod
    def from_sort_key(cls, key: str) -> "Cell":
        day, nbh, cat, channel, dept = key.split("#", 4)
        return cls(day, nbh, cat, channel, dept)


@dataclass
class Filters:
    since: date
    until: date
    channel: str | None = None
    department: str | None = None

    def months(self) -> list[str]:
        months, cur = [], self.since.replace(day=1)
        while cur <= self.until:
            months.append(cur.strftime("%Y-%m"))
            cur = (cur + timedelta(days=32)).replace(day=1)
        return months

    def accepts(self, cell: Cell) -> bool:
        return (self.since.isoformat() <= cell.day <= self.until.isoformat()
                and (not self.channel or cell.channel == self.channel)
                and (not self.department or cell.department == self.department))

"""The shape of each file of a municipality's folder (municipalities/<name>/), as pydantic models.

Why strict models: a misspelt key in a hand-edited file must be an error naming the file and the field, not a
setting silently ignored. `usecases/municipality_check.py` reads each file with these and then checks the
files against each other.
"""
from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from .models import Channel

TEMPLATE_KEYS = ("received", "routed", "resolved", "survey", "survey_email", "subject")  # notifications.yaml
CODE = r"^[a-z][a-z0-9_]{1,39}$"  # department codes become SQS queue names and Cognito groups (dept-<code>)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DepartmentEntry(_Strict):
    code: str = Field(pattern=CODE)
    name_tr: str = Field(min_length=1)
    name_en: str = Field(min_length=1)


class DepartmentsFile(_Strict):
    escalation_department: str
    outside_department: str
    channel_departments: dict[str, str] = Field(default_factory=dict)
    departments: list[DepartmentEntry] = Field(min_length=1)
    triage_queue: str = Field(default="triage", pattern=CODE)


class CalendarFile(_Strict):
    timezone: str = "Europe/Istanbul"
    weekend: list[int] = Field(default_factory=lambda: [6, 7])
    public_holidays: str | None = "TR"  # national holidays (the `holidays` package); local ones in extra_closed
    half_days_closed: bool = False
    extra_closed: list[date] = Field(default_factory=list)
    extra_open: list[date] = Field(default_factory=list)
    legal_days: dict[str, int] = Field(default_factory=dict)


class Bilingual(_Strict):
    tr: str = Field(min_length=1)
    en: str = Field(min_length=1)


class CannedReply(_Strict):
    title: str = Field(min_length=1)
    text: str = Field(min_length=1)


class StaffMember(_Strict):
    sub: str = Field(min_length=1)
    name: str | None = None


class Institution(_Strict):
    name: str = Field(min_length=1)
    scope: str = ""


class DemoCitizen(_Strict):
    name: str | None = None
    phone: str | None = None
    email: str | None = None
    handle: str | None = None
    platform_id: str | None = None


class DemoMessage(_Strict):
    channel: Channel
    text: str = Field(min_length=1)
    address: str | None = None
    hours_ago: float = Field(ge=0)
    citizen: DemoCitizen | None = None


class DemoDeadline(_Strict):
    channel: Channel
    text: str = Field(min_length=1)
    hours_ago: float = Field(ge=0)
    due_in_hours: float


class DemoFile(_Strict):
    """demo.yaml (optional): `ulakbel dev --seed-demo`'s messages of today."""
    today: list[DemoMessage] = Field(default_factory=list)
    deadlines: list[DemoDeadline] = Field(default_factory=list)

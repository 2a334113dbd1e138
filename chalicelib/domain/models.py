"""The request a citizen makes, from whichever channel, and everything that happens to it.

JSON field names here are the API's contract; inputs forbid unknown fields so a typo is a
clear 400 instead of silently lost data.
"""
from __future__ import annotations

from datetime import date, datetime, timezone
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .contact import is_valid_tc_kimlik, normalise_phone


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Channel(StrEnum):
    phone = "phone"
    beyaz_masa = "beyaz_masa"
    facebook = "facebook"
    instagram = "instagram"
    whatsapp = "whatsapp"
    x = "x"
    youtube = "youtube"
    sms = "sms"
    email = "email"
    mobile_app = "mobile_app"
    e_devlet = "e_devlet"
    cimer = "cimer"
    seffaf_oda = "seffaf_oda"


class Kind(StrEnum):
    sikayet = "sikayet"
    talep = "talep"
    oneri = "oneri"
    bilgi = "bilgi"
    tesekkur = "tesekkur"


class Status(StrEnum):
    new = "new"
    routed = "routed"
    in_progress = "in_progress"
    waiting_citizen = "waiting_citizen"
    resolved = "resolved"
    closed = "closed"
    forwarded = "forwarded"
    rejected = "rejected"
    duplicate = "duplicate"


# Where a request may go from each status. `resolved -> in_progress` is the reopen.
TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.new: frozenset({Status.routed, Status.rejected, Status.duplicate, Status.forwarded}),
    Status.routed: frozenset(
        {Status.in_progress, Status.waiting_citizen, Status.resolved, Status.forwarded, Status.rejected,
         Status.duplicate, Status.routed}
    ),
    Status.in_progress: frozenset(
        {Status.waiting_citizen, Status.resolved, Status.forwarded, Status.rejected, Status.duplicate,
         Status.routed}
    ),
    Status.waiting_citizen: frozenset({Status.in_progress, Status.resolved, Status.closed, Status.rejected}),
    Status.forwarded: frozenset({Status.in_progress, Status.resolved, Status.closed, Status.routed}),
    Status.resolved: frozenset({Status.closed, Status.in_progress}),
    Status.closed: frozenset(),
    Status.rejected: frozenset({Status.closed, Status.in_progress}),
    Status.duplicate: frozenset({Status.routed, Status.closed}),
}

OPEN_STATUSES = frozenset(
    {Status.new, Status.routed, Status.in_progress, Status.waiting_citizen, Status.forwarded}
)


def can_transition(current: Status, target: Status) -> bool:
    return target in TRANSITIONS[current]


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Citizen(_Input):
    """Personal data: never logged, masked for roles that may not see it (KVKK)."""

    name: str | None = Field(default=None, max_length=200)
    phone: str | None = Field(default=None, max_length=32, description="E.164, normalised on input")
    email: str | None = Field(default=None, max_length=254)
    handle: str | None = Field(default=None, max_length=200, description="Social account handle or display id")
    platform_id: str | None = Field(
        default=None, max_length=200, description="PSID / IGSID / wa_id / X user id / YouTube channel id"
    )
    tc_kimlik_no: str | None = Field(default=None, max_length=11)

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str | None) -> str | None:
        return normalise_phone(value) if value else None

    @field_validator("email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        if not value:
            return None
        local, at, domain = value.partition("@")
        if not at or not local or "." not in domain or " " in value:
            raise ValueError("E-posta adresi geçerli değil / e-mail address is not valid")
        return local + "@" + domain.lower()

    @field_validator("tc_kimlik_no")
    @classmethod
    def _tc(cls, value: str | None) -> str | None:
        if not value:
            return None
        if not is_valid_tc_kimlik(value):
            raise ValueError("TC kimlik numarası geçersiz / TC identity number failed its checksum")
        return value

    def is_empty(self) -> bool:
        return not any(self.model_dump().values())


class Location(_Input):
    address: str | None = Field(default=None, max_length=500)
    lat: float | None = Field(default=None, ge=-90, le=90)
    long: float | None = Field(default=None, ge=-180, le=180)
    neighbourhood: str | None = Field(default=None, max_length=100)

    @model_validator(mode="after")
    def _pair(self) -> "Location":
        if (self.lat is None) != (self.long is None):
            raise ValueError("lat ve long birlikte verilmeli / lat and long must be given together")
        return self


class Attachment(_Input):
    url: str | None = Field(default=None, max_length=2048)
    kind: Literal["image", "audio", "video", "file", "location", "sticker", "link"] = "file"
    content_type: str | None = Field(default=None, max_length=200)
    name: str | None = Field(default=None, max_length=300)
    size: int | None = Field(default=None, ge=0)
    provider_id: str | None = Field(default=None, max_length=300)
    caption: str | None = Field(default=None, max_length=2000)


class Meeting(_Input):
    """Şeffaf Oda / Başkanla Baş Başa meeting metadata."""

    date: date
    attendees: list[str] = Field(default_factory=list, max_length=50)
    topic: str | None = Field(default=None, max_length=300)


class TimelineEvent(BaseModel):
    """Append-only: once written, never edited."""

    model_config = ConfigDict(extra="ignore")

    id: str
    at: datetime
    type: str
    actor: str = "system"
    visibility: Literal["internal", "public"] = "internal"
    data: dict[str, Any] = Field(default_factory=dict)


def new_event(type_: str, actor: str, at: datetime, data: dict[str, Any], visibility: str = "internal"
              ) -> TimelineEvent:
    """A fresh timeline event (new ULID): what every workflow step appends."""
    from .identifiers import new_id

    return TimelineEvent(id=new_id(), at=at, type=type_, actor=actor, visibility=visibility, data=data)


class Classification(BaseModel):
    """Why the request went where it went: shown to staff, never guessed silently."""

    model_config = ConfigDict(extra="ignore")

    category: str | None = None
    department: str | None = None
    neighbourhood: str | None = None
    kind: Kind | None = None
    confidence: float = 0.0
    explanation: str = ""
    institution: str | None = None
    needs_triage: bool = False
    outside_municipality: bool = False  # the text or the coordinates place it outside the district
    model_version: str | None = None  # the learned classifier that decided (None: keyword rules alone)
    sla_hours: int | None = None
    priority: str | None = None
    overrides: list[str] = Field(default_factory=list)


class Request(BaseModel):
    """A citizen's request as stored and as returned by the API."""

    model_config = ConfigDict(extra="ignore")

    id: str
    tracking_code: str
    channel: Channel
    channel_ref: str | None = None
    received_at: datetime
    text: str
    citizen: Citizen | None = None
    location: Location | None = None
    category: str | None = None
    department: str | None = None
    kind: Kind | None = None
    status: Status = Status.new
    due_at: datetime | None = None
    version: int = 1
    attachments: list[Attachment] = Field(default_factory=list)
    timeline: list[TimelineEvent] = Field(default_factory=list)
    meeting: Meeting | None = None
    classification: Classification | None = None
    assignee: str | None = None
    updated_at: datetime | None = None
    created_by: str | None = None
    duplicate_of: str | None = Field(default=None, description="The open request this one was clustered into")
    duplicate_count: int = Field(default=0, description="How many later requests were clustered into this one")
    # Shared workflow/outbound/analytics facts (set by the use cases that own them):
    first_response_at: datetime | None = Field(default=None, description="First citizen-visible reply (outbound)")
    resolved_at: datetime | None = Field(default=None, description="Last transition into resolved/closed")
    satisfaction: int | None = Field(default=None, ge=1, le=5, description="Survey answer 1-5")
    merged_into: str | None = Field(default=None, description="Request this one was merged into by staff")
    escalation_level: int = Field(default=0, description="0 none, 1 lead warned (near due), 2 escalated to ozel_kalem")
    external_ref: str | None = Field(default=None, description="Reference given by an outside institution (the outside_department)")
    institution: str | None = Field(default=None, description="Outside institution a request was forwarded to")
    anonymised_at: datetime | None = Field(default=None, description="KVKK: personal data removed (retention/erasure)")
    public: bool = Field(default=False, description="Filed through Open311/the citizens' app to be listed publicly "
                                                    "(scrubbed, rounded) on /open311/v2; every other request is not")
    suspect: str | None = Field(default=None, description="Why the sender is unverified (e-mail SPF/DKIM/DMARC, "
                                                          "spam): never threaded, reopened or acknowledged")

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class RequestCreate(_Input):
    """Body of POST /requests: staff entry for Beyaz Masa, phone agents and Şeffaf Oda."""

    channel: Channel
    text: str = Field(min_length=1, max_length=20000)
    channel_ref: str | None = Field(default=None, max_length=512)
    citizen: Citizen | None = None
    location: Location | None = None
    attachments: list[Attachment] = Field(default_factory=list, max_length=50)
    meeting: Meeting | None = None


class IntakeCommand(RequestCreate):
    """What every channel hands to intake once it has verified and normalised its payload: a staff entry's
    fields (RequestCreate) and what a channel knows besides."""

    received_at: datetime | None = None
    due_at: datetime | None = None
    department: str | None = Field(default=None, description="Preset by staff or a channel with a fixed owner")
    category: str | None = Field(default=None, max_length=64, description="Preset category code (e.g. Open311 service_code)")
    in_reply_to: str | None = Field(default=None, max_length=512,
                                    description="Platform id of the message the citizen answered (e-mail Message-ID, parent comment)")
    actor: str = "system"
    public: bool = Field(default=False, description="Open311 only: list it (scrubbed) on the public Open311 reads")
    suspect: str | None = Field(default=None, max_length=300,
                                description="The channel could not verify the sender (e.g. e-mail failing DMARC)")


class StatusChange(_Input):
    status: Status
    note: str | None = Field(default=None, max_length=5000)
    version: int = Field(ge=1)


class Task(BaseModel):
    """A unit of work in a department's queue: one per request per routing decision."""

    task_id: str
    request_id: str
    tracking_code: str
    department: str
    category: str | None = None
    neighbourhood: str | None = None
    kind: str | None = None
    due_at: datetime | None = None
    summary: str = ""
    routed_at: datetime
    lease: str | None = None
    receive_count: int | None = None

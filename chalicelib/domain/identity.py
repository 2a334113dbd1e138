"""Who the municipality is (municipality.yaml of its folder): names, branding, contact lines and the Open311
jurisdiction. Everything the code used to say about one town comes from here, so another municipality is a
copied folder, not a code change (docs/municipality.md)."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator

from . import data_files

_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Bilingual(_Strict):
    tr: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def both(self) -> str:
        return f"{self.tr} / {self.en}"


class Colours(_Strict):
    primary: str  # header, buttons, the map's strongest shade
    accent: str  # highlights
    background: str = "#ffffff"

    @field_validator("primary", "accent", "background")
    @classmethod
    def _hex(cls, v: str) -> str:
        if not _COLOUR.match(v):
            raise ValueError(f"{v!r} is not a #rrggbb colour")
        return v.lower()


class Contact(_Strict):
    desk: str = Field(min_length=1)  # the citizens' desk (Beyaz Masa), the Open311 discovery contact
    phone: str = Field(min_length=1)
    email: str
    kvkk_email: str  # where KVKK applications go (aydınlatma metni)
    web: str = Field(pattern=r"^https://")
    address: str = Field(min_length=1)
    api_keys: str = Field(min_length=1)  # who issues Open311 api_keys (discovery key_service)

    @field_validator("email", "kvkk_email")
    @classmethod
    def _email(cls, v: str) -> str:
        if not _EMAIL.match(v):
            raise ValueError(f"{v!r} is not an e-mail address")
        return v


class Open311(_Strict):
    jurisdiction_id: str = Field(pattern=r"^[a-z0-9.-]+\.[a-z]{2,}$")  # the municipality's domain, lower case


class Identity(_Strict):
    code: str = Field(pattern=r"^[a-z][a-z0-9_-]{1,30}$")  # resource names (Cognito domain prefix)
    name: str = Field(min_length=1)  # "X Belediyesi": in every message to citizens
    display_name: Bilingual  # Turkish and English names ("Municipality of X")
    short_name: str = Field(min_length=1, max_length=12)  # app icon label, manifest short_name
    district: str = Field(min_length=1)  # the ilçe: addresses ("<mahalle> Mahallesi, <district>")
    province: str = Field(min_length=1)
    timezone: str = "Europe/Istanbul"
    page_title: Bilingual  # the public pages' title (citizens' app, Şeffaf belediye)
    colours: Colours
    contact: Contact
    notification_sender: str  # From: of e-mail to citizens on local/test (deployed: ULAKBEL_EMAIL_SENDER)
    open311: Open311
    fictional: bool = False  # an example, not a real municipality (shown as such)

    @field_validator("notification_sender")
    @classmethod
    def _sender(cls, v: str) -> str:
        if not _EMAIL.match(v):
            raise ValueError(f"{v!r} is not an e-mail address")
        return v

    def address(self, neighbourhood: str | None) -> str | None:
        return f"{neighbourhood} Mahallesi, {self.district}" if neighbourhood else None


@lru_cache(maxsize=8)
def _load(path: str) -> Identity:
    import yaml

    raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    return Identity.model_validate(raw)


def load_identity(path: Path | str) -> Identity:
    return _load(str(path))


def identity() -> Identity:
    """The selected municipality's identity (cached per file)."""
    return _load(str(data_files.path("identity")))


@lru_cache(maxsize=4)
def _zone(name: str):
    from zoneinfo import ZoneInfo

    return ZoneInfo(name)


def local_zone():
    """The municipality's time zone (municipality.yaml `timezone`, Europe/Istanbul): the one clock every time
    shown to staff and citizens, and every analytics day, is read on. Stored times stay UTC."""
    return _zone(identity().timezone)

"""API models of the KVKK endpoints."""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class CitizenErase(BaseModel):
    """Body of POST /citizens/erase: at least one identifier of the citizen."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    phone: str | None = Field(default=None, max_length=32)
    email: str | None = Field(default=None, max_length=254)
    tc_kimlik_no: str | None = Field(default=None, max_length=11)
    platform: Literal["facebook", "instagram", "whatsapp", "x", "youtube"] | None = Field(
        default=None, description="Social platform of `handle` / `platform_id`")
    handle: str | None = Field(default=None, max_length=200, description="Social account handle, e.g. @kullanici")
    platform_id: str | None = Field(default=None, max_length=200,
                                    description="PSID / IGSID / wa_id / X user id / YouTube channel id")


class ErasureResult(BaseModel):
    matched: int
    anonymised: int
    request_ids: list[str]
    media_deleted: int = Field(default=0, description="Photo versions deleted from the media bucket")
    records_deleted: int = Field(default=0, description="Outbound records and phone/e-mail markers deleted")

"""API models of the KVKK endpoints."""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class CitizenErase(BaseModel):
    """Body of POST /citizens/erase: at least one identifier of the citizen."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    phone: str | None = Field(default=None, max_length=32)
    email: str | None = Field(default=None, max_length=254)
    tc_kimlik_no: str | None = Field(default=None, max_length=11)


class ErasureResult(BaseModel):
    matched: int
    anonymised: int
    request_ids: list[str]

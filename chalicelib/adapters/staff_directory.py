"""Who works in a department (the console's assign picker): the user pool's group dept-<code> in AWS, a data
file locally. Names and subjects only; never logged."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from .aws import client

from ..domain import data_files


class FileStaffDirectory:
    """The municipality's staff.yaml (municipalities/<name>/), used on local/test."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or data_files.path("staff")

    @lru_cache(maxsize=1)
    def _all(self) -> dict[str, list[dict[str, str]]]:
        import yaml

        raw = yaml.safe_load(self.path.read_text(encoding="utf-8")) or {}
        return {str(d): [{"sub": str(m["sub"]), "name": str(m.get("name") or m["sub"])} for m in v]
                for d, v in raw.items()}

    def members(self, department: str) -> list[dict[str, str]]:
        return list(self._all().get(department, []))


class CognitoStaffDirectory:
    """ListUsersInGroup of the staff pool (group dept-<code>, as auth maps groups), all pages."""

    def __init__(self, user_pool_id: str) -> None:
        self.user_pool_id = user_pool_id

    def members(self, department: str) -> list[dict[str, str]]:
        out: list[dict[str, str]] = []
        kwargs: dict[str, Any] = {"UserPoolId": self.user_pool_id, "GroupName": f"dept-{department}",
                                  "Limit": 60}
        for _ in range(20):  # 1,200 members at most: a department, not a city
            try:
                page = client("cognito-idp").list_users_in_group(**kwargs)
            except client("cognito-idp").exceptions.ResourceNotFoundException:
                return []
            for user in page.get("Users", []):
                if not user.get("Enabled", True):
                    continue
                attrs = {a["Name"]: a["Value"] for a in user.get("Attributes", [])}
                sub = attrs.get("sub") or user["Username"]
                out.append({"sub": sub, "name": attrs.get("name") or user["Username"]})
            if not page.get("NextToken"):
                break
            kwargs["NextToken"] = page["NextToken"]
        return sorted(out, key=lambda m: m["name"])


def pool_id_from_issuer(issuer: str) -> str:
    """https://cognito-idp.<region>.amazonaws.com/<pool id> → <pool id>."""
    pool = issuer.rstrip("/").rsplit("/", 1)[-1]
    if "_" not in pool:
        raise ValueError("COGNITO_ISSUER does not end in a user pool id")
    return pool

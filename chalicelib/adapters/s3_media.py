"""Citizens' photos: presigned S3 uploads into the media bucket (moto locally)."""
from __future__ import annotations

import os

from ..domain import identifiers
from ..domain.errors import InvalidInput
from .aws import client

ALLOWED = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp", "image/heic": "heic"}
MAX_BYTES = 10 * 1024 * 1024
EXPIRES = 900


class S3MediaStore:
    def __init__(self, bucket: str) -> None:
        self.bucket = bucket

    def _public_base(self) -> str:
        endpoint = os.environ.get("AWS_ENDPOINT_URL")
        if endpoint:
            return f"{endpoint.rstrip('/')}/{self.bucket}"
        region = client("s3").meta.region_name
        return f"https://{self.bucket}.s3.{region}.amazonaws.com"

    def presign_upload(self, content_type: str, app: str) -> dict[str, str | int]:
        ext = ALLOWED.get((content_type or "").lower())
        if ext is None:
            raise InvalidInput("Yalnızca JPEG, PNG, WEBP veya HEIC fotoğraf yüklenebilir / "
                               "only JPEG, PNG, WEBP or HEIC images may be uploaded")
        key = f"open311/{identifiers.new_id()}.{ext}"
        url = client("s3").generate_presigned_url(
            "put_object",
            Params={"Bucket": self.bucket, "Key": key, "ContentType": content_type.lower()},
            ExpiresIn=EXPIRES,
        )
        return {"upload_url": url, "method": "PUT", "content_type": content_type.lower(),
                "media_url": f"{self._public_base()}/{key}", "expires_in": EXPIRES, "max_bytes": MAX_BYTES}

"""Citizens' photos: presigned S3 uploads into the media bucket (moto locally)."""
from __future__ import annotations

import re

from ..domain import identifiers
from ..domain.errors import InvalidInput
from .aws import client

ALLOWED = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp", "image/heic": "heic"}
MAX_BYTES = 10 * 1024 * 1024
EXPIRES = 900


NAME = re.compile(r"^[0-9A-HJKMNP-TV-Z]{26}\.(jpg|png|webp|heic)$")
# Voicemail recordings and their Transcribe output (chalicelib/adapters/transcribe.py), erased with the request.
VOICE_KEY = re.compile(r"^(voicemail/[0-9A-HJKMNP-TV-Z]{26}/[0-9A-Za-z_-]{1,80}\.(wav|mp3)"
                       r"|transcripts/ulakbel-[a-z0-9]+-vm-[0-9A-HJKMNP-TV-Z]{26}-[0-9A-Za-z_-]{1,80}\.json)$")


class S3MediaStore:
    """The bucket stays private: `media_url` is our stable URL that redirects to a short-lived signed GET."""

    def __init__(self, bucket: str, public_base_url: str) -> None:
        self.bucket = bucket
        self.public_base_url = public_base_url.rstrip("/")

    def download_url(self, name: str) -> str | None:
        if not NAME.match(name or ""):
            return None
        key = f"open311/{name}"
        try:
            client("s3").head_object(Bucket=self.bucket, Key=key)
        except Exception:
            return None
        return client("s3").generate_presigned_url("get_object", Params={"Bucket": self.bucket, "Key": key},
                                                   ExpiresIn=EXPIRES)

    def erase(self, url: str) -> int:
        """KVKK erasure: every version (and delete marker) of the photo behind one of our media URLs, so
        the bucket's versioning keeps no copy and `/open311/v2/media/<name>` answers 404. Foreign URLs: 0."""
        name = (url or "").split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
        voice = VOICE_KEY.match((url or "").removeprefix(f"s3://{self.bucket}/")) if (url or "").startswith(
            f"s3://{self.bucket}/") else None
        if voice is not None:  # issue 22: a voicemail recording or its transcript (s3:// URI on the timeline)
            key = voice.group(0)
        elif "/open311/v2/media/" not in (url or "") or not NAME.match(name):
            return 0
        else:
            key = f"open311/{name}"
        s3 = client("s3")
        versions: list[dict[str, str]] = []
        kwargs: dict = {"Bucket": self.bucket, "Prefix": key}
        while True:
            out = s3.list_object_versions(**kwargs)
            versions += [{"Key": v["Key"], "VersionId": v["VersionId"]}
                         for v in out.get("Versions", []) + out.get("DeleteMarkers", []) if v["Key"] == key]
            if not out.get("IsTruncated"):
                break
            kwargs.update(KeyMarker=out["NextKeyMarker"], VersionIdMarker=out["NextVersionIdMarker"])
        for start in range(0, len(versions), 1000):
            s3.delete_objects(Bucket=self.bucket, Delete={"Objects": versions[start:start + 1000], "Quiet": True})
        return len(versions)

    def presign_upload(self, content_type: str, app: str) -> dict[str, str | int]:
        ext = ALLOWED.get((content_type or "").lower())
        if ext is None:
            raise InvalidInput("Yalnızca JPEG, PNG, WEBP veya HEIC fotoğraf yüklenebilir / "
                               "only JPEG, PNG, WEBP or HEIC images may be uploaded")
        name = f"{identifiers.new_id()}.{ext}"
        key = f"open311/{name}"
        url = client("s3").generate_presigned_url(
            "put_object",
            Params={"Bucket": self.bucket, "Key": key, "ContentType": content_type.lower()},
            ExpiresIn=EXPIRES,
        )
        return {"upload_url": url, "method": "PUT", "content_type": content_type.lower(),
                "media_url": f"{self.public_base_url}/open311/v2/media/{name}", "expires_in": EXPIRES, "max_bytes": MAX_BYTES}

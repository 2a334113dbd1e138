"""Channel state kept in the table: YouTube's comment mark, uploads and WebSub intents, the Netgsm poll
window, and the Open311 API keys issued to apps."""
from __future__ import annotations


MARK_SK = "COMMENTS"
VIDEO_SK = "VIDEO"
INTENT_SK = "INTENT"
NETGSM_POLL_KEY = ("POLL#netgsm", "STATE")
OPEN311_KEY_SK = "KEY"


def youtube_mark_pk(channel_id: str) -> str:
    return f"CHANNELSTATE#youtube#{channel_id}"


def youtube_video_pk(video_id: str) -> str:
    return f"YTVIDEO#{video_id}"


def websub_pk(topic: str) -> str:
    return f"WEBSUB#youtube#{topic}"


def open311_key_pk(digest: str) -> str:
    return f"OPEN311KEY#{digest}"

"""YouTube channel state in the requests table: comment high-water mark and recorded uploads."""
from __future__ import annotations

from datetime import datetime, timezone

from .aws import client
from .schema import channels as keys


class YouTubeState:
    def __init__(self, table: str) -> None:
        self.table = table

    def get_mark(self, channel_id: str) -> datetime | None:
        item = client("dynamodb").get_item(TableName=self.table, ConsistentRead=True,
                                           Key={"PK": {"S": keys.youtube_mark_pk(channel_id)},
                                                "SK": {"S": keys.MARK_SK}}).get("Item")
        return datetime.fromisoformat(item["mark"]["S"]) if item else None

    def set_mark(self, channel_id: str, mark: datetime) -> None:
        """Only ever moves forward (a slow, older run cannot rewind a newer mark)."""
        from botocore.exceptions import ClientError

        value = mark.astimezone(timezone.utc).isoformat(timespec="microseconds")
        try:
            client("dynamodb").put_item(
                TableName=self.table,
                Item={"PK": {"S": keys.youtube_mark_pk(channel_id)}, "SK": {"S": keys.MARK_SK},
                      "mark": {"S": value}},
                ConditionExpression="attribute_not_exists(PK) OR #m < :m",
                ExpressionAttributeNames={"#m": "mark"}, ExpressionAttributeValues={":m": {"S": value}})
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise

    def record_video(self, video_id: str, channel_id: str | None, title: str | None,
                     published: datetime | None, deleted: bool) -> None:
        item = {"PK": {"S": keys.youtube_video_pk(video_id)}, "SK": {"S": keys.VIDEO_SK}, "deleted": {"BOOL": deleted}}
        if channel_id:
            item["channel_id"] = {"S": channel_id}
        if title:
            item["title"] = {"S": title[:500]}
        if published:
            item["published"] = {"S": published.isoformat()}
        client("dynamodb").put_item(TableName=self.table, Item=item)

    def get_video(self, video_id: str) -> dict | None:
        return client("dynamodb").get_item(TableName=self.table, ConsistentRead=True,
                                           Key={"PK": {"S": keys.youtube_video_pk(video_id)},
                                                "SK": {"S": keys.VIDEO_SK}}).get("Item")

    def record_intent(self, topic: str, mode: str, at: int) -> None:
        """What we last asked the WebSub hub for this topic (intent verification checks it)."""
        client("dynamodb").put_item(TableName=self.table, Item={
            "PK": {"S": keys.websub_pk(topic)}, "SK": {"S": keys.INTENT_SK}, "mode": {"S": mode},
            "at": {"N": str(int(at))}})

    def get_intent(self, topic: str) -> dict | None:
        item = client("dynamodb").get_item(TableName=self.table, ConsistentRead=True, Key={
            "PK": {"S": keys.websub_pk(topic)}, "SK": {"S": keys.INTENT_SK}}).get("Item")
        return {"mode": item["mode"]["S"], "at": int(item["at"]["N"])} if item else None

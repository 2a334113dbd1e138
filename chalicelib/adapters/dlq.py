"""Dead-letter queues on SQS: list them with their depth, read them out, move messages back to the source."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator

from botocore.exceptions import ClientError

from .. import resources
from .aws import client


@dataclass(frozen=True)
class DeadLetterPair:
    key: str
    source: str  # queue name
    dlq: str
    fifo: bool
    kind: str  # "task" | "service"


def pairs(stage: str) -> list[DeadLetterPair]:
    """Every DLQ of resources.py with the queue it belongs to."""
    out = [DeadLetterPair(key, n.name, n.dlq, True, "task") for key, n in resources.task_queues(stage).items()]
    for key in resources.SERVICE_QUEUES:
        n = resources.service_queue(stage, key)
        out.append(DeadLetterPair(key, n.name, n.dlq, False, "service"))
    return out


def queue_url(name: str) -> str | None:
    try:
        return client("sqs").get_queue_url(QueueName=name)["QueueUrl"]
    except ClientError:
        return None


def depth(url: str) -> int:
    attrs = client("sqs").get_queue_attributes(
        QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"])
    a = attrs["Attributes"]
    return int(a.get("ApproximateNumberOfMessages", 0)) + int(a.get("ApproximateNumberOfMessagesNotVisible", 0))


def read_all(url: str, *, visibility: int = 120, rounds: int = 1000) -> Iterator[dict[str, Any]]:
    """Every message currently visible, each hidden for `visibility` seconds until deleted or it reappears."""
    sqs = client("sqs")
    for _ in range(rounds):
        out = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=0,
                                  VisibilityTimeout=visibility, AttributeNames=["All"],
                                  MessageAttributeNames=["All"])
        messages = out.get("Messages", [])
        if not messages:
            return
        yield from messages


def delete(url: str, message: dict[str, Any]) -> None:
    client("sqs").delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])


def send(url: str, body: str, *, attributes: dict[str, Any] | None = None, group: str | None = None,
         dedupe: str | None = None) -> str:
    kwargs: dict[str, Any] = {"QueueUrl": url, "MessageBody": body}
    if attributes:
        kwargs["MessageAttributes"] = attributes
    if group:
        kwargs["MessageGroupId"] = group
    if dedupe:
        kwargs["MessageDeduplicationId"] = dedupe[:128]
    return client("sqs").send_message(**kwargs)["MessageId"]


def stream_records(info: dict[str, Any]) -> list[dict[str, Any]]:
    """Re-read the records an AWS on-failure destination message points at (DDBStreamBatchInfo)."""
    streams = client("dynamodbstreams")
    it = streams.get_shard_iterator(StreamArn=info["streamArn"], ShardId=info["shardId"],
                                    ShardIteratorType="AT_SEQUENCE_NUMBER",
                                    SequenceNumber=info["startSequenceNumber"])["ShardIterator"]
    out = streams.get_records(ShardIterator=it, Limit=max(int(info.get("batchSize", 1)), 1))
    end = int(info.get("endSequenceNumber", info["startSequenceNumber"]))
    return [r for r in out.get("Records", []) if int(r["dynamodb"]["SequenceNumber"]) <= end]

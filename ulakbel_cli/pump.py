"""Delivers locally what `chalice local` cannot: DynamoDB stream records, SQS messages and schedules,
to the very same Lambda handler functions that run in AWS (app.handler_map), with AWS's semantics:
partial batch failures are retried from the first failed record, and records that keep failing go
to the stream-failures queue (the on-failure destination in AWS).
"""
from __future__ import annotations

import json
import re
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from chalice.local import LambdaContext

from chalicelib import resources
from chalicelib.adapters.aws import client

MAX_STREAM_ATTEMPTS = 4


@dataclass
class _Shard:
    shard_id: str
    iterator: str | None
    attempts: int = 0
    next_rescan: float = 0.0
    last_seq: str | None = None  # last record handed to the consumers (see _rebind)


@dataclass
class _Schedule:
    name: str
    every: float
    next_at: float = field(default=0.0)


def _rate_seconds(expression: Any) -> float:
    text = expression.to_string() if hasattr(expression, "to_string") else str(expression)
    m = re.match(r"rate\((\d+) (minute|minutes|hour|hours|day|days)\)", text)
    if not m:
        return 300.0  # cron: locally approximated by a five-minute cadence
    unit = {"minute": 60, "hour": 3600, "day": 86400}[m.group(2).rstrip("s")]
    return float(m.group(1)) * unit


def _fingerprint(record: dict) -> str:
    return record.get("eventID") or json.dumps(
        [record["dynamodb"].get("SequenceNumber"), record["dynamodb"].get("Keys"), record.get("eventName")],
        sort_keys=True)


class Pump:
    def __init__(self, app, stage: str, *, schedule_seconds: float | None = None, log=print) -> None:
        self.app = app
        self.stage = stage
        self.log = log
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._shards: dict[str, _Shard] = {}
        self._stream_arn: str | None = None
        self._schedules = [
            _Schedule(name=src.name, every=schedule_seconds or _rate_seconds(src.schedule_expression),
                      next_at=time.monotonic() + (schedule_seconds or _rate_seconds(src.schedule_expression)))
            for src in app.event_sources
            if type(src).__name__ == "ScheduledEventConfig"
        ]
        self.delivered = 0

    # -- invocation -----------------------------------------------------------------------
    def invoke(self, name: str, event: dict) -> Any:
        return self.app.handler_map[name](event, LambdaContext(name, memory_size=512))

    # -- DynamoDB stream ------------------------------------------------------------------
    def _refresh_shards(self) -> None:
        streams = client("dynamodbstreams")
        if self._stream_arn is None:
            table = client("dynamodb").describe_table(TableName=resources.table_name(self.stage))["Table"]
            self._stream_arn = table["LatestStreamArn"]
        shards = streams.describe_stream(StreamArn=self._stream_arn)["StreamDescription"]["Shards"]
        for shard in shards:
            if shard["ShardId"] not in self._shards:
                it = streams.get_shard_iterator(StreamArn=self._stream_arn, ShardId=shard["ShardId"],
                                                ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
                self._shards[shard["ShardId"]] = _Shard(shard["ShardId"], it)

    def pump_stream(self) -> int:
        self._refresh_shards()
        streams = client("dynamodbstreams")
        handled = 0
        for shard in self._shards.values():
            if not shard.iterator:
                continue
            out = streams.get_records(ShardIterator=shard.iterator, Limit=100)
            records = out.get("Records", [])
            if not records and (fresh := self._rebind(shard)):
                out = streams.get_records(ShardIterator=fresh, Limit=100)
                records = out.get("Records", [])
            if not records:
                shard.iterator = out.get("NextShardIterator")
                handled += self._rescan(shard)
                continue
            records = [r for r in records if _fingerprint(r) not in self._seen]
            if not records:
                shard.iterator = out.get("NextShardIterator")
                continue
            for r in records:
                r["eventSourceARN"] = self._stream_arn
            failed_at = None
            for name in resources.STREAM_CONSUMERS:
                response = self.invoke(name, {"Records": records}) or {}
                failures = [f["itemIdentifier"] for f in response.get("batchItemFailures", [])]
                if failures:
                    seqs = [r["dynamodb"]["SequenceNumber"] for r in records]
                    first = min(seqs.index(f) for f in failures if f in seqs) if any(f in seqs for f in failures) \
                        else 0
                    failed_at = first if failed_at is None else min(failed_at, first)
            if failed_at is None:
                self._seen.update(_fingerprint(r) for r in records)
                shard.last_seq = records[-1]["dynamodb"]["SequenceNumber"]
                shard.iterator = out.get("NextShardIterator")
                shard.attempts = 0
                handled += len(records)
                continue
            shard.attempts += 1
            failed = records[failed_at]
            handled += failed_at
            if shard.attempts >= MAX_STREAM_ATTEMPTS:
                self._dead_letter(failed)
                shard.attempts = 0
                nxt = failed_at + 1
            else:
                nxt = failed_at
            self._seen.update(_fingerprint(r) for r in records[:nxt])
            if nxt < len(records):
                shard.iterator = streams.get_shard_iterator(
                    StreamArn=self._stream_arn, ShardId=shard.shard_id, ShardIteratorType="AT_SEQUENCE_NUMBER",
                    SequenceNumber=records[nxt]["dynamodb"]["SequenceNumber"])["ShardIterator"]
            else:
                shard.iterator = out.get("NextShardIterator")
        self.delivered += handled
        return handled

    @property
    def _seen(self) -> set[str]:
        return self.__dict__.setdefault("_seen_records", set())

    def _rescan(self, shard: _Shard, every: float = 1.0) -> int:
        """moto replaces a table (and its stream shard) with a copy when a transaction is cancelled, e.g. an
        intake redelivery hitting the dedupe condition: open iterators then miss later records. So an idle
        shard is re-read from the start now and then, and records not yet delivered are delivered."""
        now = time.monotonic()
        if not self.__dict__.get("_force_rescan") and now < shard.next_rescan:
            return 0
        shard.next_rescan = now + every
        streams = client("dynamodbstreams")
        it = streams.get_shard_iterator(StreamArn=self._stream_arn, ShardId=shard.shard_id,
                                        ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        unseen: list[dict] = []
        while it:
            out = streams.get_records(ShardIterator=it, Limit=1000)
            if not out.get("Records"):
                break
            unseen += [r for r in out["Records"] if _fingerprint(r) not in self._seen]
            it = out.get("NextShardIterator")
        delivered = 0
        for start in range(0, len(unseen), 100):
            batch = unseen[start:start + 100]
            for r in batch:
                r["eventSourceARN"] = self._stream_arn
            failed: set[str] = set()
            for name in resources.STREAM_CONSUMERS:
                response = self.invoke(name, {"Records": batch}) or {}
                failed |= {f["itemIdentifier"] for f in response.get("batchItemFailures", [])}
            ok = [r for r in batch if r["dynamodb"]["SequenceNumber"] not in failed]
            self._seen.update(_fingerprint(r) for r in ok)
            delivered += len(ok)
        return delivered
    def _rebind(self, shard: _Shard) -> str | None:
        """moto restores a deep copy of its tables when a transaction is cancelled (e.g. a 409 on a stale
        version), which orphans open shard iterators: an idle shard is re-opened after the last record."""
        if shard.last_seq is None:
            return None
        try:
            return client("dynamodbstreams").get_shard_iterator(
                StreamArn=self._stream_arn, ShardId=shard.shard_id, ShardIteratorType="AFTER_SEQUENCE_NUMBER",
                SequenceNumber=shard.last_seq)["ShardIterator"]
        except Exception:
            return None

    def _dead_letter(self, record: dict) -> None:
        key = "stream-failures"
        if key not in resources.SERVICE_QUEUES:
            self.log(f"stream record {record['dynamodb']['SequenceNumber']} failed repeatedly; dropped")
            return
        sqs = client("sqs")
        url = sqs.get_queue_url(QueueName=resources.service_queue(self.stage, key).name)["QueueUrl"]
        sqs.send_message(QueueUrl=url, MessageBody=json.dumps({"record": record}, default=str))

    # -- SQS consumers --------------------------------------------------------------------
    def pump_queues(self) -> int:
        handled = 0
        sqs = client("sqs")
        for function, key in resources.QUEUE_CONSUMERS.items():
            names = resources.service_queue(self.stage, key)
            url = sqs.get_queue_url(QueueName=names.name)["QueueUrl"]
            out = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=0,
                                      AttributeNames=["All"], MessageAttributeNames=["All"])
            messages = out.get("Messages", [])
            if not messages:
                continue
            arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
            records = [
                {
                    "messageId": m["MessageId"], "receiptHandle": m["ReceiptHandle"], "body": m["Body"],
                    "attributes": m.get("Attributes", {}), "messageAttributes": m.get("MessageAttributes", {}),
                    "md5OfBody": m.get("MD5OfBody"), "eventSource": "aws:sqs", "eventSourceARN": arn,
                    "awsRegion": sqs.meta.region_name,
                }
                for m in messages
            ]
            response = self.invoke(function, {"Records": records}) or {}
            failed = {f["itemIdentifier"] for f in response.get("batchItemFailures", [])}
            for m in messages:
                if m["MessageId"] not in failed:
                    sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
                    handled += 1
        self.delivered += handled
        return handled

    # -- SNS topics -----------------------------------------------------------------------
    def _sns_queue(self, function: str, topic: str) -> str:
        """An SQS queue subscribed to the topic stands in for the Lambda subscription (created once)."""
        cache = self.__dict__.setdefault("_sns_queues", {})
        if function not in cache:
            sqs, sns = client("sqs"), client("sns")
            url = sqs.create_queue(QueueName=f"ulakbel-{self.stage}-sns-{function}")["QueueUrl"]
            arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
            topic_arn = sns.create_topic(Name=topic)["TopicArn"]
            sns.subscribe(TopicArn=topic_arn, Protocol="sqs", Endpoint=arn)
            cache[function] = url
        return cache[function]

    def pump_sns(self) -> int:
        """Deliver messages published to SNS topics to the on_sns_message functions, as Lambda events."""
        handled = 0
        sqs = client("sqs")
        for src in self.app.event_sources:
            if type(src).__name__ != "SNSEventConfig":
                continue
            url = self._sns_queue(src.name, src.topic)
            out = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=0, VisibilityTimeout=1,
                                      AttributeNames=["ApproximateReceiveCount"])
            for m in out.get("Messages", []):
                envelope = json.loads(m["Body"])
                event = {"Records": [{"EventSource": "aws:sns", "EventVersion": "1.0",
                                      "EventSubscriptionArn": f"{envelope.get('TopicArn')}:local",
                                      "Sns": {"Subject": None, **envelope,
                                              "SigningCertUrl": envelope.get("SigningCertURL", ""),
                                              "UnsubscribeUrl": envelope.get("UnsubscribeURL", ""),
                                              "MessageAttributes": envelope.get("MessageAttributes", {})}}]}
                try:
                    self.invoke(src.name, event)
                except Exception as exc:  # Lambda retries an async invoke twice, then drops it
                    self.log(f"sns {src.name} failed: {type(exc).__name__}")
                    if int(m.get("Attributes", {}).get("ApproximateReceiveCount", "1")) < 3:
                        continue
                sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
                handled += 1
        self.delivered += handled
        return handled

    # -- schedules ------------------------------------------------------------------------
    def pump_schedules(self, *, force: bool = False) -> int:
        ran = 0
        now = time.monotonic()
        for s in self._schedules:
            if force or now >= s.next_at:
                s.next_at = now + s.every
                event = {"version": "0", "id": str(uuid.uuid4()), "detail-type": "Scheduled Event",
                         "source": "aws.events", "time": datetime.now(timezone.utc).isoformat(),
                         "region": "eu-central-1", "account": "000000000000",
                         "resources": [f"local:rule/{s.name}"], "detail": {}}
                try:
                    self.invoke(s.name, event)
                except Exception as exc:  # a failing schedule must not stop the pump
                    self.log(f"scheduled {s.name} failed: {type(exc).__name__}")
                ran += 1
        return ran

    # -- loop -----------------------------------------------------------------------------
    def run_once(self) -> int:
        return self.pump_stream() + self.pump_queues() + self.pump_sns()

    def drain(self, rounds: int = 50) -> int:
        """Deliver until nothing is left (tests and seeding)."""
        total = 0
        self.__dict__["_force_rescan"] = True  # drain must not leave a record behind (see _rescan)
        try:
            for _ in range(rounds):
                n = self.run_once()
                total += n
                if n == 0:
                    break
        finally:
            self.__dict__["_force_rescan"] = False
        return total

    def _loop(self, interval: float) -> None:
        while not self._stop.is_set():
            try:
                moved = self.run_once()
                self.pump_schedules()
            except Exception as exc:
                self.log(f"pump: {type(exc).__name__}: {exc}")
                moved = 0
            if not moved:
                self._stop.wait(interval)

    def start(self, interval: float = 0.2) -> None:
        self._thread = threading.Thread(target=self._loop, args=(interval,), name="ulakbel-pump", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(timeout=5)

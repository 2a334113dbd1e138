"""Delivers locally what `chalice local` cannot: DynamoDB stream records, SQS messages and schedules,
to the very same Lambda handler functions that run in AWS (app.handler_map), with AWS's semantics:
partial batch failures are retried from the first failed record, and records that keep failing go
to the stream-failures queue (the on-failure destination in AWS).
"""
from __future__ import annotations

import json
import re
import os
import threading
import time
import uuid
import zlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from chalice.local import LambdaContext

from chalicelib import resources
from chalicelib.adapters.aws import client

MAX_STREAM_ATTEMPTS = 4
DEFAULT_STREAM_BATCH_SIZE = 100  # Lambda's default BatchSize for a DynamoDB stream
DEFAULT_STREAM_PARALLELISM = 1  # Lambda's default ParallelizationFactor (1..10)


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
    def __init__(self, app, stage: str, *, schedule_seconds: float | None = None, log=print,
                 stream_batch_size: int | None = None, stream_parallelism: int | None = None) -> None:
        """Batch size and parallelism per shard: arguments, else ULAKBEL_STREAM_BATCH_SIZE and
        ULAKBEL_STREAM_PARALLELISM, else Lambda's defaults (100, 1)."""
        self.app = app
        self.batch_size = stream_batch_size or int(os.environ.get("ULAKBEL_STREAM_BATCH_SIZE")
                                                   or DEFAULT_STREAM_BATCH_SIZE)
        self.parallelism = stream_parallelism or int(os.environ.get("ULAKBEL_STREAM_PARALLELISM")
                                                     or DEFAULT_STREAM_PARALLELISM)
        if not (1 <= self.batch_size <= 10000 and 1 <= self.parallelism <= 10):
            raise ValueError("stream batch size must be 1..10000 and parallelism 1..10 (as in Lambda)")
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
        from chalicelib.adapters.stream_filters import stream_filters

        # The event source mappings' FilterCriteria (infra/stack.py), applied here as Lambda applies them: a
        # consumer sees only the records its patterns match, and is not invoked for a batch with none.
        self.stream_filters = stream_filters()

    # -- invocation -----------------------------------------------------------------------
    def invoke(self, name: str, event: dict) -> Any:
        return self.app.handler_map[name](event, LambdaContext(name, memory_size=512))

    def _consumers_of(self, record: dict) -> frozenset[str]:
        """The consumers whose filter lets `record` through (matched once per record, not once per use)."""
        from chalicelib.adapters.stream_filters import matches

        return frozenset(name for name in resources.STREAM_CONSUMERS
                         if (patterns := self.stream_filters.get(name)) is None or matches(patterns, record))

    def _invoke_stream(self, name: str, batch: list[dict], consumers: dict[int, frozenset[str]] | None = None) -> dict:
        """One consumer, the batch's records its filter lets through (none: not invoked, as in Lambda)."""
        if consumers is None:
            consumers = {id(r): self._consumers_of(r) for r in batch}
        wanted = [r for r in batch if name in consumers[id(r)]]
        if not wanted:
            return {}
        return self.invoke(name, {"Records": wanted}) or {}

    # -- DynamoDB stream ------------------------------------------------------------------
    def _refresh_shards(self, every: float = 10.0) -> None:
        """Learn the stream's shards: at start, then at most every `every` seconds (not on every round: a
        DescribeStream per round was a tenth of the pump's own cost while routing)."""
        now = time.monotonic()
        if self._shards and now < self.__dict__.get("_shards_fresh_until", 0.0):
            return
        self.__dict__["_shards_fresh_until"] = now + every
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
        """One round per shard: up to batch_size × parallelism records, split by partition key into at most
        `parallelism` concurrent batches (Lambda's ParallelizationFactor: one key's records stay in order)."""
        self._refresh_shards()
        streams = client("dynamodbstreams")
        handled = 0
        fetch = min(1000, self.batch_size * self.parallelism)
        for shard in self._shards.values():
            if not shard.iterator:
                continue
            out = streams.get_records(ShardIterator=shard.iterator, Limit=fetch)
            records = out.get("Records", [])
            if not records and (fresh := self._rebind(shard)):
                out = streams.get_records(ShardIterator=fresh, Limit=fetch)
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
            delivered, failed = self._deliver(records)
            self._seen.update(_fingerprint(r) for r in delivered)
            handled += len(delivered)
            if not failed:
                shard.last_seq = records[-1]["dynamodb"]["SequenceNumber"]
                shard.iterator = out.get("NextShardIterator")
                shard.attempts = 0
                continue
            shard.attempts += 1
            if shard.attempts >= MAX_STREAM_ATTEMPTS:
                for record in failed:
                    self._dead_letter(record)
                self._seen.update(_fingerprint(r) for r in failed)
                shard.attempts = 0
            pending = [r for r in records if _fingerprint(r) not in self._seen]
            if pending:  # retried from the first record not yet handled; handled ones are skipped
                shard.iterator = streams.get_shard_iterator(
                    StreamArn=self._stream_arn, ShardId=shard.shard_id, ShardIteratorType="AT_SEQUENCE_NUMBER",
                    SequenceNumber=pending[0]["dynamodb"]["SequenceNumber"])["ShardIterator"]
            else:
                shard.last_seq = records[-1]["dynamodb"]["SequenceNumber"]
                shard.iterator = out.get("NextShardIterator")
        self.delivered += handled
        return handled

    def _deliver(self, records: list[dict]) -> tuple[list[dict], list[dict]]:
        """Hand `records` to every stream consumer in batches; returns (handled, first failed record of each
        failed partition-key group). A group stops at its first failure: later records of it wait for the retry."""
        groups: dict[int, list[dict]] = {}
        for r in records:
            key = json.dumps(r["dynamodb"].get("Keys", {}).get("PK"), sort_keys=True)
            groups.setdefault(zlib.crc32(key.encode()) % self.parallelism, []).append(r)
        batches = list(groups.values())
        if len(batches) == 1 or self.parallelism == 1:
            results = [self._deliver_group(batch) for batch in batches]
        else:
            results = list(self._executor().map(self._deliver_group, batches))
        delivered = [r for ok, _ in results for r in ok]
        failed = [f for _, f in results if f is not None]
        return delivered, failed

    def _deliver_group(self, group: list[dict]) -> tuple[list[dict], dict | None]:
        """Batches of up to batch_size records that some consumer's filter lets through (as Lambda forms batches
        after filtering); the records no filter lets through are done without an invocation."""
        consumers = {id(r): self._consumers_of(r) for r in group}
        wanted = [r for r in group if consumers[id(r)]]
        position = {id(r): i for i, r in enumerate(group)}
        for start in range(0, len(wanted), self.batch_size):
            batch = wanted[start:start + self.batch_size]
            failed_at = None
            for name in resources.STREAM_CONSUMERS:
                try:
                    response = self._invoke_stream(name, batch, consumers)
                except Exception as exc:  # a crashed invocation fails the whole batch, as in Lambda
                    self.log(f"stream {name} failed: {type(exc).__name__}")
                    failed_at = 0
                    continue
                seqs = [r["dynamodb"]["SequenceNumber"] for r in batch]
                failures = [seqs.index(f["itemIdentifier"]) if f["itemIdentifier"] in seqs else 0
                            for f in response.get("batchItemFailures", [])]
                if failures:
                    failed_at = min(failures) if failed_at is None else min(failed_at, *failures)
            if failed_at is not None:
                first = batch[failed_at]
                return group[:position[id(first)]], first
        return group, None

    def _executor(self) -> ThreadPoolExecutor:
        if self.__dict__.get("_pool") is None:
            self.__dict__["_pool"] = ThreadPoolExecutor(max_workers=self.parallelism,
                                                        thread_name_prefix="ulakbel-stream")
        return self.__dict__["_pool"]

    @property
    def _seen(self) -> set[str]:
        return self.__dict__.setdefault("_seen_records", set())

    def _rescan(self, shard: _Shard, every: float = 1.0) -> int:
        """moto replaces a table (and its stream shard) with a copy when a transaction is cancelled, e.g. an
        intake redelivery hitting the dedupe condition: open iterators then miss later records. So an idle
        shard is re-read from the start now and then, and records not yet delivered are delivered.

        That read grows with the stream, so it is skipped when nothing can have been orphaned: with the dev
        speed-up (moto_speedups) installed, only a transaction handed back to moto's own code copies a table."""
        from . import moto_speedups

        now = time.monotonic()
        forced = self.__dict__.get("_force_rescan")
        if not forced and now < shard.next_rescan:
            return 0
        shard.next_rescan = now + every
        if not forced and moto_speedups.active() \
                and self.__dict__.get("_fallbacks_seen") == moto_speedups.fallback_count():
            return 0
        self.__dict__["_fallbacks_seen"] = moto_speedups.fallback_count()
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
        for start in range(0, len(unseen), self.batch_size):
            batch = unseen[start:start + self.batch_size]
            for r in batch:
                r["eventSourceARN"] = self._stream_arn
            failed: set[str] = set()
            for name in resources.STREAM_CONSUMERS:
                response = self._invoke_stream(name, batch)
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

    def skip_existing(self) -> int:
        """Start after every record already in the stream (a preloaded history is not new work, as in AWS
        where a table's past left the 24-hour stream long ago). Returns how many records were skipped."""
        from . import moto_speedups

        self._refresh_shards()
        streams = client("dynamodbstreams")
        skipped = 0
        for shard in self._shards.values():
            it = shard.iterator
            while it:
                out = streams.get_records(ShardIterator=it, Limit=1000)
                records = out.get("Records", [])
                self._seen.update(_fingerprint(r) for r in records)
                skipped += len(records)
                if records:
                    shard.last_seq = records[-1]["dynamodb"]["SequenceNumber"]
                it = out.get("NextShardIterator")
                if not records:
                    break
            shard.iterator = it
        self.__dict__["_fallbacks_seen"] = moto_speedups.fallback_count()
        return skipped

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
        known = self.__dict__.setdefault("_queue_addresses", {})  # function -> (url, arn), learnt once
        for function, key in resources.QUEUE_CONSUMERS.items():
            if function not in known:
                url = sqs.get_queue_url(QueueName=resources.service_queue(self.stage, key).name)["QueueUrl"]
                known[function] = (url, sqs.get_queue_attributes(
                    QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"])
            url, arn = known[function]
            out = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=0,
                                      AttributeNames=["All"], MessageAttributeNames=["All"])
            messages = out.get("Messages", [])
            if not messages:
                continue
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

    # -- Amazon Transcribe (moto) → EventBridge -------------------------------------------
    def pump_transcribe(self, *, every: float = 1.0) -> int:
        """What EventBridge does in AWS: a "Transcribe Job State Change" event to `voicemail_transcribed` when a
        job of this stage finishes. moto completes jobs as they are polled but writes no transcript, so the
        fixture transcript of the recording (chalicelib/adapters/local_voicemail.py) is written to the job's
        output key first. A failing invocation is retried on later rounds (EventBridge retries too), 3 times."""
        from chalicelib.adapters.local_voicemail import local_transcript
        from chalicelib.adapters.transcribe import transcript_key

        if "voicemail_transcribed" not in self.app.handler_map:
            return 0
        now = time.monotonic()
        if not self.__dict__.get("_force_rescan") and now < self.__dict__.get("_transcribe_next", 0.0):
            return 0
        self.__dict__["_transcribe_next"] = now + every
        done: dict[str, int] = self.__dict__.setdefault("_transcribe_done", {})
        prefix = f"ulakbel-{self.stage}-vm-"
        tr = client("transcribe")
        jobs = tr.list_transcription_jobs(JobNameContains=prefix, MaxResults=100).get("TranscriptionJobSummaries", [])
        emitted = 0
        for summary in jobs:
            name = summary["TranscriptionJobName"]
            if not name.startswith(prefix) or done.get(name, 0) < 0 or done.get(name, 0) >= 3:
                continue
            job = tr.get_transcription_job(TranscriptionJobName=name)["TranscriptionJob"]  # moto: one step on
            status = job["TranscriptionJobStatus"]
            if status not in ("COMPLETED", "FAILED"):
                emitted += 1  # still moving: a drain goes on until it has finished
                continue
            if status == "COMPLETED":
                recording_id = name[len(prefix):].split("-", 1)[-1]
                bucket = resources.bucket_name(self.stage, resources.MEDIA_BUCKET)
                client("s3").put_object(Bucket=bucket, Key=transcript_key(name), ContentType="application/json",
                                        Body=json.dumps(local_transcript(recording_id), ensure_ascii=False).encode())
            event = {"version": "0", "id": str(uuid.uuid4()), "detail-type": "Transcribe Job State Change",
                     "source": "aws.transcribe", "account": resources.LOCAL_ACCOUNT,
                     "time": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
                     "region": client("transcribe").meta.region_name, "resources": [],
                     "detail": {"TranscriptionJobName": name, "TranscriptionJobStatus": status}}
            try:
                self.invoke("voicemail_transcribed", event)
            except Exception as exc:
                self.log(f"transcribe event {type(exc).__name__}; retried")
                done[name] = done.get(name, 0) + 1
                continue
            done[name] = -1
            emitted += 1
        self.delivered += emitted
        return emitted

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
        return self.pump_stream() + self.pump_queues() + self.pump_sns() + self.pump_transcribe()

    def drain(self, rounds: int = 50) -> int:
        """Deliver until nothing is left (tests and seeding)."""
        total = 0
        self.__dict__["_force_rescan"] = True  # drain must not leave a record behind (see _rescan)
        try:
            for _ in range(rounds):
                n = self.run_once()
                total += n
                if n == 0 and not any(s.attempts for s in self._shards.values()):  # retries pending: go on
                    break
        finally:
            self.__dict__["_force_rescan"] = False
        return total

    def _loop(self, interval: float, side_interval: float = 1.0) -> None:
        """The stream is read every round; queues and topics once a second while they are quiet (Lambda polls
        each source on its own; polling the idle queues and topics on every stream round cost the pump more
        than reading the stream did, and each poll is a call the embedded AWS must answer)."""
        queues_due = 0.0
        while not self._stop.is_set():
            try:
                moved = self.pump_stream()
                if time.monotonic() >= queues_due:
                    side = self.pump_queues() + self.pump_sns() + self.pump_transcribe()  # EventBridge too
                    queues_due = time.monotonic() + (0 if side else max(interval, side_interval))
                    moved += side
            except Exception as exc:
                self.log(f"pump: {type(exc).__name__}: {exc}")
                moved = 0
            if not moved:
                self._stop.wait(interval)

    def _schedule_loop(self, interval: float) -> None:
        """Schedules on a thread of their own: in AWS each is its own Lambda invocation, so an escalation sweep
        with a thousand overdue requests never holds the stream back (run inline, it stalled routing for
        minutes in the issue-21 benchmark)."""
        while not self._stop.is_set():
            try:
                self.pump_schedules()
            except Exception as exc:
                self.log(f"pump schedules: {type(exc).__name__}: {exc}")
            self._stop.wait(interval)

    def start(self, interval: float = 0.2) -> None:
        self._thread = threading.Thread(target=self._loop, args=(interval,), name="ulakbel-pump", daemon=True)
        self._thread.start()
        self._schedules_thread = threading.Thread(target=self._schedule_loop, args=(max(interval, 1.0),),
                                                  name="ulakbel-schedules", daemon=True)
        self._schedules_thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(timeout=5)
        if self.__dict__.get("_schedules_thread") is not None:
            self._schedules_thread.join(timeout=5)
        if self.__dict__.get("_pool") is not None:
            self.__dict__["_pool"].shutdown(wait=False)

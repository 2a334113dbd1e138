"""Department task queues on SQS (FIFO: a re-sent task id is dropped by SQS within its dedupe window)."""
from __future__ import annotations

import base64
import json

from botocore.exceptions import ClientError, ConnectionError as AwsConnectionError, HTTPClientError

from ..domain.errors import InvalidInput, NotFound, TemporarilyUnavailable
from ..domain.models import Task
from ..domain.ports import LeasedTask
from .. import resources
from .aws import client


def _encode_lease(receipt: str) -> str:
    return base64.urlsafe_b64encode(receipt.encode()).decode().rstrip("=")


def _decode_lease(lease: str) -> str:
    try:
        return base64.urlsafe_b64decode(lease + "=" * (-len(lease) % 4)).decode()
    except Exception:
        raise InvalidInput("Kiralama jetonu bozuk / the lease token is malformed") from None


SEND_BATCH = 10  # SendMessageBatch's entry limit


class SqsTaskQueue:
    def __init__(self, stage: str) -> None:
        self.stage = stage
        self._urls: dict[str, str] = {}

    def url(self, key: str) -> str:
        if key not in self._urls:
            name = resources.task_queue(self.stage, key).name
            try:
                self._urls[key] = client("sqs").get_queue_url(QueueName=name)["QueueUrl"]
            except ClientError as exc:
                raise NotFound(f"Kuyruk bulunamadı: {name} / queue not found") from exc
        return self._urls[key]

    def send(self, task: Task) -> None:
        try:
            client("sqs").send_message(
                QueueUrl=self.url(task.department),
                MessageBody=task.model_dump_json(),
                MessageGroupId=task.request_id,
                MessageDeduplicationId=task.task_id,
            )
        except (ClientError, HTTPClientError, AwsConnectionError) as exc:
            raise TemporarilyUnavailable("Görev kuyruğu yanıt vermiyor / task queue unavailable") from exc

    def send_many(self, tasks: list[Task]) -> dict[str, Exception]:
        """One SendMessageBatch per department per ≤ 10 tasks (SQS's batch limit), not one call per task
        (issue 21). A failed entry or call fails only its own tasks."""
        by_queue: dict[str, list[Task]] = {}
        for task in tasks:
            by_queue.setdefault(task.department, []).append(task)
        failed: dict[str, Exception] = {}
        for department, group in by_queue.items():
            for start in range(0, len(group), SEND_BATCH):
                chunk = group[start:start + SEND_BATCH]
                try:
                    out = client("sqs").send_message_batch(QueueUrl=self.url(department), Entries=[
                        {"Id": str(i), "MessageBody": task.model_dump_json(), "MessageGroupId": task.request_id,
                         "MessageDeduplicationId": task.task_id} for i, task in enumerate(chunk)])
                except (ClientError, HTTPClientError, AwsConnectionError, NotFound) as exc:
                    why = exc if isinstance(exc, NotFound) else TemporarilyUnavailable(
                        "Görev kuyruğu yanıt vermiyor / task queue unavailable")
                    failed.update((task.task_id, why) for task in chunk)
                    continue
                for entry in out.get("Failed", []):
                    failed[chunk[int(entry["Id"])].task_id] = TemporarilyUnavailable(
                        "Görev kuyruğu görevi almadı / task queue refused the task: " + entry.get("Code", "?"))
        return failed

    def lease(self, key: str, max_tasks: int, wait_seconds: int, lease_seconds: int) -> list[LeasedTask]:
        out = client("sqs").receive_message(
            QueueUrl=self.url(key),
            MaxNumberOfMessages=max_tasks,
            WaitTimeSeconds=wait_seconds,
            VisibilityTimeout=lease_seconds,
            AttributeNames=["ApproximateReceiveCount"],
        )
        leased = []
        for msg in out.get("Messages", []):
            try:
                task = Task.model_validate(json.loads(msg["Body"]))
            except ValueError:  # pydantic's ValidationError and JSON errors are ValueErrors
                # One unreadable message (an older schema, a bad replay) must not fail the whole lease: it is
                # left out; SQS redelivers it until the redrive policy moves it to the DLQ for staff to see.
                from ..observability import count, logger

                count("TaskUnreadable", queue=key)
                logger().warning("task message unreadable; left for the DLQ", extra={"queue": key})
                continue
            lease = _encode_lease(msg["ReceiptHandle"])
            task.lease = lease
            task.receive_count = int(msg.get("Attributes", {}).get("ApproximateReceiveCount", 1))
            leased.append(LeasedTask(task=task, lease=lease, message_id=msg["MessageId"],
                                     receive_count=task.receive_count))
        return leased

    def ack(self, key: str, lease: str) -> None:
        self._with_receipt("delete_message", key, lease)

    def release(self, key: str, lease: str) -> None:
        self._with_receipt("change_message_visibility", key, lease, VisibilityTimeout=0)

    def _with_receipt(self, method: str, key: str, lease: str, **extra) -> None:
        try:
            getattr(client("sqs"), method)(QueueUrl=self.url(key), ReceiptHandle=_decode_lease(lease), **extra)
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "")
            if "ReceiptHandle" in code or code in ("InvalidParameterValue", "MessageNotInflight"):
                raise NotFound("Kiralama bulunamadı ya da süresi doldu / lease not found or expired") from exc
            raise

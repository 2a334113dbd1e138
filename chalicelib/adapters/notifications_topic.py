"""The `notifications` SNS topic: escalation warnings and escalations for the department leads (their
e-mail/SMS subscriptions hang off it)."""
from __future__ import annotations

import json
from typing import Any

from .aws import client


class NotificationsTopic:
    def __init__(self, topic_name: str):
        self.topic_name = topic_name

    def __call__(self, kind: str, req: Any) -> None:
        sns = client("sns")
        arn = sns.create_topic(Name=self.topic_name)["TopicArn"]
        sns.publish(TopicArn=arn, Subject=kind, Message=json.dumps({
            "type": kind, "request_id": req.id, "tracking_code": req.tracking_code, "department": req.department,
            "due_at": req.due_at.isoformat() if req.due_at else None, "escalation_level": req.escalation_level}))

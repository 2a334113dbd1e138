"""AWS calls per request on every path, counted with botocore `before-call` hooks on the app's own clients.

Run: `python -m bench.aws_calls`. Targets: intake = 1 (one transaction), routing ≤ 2, each notification 1
(the platform send; the consumer's DynamoDB bookkeeping is reported beside it), zero Scan.
Runs in-process against an embedded moto server, through the Chalice test client and the real handlers.
"""
from __future__ import annotations

import json
import os
from collections import Counter

from bench.common import FIXTURES, with_embedded_aws, write

N = 20
PER_PATH = 6
# dev-only secrets for the signed webhook paths (the same senders as bench/end_to_end.py sign with them)
WEBHOOK_SECRETS = {"META_APP_SECRET": "bench-meta-secret", "X_CONSUMER_SECRET": "bench-x-secret",
                   "TWILIO_AUTH_TOKEN": "bench-twilio-token", "OPEN311_DEV_API_KEY": "bench-open311-key",
                   "PUBLIC_BASE_URL": "http://bench.local"}
TEXTS = ["Sokak lambası yanmıyor", "Çöpler toplanmadı", "Parktaki salıncak kırık", "Yolda çukur var",
         "Su borusu patladı", "Başıboş köpekler var"]


def main() -> dict:
    return with_embedded_aws(_measure, **WEBHOOK_SECRETS)


def _measure() -> dict:
    from chalice.local import LambdaContext
    from chalice.test import Client

    from app import app
    from chalicelib import container
    from chalicelib.adapters import aws
    from chalicelib.adapters.bootstrap import bootstrap
    from chalicelib.auth import issue_dev_token
    from ulakbel_cli.pump import Pump

    container.reset()
    bootstrap("local")
    calls: list[str] = []

    def hook(model=None, **_):
        calls.append(model.name)

    aws.add_hook("before-call", hook)
    agent = {"Authorization": "Bearer " + issue_dev_token(os.environ["ULAKBEL_DEV_SIGNING_KEY"], role="agent"),
             "Content-Type": "application/json"}
    admin = {"Authorization": "Bearer " + issue_dev_token(os.environ["ULAKBEL_DEV_SIGNING_KEY"], role="admin"),
             "Content-Type": "application/json"}
    out: dict = {}
    all_ops: Counter = Counter()
    with Client(app, stage_name="local") as client:
        calls.clear()
        for i in range(N):
            client.http.post("/requests", headers=agent, body=json.dumps(
                {"channel": "beyaz_masa", "text": f"{TEXTS[i % len(TEXTS)]} #{i}", "channel_ref": f"b-{i}"}))
        out["intake"] = {"calls_per_request": len(calls) / N, "operations": dict(Counter(calls)), "target": 1}
        all_ops.update(calls)
        # each webhook path: the real signed webhooks of bench/end_to_end.py, through the real handlers
        from types import SimpleNamespace

        from bench.end_to_end import SENDERS

        fake_dev = SimpleNamespace(base=WEBHOOK_SECRETS["PUBLIC_BASE_URL"], _bench_secrets=WEBHOOK_SECRETS)
        out["webhook_paths"] = {}
        for name, build in SENDERS.items():
            if name == "staff_api":
                continue
            calls.clear()
            statuses = []
            for i in range(PER_PATH):
                method, path, headers, body = build(fake_dev, i, f"awsc{name}")
                statuses.append(client.http.request(method, path, headers=headers, body=body).status_code)
            out["webhook_paths"][name] = {"path": path, "calls_per_request": len(calls) / PER_PATH,
                                          "operations": dict(Counter(calls)), "statuses": sorted(set(statuses)),
                                          "target": 1}
            all_ops.update(calls)
        # routing: fetch records outside the counted window, then call the real stream handler per record
        from chalicelib.adapters.aws import client as aws_client

        streams = aws_client("dynamodbstreams")
        arn = aws_client("dynamodb").describe_table(TableName="ulakbel-local-requests")["Table"]["LatestStreamArn"]
        records = []
        for shard in streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]:
            it = streams.get_shard_iterator(StreamArn=arn, ShardId=shard["ShardId"],
                                            ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
            records += streams.get_records(ShardIterator=it, Limit=1000)["Records"]
        records = [r for r in records if r["eventName"] == "INSERT" and r["dynamodb"]["Keys"]["SK"]["S"] == "META"]
        records = records[:N]
        handler = app.handler_map["route_requests"]
        calls.clear()
        for r in records:
            r["eventSourceARN"] = arn
            handler({"Records": [r]}, LambdaContext("route_requests", memory_size=512))
        queue_lookups = calls.count("GetQueueUrl")
        out["routing"] = {"calls_per_request": (len(calls) - queue_lookups) / len(records),
                          "queue_url_lookups_per_container": queue_lookups,
                          "operations": dict(Counter(calls)), "target": 2}
        all_ops.update(calls)
        calls.clear()
        for path in ("/requests?limit=50", "/departments"):
            client.http.get(path, headers=admin)
        out["reads"] = {"operations": dict(Counter(calls))}
        all_ops.update(calls)
        calls.clear()
        rid = json.loads(client.http.get("/requests?limit=1", headers=admin).body)["items"][0]["id"]
        calls.clear()
        client.http.get(f"/requests/{rid}", headers=admin)
        out["get_request"] = {"calls": len(calls), "operations": dict(Counter(calls))}
        all_ops.update(calls)
        # scheduled jobs: every schedule of the app, once
        calls.clear()
        sched = Pump(app, "local", log=lambda *_: None)
        sched.pump_schedules(force=True)
        out["scheduled_jobs"] = {"operations": dict(Counter(calls)), "jobs": len(sched._schedules)}
        all_ops.update(calls)
    out["notifications"] = _notifications(app, calls)
    all_ops.update(out["notifications"]["all_operations"])
    out["scan_calls"] = all_ops.get("Scan", 0)
    out["all_operations"] = dict(all_ops)
    write("aws_calls", out)
    print(f"AWS calls: intake {out['intake']['calls_per_request']:.2f}/request (target 1), routing "
          f"{out['routing']['calls_per_request']:.2f}/request (target ≤ 2; +{queue_lookups} queue-URL lookups "
          f"per warm container), Scan calls {out['scan_calls']} (target 0)")
    print("  webhook paths (target 1): " + ", ".join(
        f"{k} {v['calls_per_request']:.2f} {v['statuses']}" for k, v in out["webhook_paths"].items()))
    routes = out["notifications"]["routes"]
    print("  each notification, platform send (target 1): " + ", ".join(
        f"{r} {v['send_calls_per_message']:g} {'+'.join(v['send_operations']) or 'HTTP'} ({v['sent']} sent)"
        for r, v in routes.items()))
    print("  + consumer bookkeeping DynamoDB calls per message: " + ", ".join(
        f"{r} {v['bookkeeping_calls_per_message']:g}" for r, v in routes.items()))
    return out


# -- notifications ----------------------------------------------------------------------------------

PER_ROUTE = 3
# route → (kind, platform fixture answering the HTTP call or None for AWS, citizen address, in_reply_to)
ROUTES = {
    "sms": ("notification", None, "+905051230000", None),
    "email": ("notification", None, "vatandas@example.com", None),
    "whatsapp": ("notification", ("meta", "send_whatsapp_response.json"), "905321110000", None),
    "messenger": ("reply", ("meta", "send_messenger_response.json"), "6482910375", None),
    "x_dm": ("reply", ("x", "send_dm_response.json"), "1346889436626259968", None),
    "x_reply": ("reply", ("x", "send_reply_response.json"), None, "1861432555543216000"),
    "twilio_sms": ("reply", ("twilio", "send_message_response.json"), "+905051230001", None),
    "youtube_comment": ("reply", ("youtube", "send_comment_response.json"), None, "UgzDE2tasfmrYLyNkGt4AaABAg"),
}


class RecordedPlatform:
    """The platforms' injectable HTTP transport, answering with a recorded response (tests/fixtures)."""

    def __init__(self, platform: str, name: str) -> None:
        self.body = (FIXTURES / platform / name).read_bytes()
        self.calls = 0

    def __call__(self, method, url, headers, body):
        from chalicelib.domain.outbound import HttpResponse

        self.calls += 1
        return HttpResponse(200 if "twilio" not in url else 201, self.body, {"Content-Type": "application/json"})


def _notifications(app, calls: list[str]) -> dict:
    """The real consumer (`send_outbound`, an SQS batch of one) sending through the real senders: SMS on SNS,
    e-mail on SES (moto), platforms through their HTTP transport answering from recorded responses. Per
    message: the platform send itself (target 1) and the consumer's bookkeeping DynamoDB calls (state marker,
    opt-out lookups, daily-cap slot, delivery-report link, timeline event), reported separately."""
    from datetime import timedelta

    from chalice.local import LambdaContext

    from chalicelib import container
    from chalicelib.adapters import aws
    from chalicelib.adapters.outbound_aws import ensure_ses_identity
    from chalicelib.channels.email.outbound import SesEmailSender
    from chalicelib.channels.meta.outbound import MetaSender
    from chalicelib.channels.sms.outbound import SnsSmsSender
    from chalicelib.channels.twilio.outbound import TwilioSender
    from chalicelib.channels.x.outbound import XSender
    from chalicelib.channels.youtube.outbound import YouTubeSender
    from chalicelib.domain import identifiers
    from chalicelib.domain.models import Channel, Citizen, IntakeCommand, utcnow
    from chalicelib.domain.outbound import OutboundMessage
    from chalicelib.usecases.intake import intake

    s = container.outbound_settings()
    transports = {route: RecordedPlatform(*fx) for route, (_, fx, _, _) in ROUTES.items() if fx}
    builders = {"whatsapp": lambda t: MetaSender(s.meta_config(), t),
                "messenger": lambda t: MetaSender(s.meta_config(), t),
                "x_dm": lambda t: XSender(s.x_config(), t), "x_reply": lambda t: XSender(s.x_config(), t),
                "twilio_sms": lambda t: TwilioSender(s.twilio_config(), t),
                "youtube_comment": lambda t: YouTubeSender(s.youtube_config(), t)}
    senders = {route: builders[route](t) for route, t in transports.items()}
    senders["sms"] = SnsSmsSender(aws.client("sns"), s.sms_sender_id)
    senders["email"] = SesEmailSender(aws.client("ses"), s.email_sender, s.ses_configuration_set)
    ensure_ses_identity(s.email_sender)
    container.override("outbound_senders", senders)
    repo = container.repository()
    arn = "arn:aws:sqs:eu-central-1:123456789012:ulakbel-local-outbound"
    handler = app.handler_map["send_outbound"]
    by_service: list[tuple[str, str]] = []

    def hook(model=None, **_):
        by_service.append((model.service_model.service_name, model.name))

    aws.add_hook("before-call", hook)
    routes: dict = {}
    try:
        for route, (kind, _, to, in_reply_to) in ROUTES.items():
            messages = []
            for i in range(PER_ROUTE):  # the request each message belongs to, outside the counted window
                request, _ = intake(IntakeCommand(channel=Channel.beyaz_masa, text=f"Bildirim ölçümü {route} {i}",
                                                  channel_ref=f"notify-{route}-{i}",
                                                  citizen=Citizen(phone="+905051239999")), repo)
                messages.append(OutboundMessage(
                    message_id=identifiers.new_id(), request_id=request.id, route=route, kind=kind, to=to,
                    in_reply_to=in_reply_to, text="Talebiniz alındı. Takip kodu: " + request.tracking_code,
                    template="received" if kind == "notification" else None,
                    last_inbound_at=utcnow() - timedelta(hours=1), tracking_code=request.tracking_code,
                    created_at=utcnow(), subject="Talebiniz / Your request " + request.tracking_code))
            by_service.clear()
            mark = len(calls)
            outcomes = []
            for m in messages:
                record = {"messageId": m.message_id, "receiptHandle": "rh-" + m.message_id,
                          "body": m.model_dump_json(), "attributes": {"ApproximateReceiveCount": "1"},
                          "messageAttributes": {}, "md5OfBody": "", "eventSource": "aws:sqs",
                          "eventSourceARN": arn, "awsRegion": "eu-central-1"}
                outcomes.append(handler({"Records": [record]}, LambdaContext("send_outbound", memory_size=512)))
            send_ops = [op for svc, op in by_service if svc in ("sns", "ses")]
            book_ops = [op for svc, op in by_service if svc == "dynamodb"]
            other = [f"{svc}:{op}" for svc, op in by_service if svc not in ("sns", "ses", "dynamodb")]
            sent = [e for e in message_states(repo, messages) if e == "sent"]
            http = transports[route].calls if route in transports else 0
            routes[route] = {
                "kind": kind, "messages": len(messages), "sent": len(sent), "aws_send": route not in transports,
                "send_calls_per_message": (len(send_ops) if route not in transports else http) / len(messages),
                "send_operations": sorted(set(send_ops)),
                "http_calls_per_message": http / len(messages),
                "bookkeeping_calls_per_message": len(book_ops) / len(messages),
                "bookkeeping_operations": dict(Counter(book_ops)), "other_calls": other,
                "batch_failures": sum(len(o.get("batchItemFailures", [])) for o in outcomes),
            }
            del calls[mark:]  # counted here, per route, not in the request-path totals above
    finally:
        aws.remove_hook("before-call", hook)
    every = Counter()
    for v in routes.values():
        every.update({op: n * v["messages"] for op, n in v["bookkeeping_operations"].items()})
        every.update({op: v["messages"] for op in v["send_operations"]})
    return {"target": 1, "target_refers_to": "the platform send (SNS Publish / SES SendRawEmail / one HTTP call)",
            "routes": routes, "all_operations": dict(every),
            "note": "bookkeeping = the consumer's DynamoDB calls per message: state marker reads/writes, opt-out "
                    "lookups (SMS/WhatsApp/e-mail), the daily-cap slot (notifications only), the delivery-report "
                    "link and the timeline event"}


def message_states(repo, messages) -> list[str]:
    """The outcome of each message as recorded by the consumer (its state marker)."""
    return [repo.send_state(m.message_id, [])[0].get("state", "") for m in messages]


if __name__ == "__main__":
    main()

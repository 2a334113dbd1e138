"""AWS calls per request, counted with botocore `before-call` hooks on the application's own clients."""
from __future__ import annotations

import json
from collections import Counter

import pytest

from chalicelib.adapters.aws import client as aws_client
from tests.conftest import auth
from tests.support.aws_calls import recording

MUTATING = {"TransactWriteItems", "PutItem", "UpdateItem", "DeleteItem", "SendMessage", "SendMessageBatch"}


def _create(client, text, **extra):
    body = {"channel": "beyaz_masa", "text": text, **extra}
    return client.http.post("/requests", headers=auth("agent"), body=json.dumps(body))


def _stream_records(aws):
    """Fetch the table's stream records the way the pump does, outside the counted window."""
    streams = aws_client("dynamodbstreams")
    arn = aws["stream_arn"]
    records = []
    for shard in streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]:
        it = streams.get_shard_iterator(StreamArn=arn, ShardId=shard["ShardId"],
                                        ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        records += streams.get_records(ShardIterator=it, Limit=1000)["Records"]
    for r in records:
        r["eventSourceARN"] = arn
    return records


def test_api_intake_is_exactly_one_transaction(client):
    _create(client, "Isınma: ilk istek kuyruk adreslerini öğrenir")  # nothing to warm, but keep it honest
    with recording() as calls:
        for i in range(5):
            res = _create(client, f"Sokak lambası yanmıyor {i}", channel_ref=f"ref-{i}")
            assert res.status_code == 201
    print(f"\nintake: {len(calls)} AWS calls for 5 requests: {dict(calls.counts())}")
    assert calls.operations == ["TransactWriteItems"] * 5


def test_redelivered_intake_costs_a_failed_transaction_and_two_reads_only(client):
    assert _create(client, "Çöp toplanmadı", channel_ref="dup-1").status_code == 201
    with recording() as calls:
        assert _create(client, "Çöp toplanmadı", channel_ref="dup-1").status_code == 200
    assert calls.counts()["TransactWriteItems"] == 1
    assert not (set(calls.operations) & (MUTATING - {"TransactWriteItems"}))


@pytest.mark.parametrize("with_place", [False, True])
def test_routing_costs_at_most_two_writes(client, app, aws, with_place):
    from chalice.local import LambdaContext

    n = 6
    for i in range(n):
        text = (f"Harman mahallesinde {i}. sokakta çöpler toplanmadı" if with_place
                else f"Ağaç budaması gerekiyor numara {i} lütfen bakın")
        assert _create(client, text).status_code == 201
    records = [r for r in _stream_records(aws) if r["eventName"] == "INSERT"
               and r["dynamodb"]["Keys"]["SK"]["S"] == "META"]
    assert len(records) == n
    handler = app.handler_map["route_requests"]
    handler({"Records": records[:1]}, LambdaContext("route_requests", memory_size=512))  # learns queue URL
    with recording() as calls:
        for record in records[1:]:
            out = handler({"Records": [record]}, LambdaContext("route_requests", memory_size=512))
            assert out == {"batchItemFailures": []}
    per_request = len(calls) / (n - 1)
    writes = sum(1 for op in calls.operations if op in MUTATING) / (n - 1)
    print(f"\nrouting ({'with' if with_place else 'without'} place): {per_request:.1f} AWS calls per request "
          f"({writes:.1f} writes): {dict(calls.counts())}")
    # A new task: SendMessage (the task) + TransactWriteItems (the routed mark). A clustered duplicate:
    # one TransactWriteItems linking it to the open primary, no task.
    assert writes == (1 if with_place else 2)
    # The duplicate-cluster look-up is one GetItem of the bounded recent-open item (+ one BatchGetItem of the
    # candidates when it holds any), needed only when a category and neighbourhood are known; never a Query.
    assert per_request <= (3 if with_place else 2)
    assert not ({"Scan", "Query"} & set(calls.operations))


def test_signed_whatsapp_and_sms_webhooks_are_one_transaction_each(client, monkeypatch):
    """Unthreaded channels ask "reopen?" and (SMS) "opted out?" inside intake's transaction: 1 call each."""
    from urllib.parse import parse_qs, urlencode

    from chalicelib import container
    from chalicelib.channels.meta.inbound import sign as meta_sign
    from chalicelib.channels.twilio.inbound import compute_signature
    from tests.conftest import FIXTURES

    monkeypatch.setenv("META_APP_SECRET", "meta-secret-for-calls")
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", "twilio-token-for-calls")
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://ulakbel.example")
    container.reset()
    wa = json.loads((FIXTURES / "meta/whatsapp_text.json").read_text())
    message = wa["entry"][0]["changes"][0]["value"]["messages"][0]
    message.pop("context", None)  # an ordinary message, not a quoted reply (that one looks the quote up)
    sms = parse_qs((FIXTURES / "twilio/sms_inbound.txt").read_text(), keep_blank_values=True)
    with recording() as calls:
        for i in range(3):
            message["id"] = f"wamid.calls{i}"
            raw = json.dumps(wa).encode()
            r = client.http.post("/webhooks/meta", body=raw, headers={
                "Content-Type": "application/json", "X-Hub-Signature-256": meta_sign(raw, "meta-secret-for-calls")})
            assert r.status_code == 200, r.body
    assert calls.operations == ["TransactWriteItems"] * 3
    with recording() as calls:
        for i in range(3):
            params = {**sms, "MessageSid": [f"SMcalls{i}"], "SmsMessageSid": [f"SMcalls{i}"]}
            sig = compute_signature("https://ulakbel.example/webhooks/twilio/sms", params, "twilio-token-for-calls")
            r = client.http.post("/webhooks/twilio/sms", body=urlencode(params, doseq=True), headers={
                "Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": sig})
            assert r.status_code == 200 and b"<Response/>" in r.body  # acknowledged by the notification
    assert calls.operations == ["TransactWriteItems"] * 3
    assert len(client.http.get("/requests?limit=50", headers=auth("admin")).json_body["items"]) == 6


@pytest.mark.parametrize("route,to,service,operation", [
    ("sms", "+905051234567", "sns", "Publish"),
    ("email", "vatandas@example.com", "ses", "SendRawEmail"),
])
def test_one_notification_is_one_platform_send(app, aws, route, to, service, operation):
    """The outbound consumer (an SQS batch of one) sends a citizen notification with exactly one SNS Publish /
    one SES send through the real senders; its bookkeeping is DynamoDB only (markers, timeline) and never a Scan."""
    from datetime import datetime, timezone

    from chalice.local import LambdaContext

    from chalicelib import container
    from chalicelib.adapters.outbound_aws import ensure_ses_identity
    from chalicelib.domain.models import Channel, Citizen, IntakeCommand
    from chalicelib.domain.outbound import OutboundMessage
    from chalicelib.usecases.intake import intake
    from chalicelib.adapters.schema.outbound import state_pk

    repo = container.repository()
    ensure_ses_identity(container.outbound_settings().email_sender)
    container.outbound_senders()  # built (and its SES identity checked) outside the counted window
    messages = []
    for i in range(3):
        request, _ = intake(IntakeCommand(channel=Channel.beyaz_masa, text=f"Çöp toplanmadı {i}",
                                          channel_ref=f"n-{route}-{i}", citizen=Citizen(phone="+905059998877")),
                            repo)
        messages.append(OutboundMessage(message_id=f"01JNOTIFY{route.upper()}{i}", request_id=request.id,
                                        route=route, kind="notification", template="received", to=to,
                                        text=f"Talebiniz alındı. Takip kodu: {request.tracking_code}",
                                        tracking_code=request.tracking_code,
                                        created_at=datetime.now(timezone.utc)))
    handler = app.handler_map["send_outbound"]
    with recording() as calls:
        for m in messages:
            record = {"messageId": m.message_id, "receiptHandle": "rh-" + m.message_id, "body": m.model_dump_json(),
                      "attributes": {"ApproximateReceiveCount": "1"}, "messageAttributes": {}, "md5OfBody": "",
                      "eventSource": "aws:sqs", "eventSourceARN": "arn:aws:sqs:eu-central-1:123456789012:outbound",
                      "awsRegion": "eu-central-1"}
            out = handler({"Records": [record]}, LambdaContext("send_outbound", memory_size=512))
            assert out == {"batchItemFailures": []}
    by_service = {}
    for c in calls.calls:
        by_service.setdefault(c.service, []).append(c.operation)
    print(f"\n{route} notification: {len(calls) / len(messages):.1f} AWS calls per message: {dict(calls.counts())}")
    assert by_service.pop(service) == [operation] * len(messages)  # one platform send per notification
    assert set(by_service) == {"dynamodb"}  # the rest is bookkeeping in the table (no second send)
    table = Counter(by_service["dynamodb"])
    # one read (state + every opt-out marker), one transaction after the send ("sent" + marker + event)
    assert table["BatchGetItem"] == table["TransactWriteItems"] == len(messages) and "GetItem" not in table
    assert "Scan" not in calls.operations
    for m in messages:
        assert repo.get_marker(state_pk(m.message_id), "STATE")["state"] == "sent"

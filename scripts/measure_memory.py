"""Peak memory (RSS) of each Lambda function: import of the app + a typical invocation, one fresh process each.

    .venv/bin/python scripts/measure_memory.py          # prints a table (Markdown) of MB per function

The parent starts moto, bootstraps the local stage and prepares real events (stream records of requests filed
through the API, an outbound message from the notification consumer, SNS/Connect fixtures, schedules). Each
function then runs in its own child process, the way a Lambda sandbox would: peak RSS (VmHWM) before the import,
after it, and after the invocation. The figures feed FUNCTION_MEMORY_MB in infra/stack.py (docs/deploy.md).
"""
from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
KEY = "measure-signing-key-not-secret-0123456789"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SCHEDULED = {"version": "0", "id": "1", "detail-type": "Scheduled Event", "source": "aws.events",
             "account": "000000000000", "time": "2026-01-01T00:00:00Z", "region": "eu-central-1",
             "resources": ["local:rule/x"], "detail": {}}


def _mb() -> float:
    """Peak RSS of this process image. VmHWM, not ru_maxrss: Linux carries ru_maxrss across fork+exec, so a
    child of this (moto-hosting) parent would report the parent's peak."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


class _Context:
    function_name = "measure"
    memory_limit_in_mb = 1024
    aws_request_id = "measure"
    invoked_function_arn = "arn:aws:lambda:eu-central-1:000000000000:function:measure"

    def get_remaining_time_in_millis(self) -> int:
        return 30000


def api_event(method: str, resource_path: str, path: str, *, params: dict | None = None, body: str | None = None,
              headers: dict | None = None) -> dict:
    return {"resource": resource_path, "path": path, "httpMethod": method, "headers": headers or {},
            "multiValueHeaders": {}, "queryStringParameters": None, "multiValueQueryStringParameters": None,
            "pathParameters": params, "stageVariables": None, "body": body, "isBase64Encoded": False,
            "requestContext": {"resourcePath": resource_path, "httpMethod": method, "requestId": "m",
                               "path": path, "identity": {"sourceIp": "10.0.0.1"}, "stage": "api"}}


def child(name: str, events_file: str) -> None:
    base = _mb()
    import app as chalice_app  # noqa: F401  (what the Lambda runtime imports)

    imported = _mb()
    events = json.loads(Path(events_file).read_text())[name]
    handler = chalice_app.app if name == "api_handler" else chalice_app.app.handler_map[name]
    started = time.perf_counter()
    results = []
    for event in events:
        out = handler(event, _Context())
        results.append(out.get("statusCode") if isinstance(out, dict) and "statusCode" in out else
                       ("failures: %d" % len(out.get("batchItemFailures", []))) if isinstance(out, dict)
                       and "batchItemFailures" in out else type(out).__name__)
    print(json.dumps({"function": name, "results": results, "baseline_mb": round(base, 1), "import_mb": round(imported, 1),
                      "peak_mb": round(_mb(), 1), "events": len(events),
                      "invoke_ms": round((time.perf_counter() - started) * 1000)}))


def prepare(moto_url: str) -> dict[str, list]:
    import urllib.parse

    from chalice.test import Client

    import app as chalice_app
    from chalicelib import container
    from chalicelib.adapters.aws import client
    from chalicelib.adapters.bootstrap import bootstrap
    from chalicelib.auth import issue_dev_token

    container.reset()
    bootstrap("local")
    admin = {"Authorization": "Bearer " + issue_dev_token(KEY, role="admin", sub="admin")}
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    open311 = urllib.parse.urlencode({"api_key": "measure-open311", "service_code": "cop_toplama",
                                      "lat": "38.6920", "long": "35.5480", "email": "vatandas@example.com",
                                      "description": "Çöp konteyneri iki gündür boşaltılmadı, koku var"})
    with Client(chalice_app.app, stage_name="local", project_dir=str(ROOT)) as c:
        for _ in range(5):
            assert c.http.post("/open311/v2/requests.json", headers=form, body=open311).status_code == 200
    table = client("dynamodb").describe_table(TableName="ulakbel-local-requests")["Table"]
    streams = client("dynamodbstreams")
    records = []
    for shard in streams.describe_stream(StreamArn=table["LatestStreamArn"])["StreamDescription"]["Shards"]:
        it = streams.get_shard_iterator(StreamArn=table["LatestStreamArn"], ShardId=shard["ShardId"],
                                        ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        records += streams.get_records(ShardIterator=it, Limit=100)["Records"]
    for r in records:
        r["eventSourceARN"] = table["LatestStreamArn"]
    stream = [{"Records": records[i:i + 25]} for i in range(0, len(records), 25)]
    # One notification queued by the real consumer, received as the SQS event send_outbound gets.
    chalice_app.app.handler_map["notify_citizens"]({"Records": records}, _Context())
    sqs = client("sqs")
    url = sqs.get_queue_url(QueueName="ulakbel-local-outbound")["QueueUrl"]
    msgs = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, AttributeNames=["All"]).get("Messages", [])
    outbound = [{"Records": [{"messageId": m["MessageId"], "receiptHandle": m["ReceiptHandle"], "body": m["Body"],
                              "attributes": m.get("Attributes", {}), "messageAttributes": {},
                              "eventSource": "aws:sqs", "eventSourceARN": "arn:aws:sqs:eu-central-1:0:q",
                              "awsRegion": "eu-central-1", "md5OfBody": m["MD5OfBody"]} for m in msgs]}]

    def sns(fixture: str) -> list:
        return [json.loads((FIXTURES / fixture).read_text())]

    # Issue 22: a Twilio voicemail job for one of the requests (the local stand-in serves the fixture recording)
    # and the EventBridge event of its Transcribe job (the fixture transcript written where the job puts it).
    from chalicelib.adapters.transcribe import transcript_key
    from chalicelib.usecases.voicemail import VoicemailJob, job_name

    sid, account = "RE1a2b3c4d5e6f708192a3b4c5d6e7f809", "AC0123456789abcdef0123456789abcdef"
    rid = next(r["dynamodb"]["Keys"]["PK"]["S"][4:] for r in records if r["dynamodb"]["Keys"]["SK"]["S"] == "META")
    job = VoicemailJob(request_id=rid, source="twilio", recording_id=sid,
                       recording_url=f"https://api.twilio.com/2010-04-01/Accounts/{account}/Recordings/{sid}")
    client("s3").put_object(Bucket="ulakbel-local-media", Key=transcript_key(job_name("local", rid, sid)),
                            Body=(FIXTURES / "voicemail" / f"{sid}.transcript.json").read_bytes())
    voicemail_job = [{"Records": [{"messageId": "vm-1", "receiptHandle": "vm-1", "body": job.model_dump_json(),
                                   "attributes": {"ApproximateReceiveCount": "1"}, "messageAttributes": {},
                                   "eventSource": "aws:sqs", "eventSourceARN": "arn:aws:sqs:eu-central-1:0:q",
                                   "awsRegion": "eu-central-1", "md5OfBody": ""}]}]
    transcribed = [{**SCHEDULED, "detail-type": "Transcribe Job State Change", "source": "aws.transcribe",
                    "detail": {"TranscriptionJobName": job_name("local", rid, sid),
                               "TranscriptionJobStatus": "COMPLETED"}}]

    return {
        "api_handler": [
            api_event("GET", "/health", "/health"),
            api_event("POST", "/open311/v2/{doc}", "/open311/v2/requests.json", params={"doc": "requests.json"},
                      body=open311, headers=form),
            api_event("GET", "/requests", "/requests", headers=admin),
            api_event("GET", "/console", "/console", headers=admin),
            api_event("GET", "/console/analytics", "/console/analytics", headers=admin),
            {**api_event("GET", "/analytics/export", "/analytics/export", headers={**admin, "Accept": XLSX}),
             "queryStringParameters": {"format": "xlsx"}, "multiValueQueryStringParameters": {"format": ["xlsx"]}},
            api_event("GET", "/seffaf", "/seffaf"),
        ],
        "route_requests": stream, "aggregate_requests": stream, "workflow_events": stream,
        "notify_citizens": stream, "send_outbound": outbound,
        "inbound_email": sns("email/ses_plain.sns.json"), "inbound_sms": sns("eum/inbound_sms.sns.json"),
        "connect_intake": [json.loads((FIXTURES / "connect" / "contact_flow_event.json").read_text())],
        **{name: [SCHEDULED] for name in ("escalation_sweep", "kvkk_retention", "netgsm_poll",
                                          "youtube_poll_comments", "youtube_renew_websub")},
        "delivery_events": [],  # filled in main()
        "transcribe_voicemail": voicemail_job, "voicemail_transcribed": transcribed,  # after route_requests
    }


def _ses_event() -> dict:
    """An SNS notification of an SES delivery event (mail id unknown here: recorded as nothing to update)."""
    message = {"eventType": "Delivery", "mail": {"messageId": "0100018c-measure", "timestamp": "2026-01-01T00:00:00Z"},
               "delivery": {"timestamp": "2026-01-01T00:00:01Z", "recipients": ["x@example.com"]}}
    return {"Records": [{"EventSource": "aws:sns", "EventVersion": "1.0", "EventSubscriptionArn": "arn:x",
                         "Sns": {"Type": "Notification", "MessageId": "m1", "TopicArn": "arn:aws:sns:eu-central-1:0:t",
                                 "Subject": None, "Message": json.dumps(message), "Timestamp": "2026-01-01T00:00:02Z",
                                 "MessageAttributes": {}}}]}


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3])
        return
    import logging

    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    env = {**os.environ, "AWS_ENDPOINT_URL": f"http://{host}:{port}", "AWS_ACCESS_KEY_ID": "testing",
           "AWS_SECRET_ACCESS_KEY": "testing", "AWS_SESSION_TOKEN": "testing", "AWS_DEFAULT_REGION": "eu-central-1",
           "ULAKBEL_STAGE": "local", "ULAKBEL_DEV_SIGNING_KEY": KEY, "OPEN311_DEV_API_KEY": "measure-open311",
           "POWERTOOLS_METRICS_DISABLED": "true", "POWERTOOLS_LOG_LEVEL": "WARNING", "PYTHONPATH": str(ROOT)}
    os.environ.update(env)
    try:
        events = prepare(env["AWS_ENDPOINT_URL"])
        events["delivery_events"] = [_ses_event()]
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            json.dump(events, f, default=lambda o: o.timestamp())  # stream record times: epoch, as Lambda
        rows = []
        only = [n for n in os.environ.get("MEASURE_ONLY", "").split(",") if n]  # e.g. the functions just added
        for name in events:
            if only and name not in only:
                continue
            out = subprocess.run([sys.executable, __file__, "--child", name, f.name], cwd=ROOT, env=env,
                                 capture_output=True, text=True)
            if out.returncode != 0:
                print(f"{name}: failed\n{out.stderr[-2000:]}", file=sys.stderr)
                continue
            rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
        print("| function | invocation (results) | RSS after import (MB) | peak RSS (MB) |")
        print("|---|---|---|---|")
        for r in sorted(rows, key=lambda r: -r["peak_mb"]):
            print(f"| {r['function']} | {r['results']} | {r['import_mb']} | {r['peak_mb']} |")
    finally:
        server.stop()


if __name__ == "__main__":
    main()

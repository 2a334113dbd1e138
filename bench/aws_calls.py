"""AWS calls per request on every path, counted with botocore `before-call` hooks on the app's own clients.

Run: `python -m bench.aws_calls`. Targets: intake = 1 (one transaction), routing ≤ 2, zero Scan.
Runs in-process against an embedded moto server, through the Chalice test client and the real handlers.
"""
from __future__ import annotations

import json
import os
from collections import Counter

from bench.common import write

N = 20
PER_PATH = 6
# dev-only secrets for the signed webhook paths (the same senders as bench/end_to_end.py sign with them)
WEBHOOK_SECRETS = {"META_APP_SECRET": "bench-meta-secret", "X_CONSUMER_SECRET": "bench-x-secret",
                   "TWILIO_AUTH_TOKEN": "bench-twilio-token", "OPEN311_DEV_API_KEY": "bench-open311-key",
                   "PUBLIC_BASE_URL": "http://bench.local"}
TEXTS = ["Sokak lambası yanmıyor", "Çöpler toplanmadı", "Parktaki salıncak kırık", "Yolda çukur var",
         "Su borusu patladı", "Başıboş köpekler var"]


def main() -> dict:
    os.environ.update({"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                       "AWS_DEFAULT_REGION": "eu-central-1", "ULAKBEL_STAGE": "local",
                       "ULAKBEL_DEV_SIGNING_KEY": "bench-signing-key-not-secret-0123456789", **WEBHOOK_SECRETS})
    import logging

    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    os.environ["AWS_ENDPOINT_URL"] = f"http://{host}:{port}"
    try:
        return _measure()
    finally:
        server.stop()


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
    out["notifications"] = {"calls_per_notification": None, "target": 1,
                            "note": "outbound channels not merged yet; add their send path here"}
    out["scan_calls"] = all_ops.get("Scan", 0)
    out["all_operations"] = dict(all_ops)
    write("aws_calls", out)
    print(f"AWS calls: intake {out['intake']['calls_per_request']:.2f}/request (target 1), routing "
          f"{out['routing']['calls_per_request']:.2f}/request (target ≤ 2; +{queue_lookups} queue-URL lookups "
          f"per warm container), Scan calls {out['scan_calls']} (target 0)")
    print("  webhook paths (target 1): " + ", ".join(
        f"{k} {v['calls_per_request']:.2f} {v['statuses']}" for k, v in out["webhook_paths"].items()))
    return out


if __name__ == "__main__":
    main()

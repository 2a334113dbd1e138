"""Powertools Tracer is really used: in a Lambda sandbox with X-Ray on, each function invocation and each API view
is a `## <name>` subsegment and every boto3 call inside it is an AWS subsegment (boto3/botocore patched)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SANDBOX = r'''
import json, logging
from moto.server import ThreadedMotoServer
logging.getLogger("werkzeug").setLevel(logging.ERROR)
server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
server.start()
host, port = server.get_host_and_port()
import os
os.environ["AWS_ENDPOINT_URL"] = f"http://{host}:{port}"
from aws_xray_sdk.core import xray_recorder

class Memory:  # the in-memory emitter: what the X-Ray daemon would receive
    def __init__(self):
        self.entities = []
    def send_entity(self, entity):
        self.entities.append(json.loads(entity.serialize()))
    def set_daemon_address(self, address):
        pass

import app
from chalicelib.adapters.bootstrap import bootstrap
bootstrap("local")
emitter = Memory()
xray_recorder.configure(emitter=emitter)

class Context:
    function_name = "ulakbel-local-kvkk_retention"
    aws_request_id = "r1"
    memory_limit_in_mb = 128
    invoked_function_arn = "arn:aws:lambda:eu-central-1:000000000000:function:ulakbel-local-kvkk_retention"
    def get_remaining_time_in_millis(self):
        return 30000

event = {"version": "0", "id": "e1", "detail-type": "Scheduled Event", "source": "aws.events",
         "account": "000000000000", "time": "2026-01-01T00:00:00Z", "region": "eu-central-1",
         "resources": ["rule/kvkk_retention"], "detail": {}}
print("RESULT", json.dumps(app.app.handler_map["kvkk_retention"](event, Context())))
api = {"resource": "/health", "path": "/health", "httpMethod": "GET", "headers": {}, "multiValueHeaders": {},
       "queryStringParameters": None, "multiValueQueryStringParameters": None, "pathParameters": None,
       "stageVariables": None, "body": None, "isBase64Encoded": False,
       "requestContext": {"resourcePath": "/health", "httpMethod": "GET", "requestId": "r2", "path": "/health",
                          "identity": {"sourceIp": "10.0.0.1"}}}
print("HEALTH", app.app(api, Context())["statusCode"])
print("ENTITIES", json.dumps([{"name": e["name"], "namespace": e.get("namespace"),
                               "parent": e.get("parent_id"), "id": e["id"]} for e in emitter.entities]))
server.stop()
'''


def test_subsegment_per_use_case_with_patched_boto3_calls_inside():
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "AWS_DEFAULT_REGION": "eu-central-1",
           "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "ULAKBEL_STAGE": "local",
           "LAMBDA_TASK_ROOT": str(ROOT), "AWS_LAMBDA_FUNCTION_NAME": "ulakbel-local-kvkk_retention",
           "_X_AMZN_TRACE_ID": "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1",
           "POWERTOOLS_METRICS_DISABLED": "true", "POWERTOOLS_LOG_LEVEL": "WARNING"}
    out = subprocess.run([sys.executable, "-c", SANDBOX], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=240)
    lines = {line.split(" ", 1)[0]: line.split(" ", 1)[1] for line in out.stdout.splitlines()
             if line.split(" ", 1)[0] in ("RESULT", "HEALTH", "ENTITIES")}
    assert "ENTITIES" in lines, out.stdout[-2000:] + out.stderr[-4000:]
    assert json.loads(lines["RESULT"]) == {"anonymised": 0, "skipped": 0} and lines["HEALTH"] == "200"
    entities = json.loads(lines["ENTITIES"])
    by_name = {e["name"]: e for e in entities}
    function, view = by_name["## kvkk_retention"], by_name["## health"]
    aws_calls = [e for e in entities if e["namespace"] == "aws"]
    assert aws_calls and all(e["name"].lower() == "dynamodb" for e in aws_calls if e["parent"] == function["id"])
    assert any(e["parent"] == function["id"] for e in aws_calls)  # the Query of the job, inside its subsegment
    assert view["parent"] != function["id"]

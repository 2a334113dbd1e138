"""The local bootstrap (moto) and the synthesised AWS template define the same table, indexes, queues and DLQs.

Both read chalicelib/resources.py; this test makes sure neither side grows something the other lacks.
"""
from __future__ import annotations

import json

from chalicelib import resources
from infra.stack import STREAM_FAILURE_KEY


def _norm_table(props: dict) -> dict:
    return {
        "TableName": props["TableName"],
        "AttributeDefinitions": sorted((a["AttributeName"], a["AttributeType"]) for a in props["AttributeDefinitions"]),
        "KeySchema": [(k["AttributeName"], k["KeyType"]) for k in props["KeySchema"]],
        "Indexes": sorted((g["IndexName"], tuple((k["AttributeName"], k["KeyType"]) for k in g["KeySchema"]),
                           g["Projection"]["ProjectionType"]) for g in props["GlobalSecondaryIndexes"]),
        "Billing": props.get("BillingMode") or props.get("BillingModeSummary", {}).get("BillingMode"),
        "Stream": props["StreamSpecification"]["StreamViewType"],
    }


def test_bootstrapped_table_matches_the_template(aws, dev):
    from chalicelib.adapters.aws import client
    from chalicelib.adapters.bootstrap import bootstrap

    bootstrap("dev")
    live = client("dynamodb").describe_table(TableName=resources.table_name("dev"))["Table"]
    ttl = client("dynamodb").describe_time_to_live(TableName=resources.table_name("dev"))
    (synth_table,) = dev.of_type("AWS::DynamoDB::Table").values()
    props = synth_table["Properties"]
    assert _norm_table(live) == _norm_table(props)
    assert ttl["TimeToLiveDescription"]["AttributeName"] == props["TimeToLiveSpecification"]["AttributeName"]
    assert len(live["GlobalSecondaryIndexes"]) == len(resources.INDEXES) >= 5


def test_bootstrapped_queues_and_dlqs_match_the_template(aws, dev):
    from chalicelib.adapters.aws import client
    from chalicelib.adapters.bootstrap import bootstrap

    bootstrap("dev")
    sqs = client("sqs")
    live: dict[str, dict] = {}
    for url in sqs.list_queues(QueueNamePrefix="ulakbel-dev-")["QueueUrls"]:
        attrs = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        redrive = json.loads(attrs["RedrivePolicy"]) if "RedrivePolicy" in attrs else None
        live[url.rsplit("/", 1)[1]] = {
            "fifo": attrs.get("FifoQueue") == "true",
            "dlq": redrive and redrive["deadLetterTargetArn"].rsplit(":", 1)[1],
            "max": redrive and int(redrive["maxReceiveCount"]),
        }
    queues = dev.of_type("AWS::SQS::Queue")
    names = {k: v["Properties"]["QueueName"] for k, v in queues.items()}
    synth: dict[str, dict] = {}
    for props in (q["Properties"] for q in queues.values()):
        redrive = props.get("RedrivePolicy")
        synth[props["QueueName"]] = {
            "fifo": props.get("FifoQueue", False),
            "dlq": redrive and names[redrive["deadLetterTargetArn"]["Fn::GetAtt"][0]],
            "max": redrive and redrive["maxReceiveCount"],
        }
    # infra/ adds the stream consumers' on-failure queue when no feature has declared it yet.
    extra = set() if STREAM_FAILURE_KEY in resources.SERVICE_QUEUES else {
        n for n in (resources.service_queue("dev", STREAM_FAILURE_KEY).name,
                    resources.service_queue("dev", STREAM_FAILURE_KEY).dlq)}
    assert live == {k: v for k, v in synth.items() if k not in extra}
    assert sum(1 for v in live.values() if v["dlq"]) >= len(resources.task_queues("dev"))


def test_bootstrapped_topics_and_buckets_exist_in_the_template(aws, dev):
    from chalicelib.adapters.bootstrap import bootstrap

    info = bootstrap("dev")
    topics = {t["Properties"]["TopicName"] for t in dev.of_type("AWS::SNS::Topic").values()}
    assert {arn.rsplit(":", 1)[1] for arn in info["topics"].values()} <= topics
    buckets = {b["Properties"]["BucketName"] for b in dev.of_type("AWS::S3::Bucket").values()}
    assert {resources.bucket_name("dev", k) for k in resources.BUCKETS} <= buckets

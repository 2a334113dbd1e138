"""The embedded backend's dev-only speed-ups (ulakbel_cli/moto_speedups.py) change how much moto works, never
what it answers: the same queries give the same pages with and without them, the same writes the same errors,
and a table Query lists the same number of items whatever else the table holds (issue 21). Counts, no clock.
"""
from __future__ import annotations

from contextlib import contextmanager

import uuid

import pytest

from ulakbel_cli import moto_speedups


def _ddb(moto_server):
    import boto3

    return boto3.client("dynamodb", endpoint_url=moto_server, region_name="eu-central-1")


def _table(ddb, extra_partitions: int) -> str:
    name = f"speedups-{uuid.uuid4().hex[:8]}"
    ddb.create_table(
        TableName=name, BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": a, "AttributeType": "S"} for a in ("PK", "SK", "G1PK", "G1SK")],
        KeySchema=[{"AttributeName": "PK", "KeyType": "HASH"}, {"AttributeName": "SK", "KeyType": "RANGE"}],
        GlobalSecondaryIndexes=[{"IndexName": "GSI1", "Projection": {"ProjectionType": "ALL"},
                                 "KeySchema": [{"AttributeName": "G1PK", "KeyType": "HASH"},
                                               {"AttributeName": "G1SK", "KeyType": "RANGE"}]}],
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"})
    puts = []
    for p in range(3 + extra_partitions):
        for i in range(12):
            item = {"PK": {"S": f"REQ#{p:04d}"}, "SK": {"S": f"EVT#{i:03d}" if i else "META"},
                    "n": {"N": str(i)}, "text": {"S": f"olay {p}-{i}"}}
            if i % 3 == 0 and p < 3:  # a sparse index (as the due/neighbourhood ones), only the first partitions
                item |= {"G1PK": {"S": f"NBH#{p % 2}"}, "G1SK": {"S": f"2026-03-{1 + i:02d}#{p:04d}"}}
            puts.append({"PutRequest": {"Item": item}})
    for start in range(0, len(puts), 25):
        ddb.batch_write_item(RequestItems={name: puts[start:start + 25]})
    return name


QUERIES = [
    {"KeyConditionExpression": "PK = :p", "ExpressionAttributeValues": {":p": {"S": "REQ#0001"}}},
    {"KeyConditionExpression": "PK = :p AND begins_with(SK, :e)", "Limit": 4, "ScanIndexForward": False,
     "ExpressionAttributeValues": {":p": {"S": "REQ#0002"}, ":e": {"S": "EVT#"}}},
    {"KeyConditionExpression": "PK = :p", "FilterExpression": "n > :k",
     "ExpressionAttributeValues": {":p": {"S": "REQ#0000"}, ":k": {"N": "5"}}, "ConsistentRead": True},
    {"KeyConditionExpression": "PK = :p", "ExpressionAttributeValues": {":p": {"S": "REQ#9999"}}},
    {"IndexName": "GSI1", "KeyConditionExpression": "G1PK = :g AND G1SK <= :s", "Limit": 3,
     "ExpressionAttributeValues": {":g": {"S": "NBH#1"}, ":s": {"S": "2026-03-11"}}},
    {"IndexName": "GSI1", "KeyConditionExpression": "G1PK = :g", "ScanIndexForward": False,
     "ProjectionExpression": "PK, SK, G1SK", "ExpressionAttributeValues": {":g": {"S": "NBH#0"}}},
]


def _pages(ddb, table: str, query: dict) -> list[list[dict]]:
    pages, kwargs = [], {"TableName": table, **query}
    while True:
        out = ddb.query(**kwargs)
        pages.append(out["Items"])
        if "LastEvaluatedKey" not in out:
            return pages
        kwargs["ExclusiveStartKey"] = out["LastEvaluatedKey"]


def test_queries_and_writes_answer_the_same_with_and_without_the_speedups(moto_server):
    assert not moto_speedups.is_installed()
    ddb = _ddb(moto_server)
    table = _table(ddb, extra_partitions=2)
    plain = [_pages(ddb, table, q) for q in QUERIES]
    too_big = {"PK": {"S": "REQ#0000"}, "SK": {"S": "BIG"}, **{f"a{i}": {"S": "x" * 9000} for i in range(46)}}
    with pytest.raises(ddb.exceptions.ClientError) as plain_error:
        ddb.put_item(TableName=table, Item=too_big)
    with moto_speedups.installed():
        fast = [_pages(ddb, table, q) for q in QUERIES]
        with pytest.raises(ddb.exceptions.ClientError) as fast_error:
            ddb.put_item(TableName=table, Item=too_big)
        fits = {"PK": {"S": "REQ#0000"}, "SK": {"S": "FITS"}, **{f"a{i}": {"S": "x" * 9000} for i in range(40)}}
        ddb.put_item(TableName=table, Item=fits)  # 360 kB: stored, as by moto
    assert not moto_speedups.is_installed()
    assert fast == plain
    assert [[len(page) for page in pages] for pages in plain] == [[12], [4, 4, 3], [6], [0], [3, 1], [8]]  # pages really were exercised
    assert fast_error.value.response["Error"] == plain_error.value.response["Error"]
    assert "Item size has exceeded" in fast_error.value.response["Error"]["Message"]
    ddb.delete_table(TableName=table)


def _listed_by_one_query(moto_server, extra_partitions: int) -> tuple[int, int]:
    """Items moto lists for one table Query and one index Query, with `extra_partitions` unrelated ones stored."""
    from moto.dynamodb.models.table import Table

    ddb = _ddb(moto_server)
    table = _table(ddb, extra_partitions)
    listed: list[int] = []
    all_items = Table.all_items

    def counting_all_items(self):
        out = all_items(self)
        listed.append(len(out))
        return out

    Table.all_items = counting_all_items
    try:
        _pages(ddb, table, QUERIES[0])
        _pages(ddb, table, {**QUERIES[5], "ProjectionExpression": "PK"})
    finally:
        Table.all_items = all_items
        ddb.delete_table(TableName=table)
    return listed[0], listed[1]


def _stream(moto_server, table: str) -> list[dict]:
    import boto3

    streams = boto3.client("dynamodbstreams", endpoint_url=moto_server, region_name="eu-central-1")
    arn = _ddb(moto_server).describe_table(TableName=table)["Table"]["LatestStreamArn"]
    shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
    it = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    pages = []
    while it:
        out = streams.get_records(ShardIterator=it, Limit=25)
        if not out["Records"]:
            break
        pages.append(out["Records"])
        it = out.get("NextShardIterator")
    return pages


def test_stream_records_read_the_same_with_and_without_the_speedups(moto_server):
    ddb = _ddb(moto_server)
    table = _table(ddb, extra_partitions=0)
    ddb.update_item(TableName=table, Key={"PK": {"S": "REQ#0000"}, "SK": {"S": "META"}},
                    UpdateExpression="SET #s = :s", ExpressionAttributeNames={"#s": "status"},
                    ExpressionAttributeValues={":s": {"S": "routed"}})
    ddb.delete_item(TableName=table, Key={"PK": {"S": "REQ#0001"}, "SK": {"S": "EVT#001"}})
    plain = _stream(moto_server, table)
    with moto_speedups.installed():
        fast = _stream(moto_server, table)
    ddb.delete_table(TableName=table)
    assert [len(p) for p in plain] == [25, 13]  # 36 puts, one MODIFY, one REMOVE; 25 a page
    assert fast == plain
    kinds = [r["eventName"] for page in fast for r in page]
    assert kinds.count("MODIFY") == kinds.count("REMOVE") == 1
    modify = next(r for page in fast for r in page if r["eventName"] == "MODIFY")["dynamodb"]
    assert modify["OldImage"]["n"] == {"N": "0"} and modify["NewImage"]["status"] == {"S": "routed"}
    assert modify["ApproximateCreationDateTime"].tzinfo is not None  # a timestamp, parsed by botocore as ever


def test_a_query_lists_the_same_items_whatever_the_table_holds(moto_server):
    with moto_speedups.installed():  # installed first: the counters wrap the speed-up's all_items
        small = _listed_by_one_query(moto_server, extra_partitions=2)
        large = _listed_by_one_query(moto_server, extra_partitions=60)
    assert small == large == (12, 8)  # the partition's 12 items; the index key's 8
    plain_small = _listed_by_one_query(moto_server, extra_partitions=2)
    plain_large = _listed_by_one_query(moto_server, extra_partitions=60)
    assert plain_large[0] > plain_small[0] > 12  # without it, moto lists the whole table for each query


@contextmanager
def _counting_backlog():
    """Counts each time moto counts a queue's messages (what the speed-ups avoid on send and receive)."""
    from moto.sqs.models import Queue

    counted: list[int] = []
    original = Queue.approximate_number_of_messages

    def counting(self):
        counted.append(1)
        return original.fget(self)

    Queue.approximate_number_of_messages = property(counting)
    try:
        yield counted
    finally:
        Queue.approximate_number_of_messages = original


def _sends(moto_server, backlog: int) -> tuple[int, dict]:
    """Send to a FIFO queue holding `backlog` messages; (times moto counted the queue's messages during the
    three sends, the queue's attributes afterwards)."""
    import boto3

    sqs = boto3.client("sqs", endpoint_url=moto_server, region_name="eu-central-1")
    url = sqs.create_queue(QueueName=f"speedups-{uuid.uuid4().hex[:8]}.fifo",
                           Attributes={"FifoQueue": "true", "ContentBasedDeduplication": "true"})["QueueUrl"]
    for i in range(backlog):
        sqs.send_message(QueueUrl=url, MessageBody=f"eski {i}", MessageGroupId=str(i))
    with _counting_backlog() as counted:
        for _ in range(3):  # the same body: content-based deduplication keeps one
            sqs.send_message(QueueUrl=url, MessageBody="yeni görev", MessageGroupId="g")
    attrs = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    sqs.delete_queue(QueueUrl=url)
    return len(counted), {k: attrs[k] for k in ("ApproximateNumberOfMessages", "ContentBasedDeduplication")}


def test_sqs_sends_do_not_count_the_backlog_and_still_deduplicate(moto_server):
    plain = _sends(moto_server, 5)
    with moto_speedups.installed():
        small, large = _sends(moto_server, 5), _sends(moto_server, 40)
    assert plain[0] >= 3 and plain[1] == {"ApproximateNumberOfMessages": "6", "ContentBasedDeduplication": "true"}
    assert small == (0, {"ApproximateNumberOfMessages": "6", "ContentBasedDeduplication": "true"})
    assert large == (0, {"ApproximateNumberOfMessages": "41", "ContentBasedDeduplication": "true"})


def _receives(moto_server, backlog: int) -> tuple[int, list[str], dict]:
    """Receive 3 of `backlog` messages from a standard queue; (times moto counted the queue's messages during
    the receive, the bodies received, the queue's counts afterwards)."""
    import boto3

    sqs = boto3.client("sqs", endpoint_url=moto_server, region_name="eu-central-1")
    url = sqs.create_queue(QueueName=f"speedups-{uuid.uuid4().hex[:8]}")["QueueUrl"]
    for i in range(backlog):
        sqs.send_message(QueueUrl=url, MessageBody=f"görev {i}")
    with _counting_backlog() as counted:
        got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=3, WaitTimeSeconds=0)["Messages"]
    attrs = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    sqs.delete_queue(QueueUrl=url)
    return len(counted), sorted(m["Body"] for m in got), {
        k: attrs[k] for k in ("ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible")}


def test_sqs_receives_do_not_count_the_backlog_and_hand_out_the_same_messages(moto_server):
    plain = _receives(moto_server, 5)
    with moto_speedups.installed():
        small, large = _receives(moto_server, 5), _receives(moto_server, 40)
    expected = ["görev 0", "görev 1", "görev 2"]
    assert plain[0] >= 3 and plain[1] == expected
    assert plain[2] == small[2] == {"ApproximateNumberOfMessages": "2", "ApproximateNumberOfMessagesNotVisible": "3"}
    assert small[:2] == (0, expected) and large[:2] == (0, expected)
    assert large[2] == {"ApproximateNumberOfMessages": "37", "ApproximateNumberOfMessagesNotVisible": "3"}


def test_the_server_finds_each_service_once_per_host_and_answers_the_same(moto_server):
    """moto's dispatcher looked the service up (a directory listing and ≈ 200 URL patterns) on every request."""
    import boto3
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication

    looked_up: list[str] = []
    original = DomainDispatcherApplication.get_backend_for_host

    def counting(self, host):
        looked_up.append(host)
        return original(self, host)

    def answers() -> tuple:
        ddb = _ddb(moto_server)
        sqs = boto3.client("sqs", endpoint_url=moto_server, region_name="eu-central-1")
        for _ in range(3):
            tables = ddb.list_tables()["TableNames"]
            queues = sqs.list_queues().get("QueueUrls", [])
        try:
            ddb.describe_table(TableName="yok-boyle-tablo")
        except ddb.exceptions.ResourceNotFoundException as exc:
            error = exc.response["Error"]["Code"]
        return tables, queues, error

    DomainDispatcherApplication.get_backend_for_host = counting  # the speed-up wraps whatever it finds
    try:
        plain = answers()
        plain_lookups = len(looked_up)
        with moto_speedups.installed():
            fast = answers()
        fast_lookups = len(looked_up) - plain_lookups
    finally:
        DomainDispatcherApplication.get_backend_for_host = original
    assert fast == plain and plain[2] == "ResourceNotFoundException"
    assert plain_lookups >= 7 and fast_lookups <= 2  # at most once per host (dynamodb, sqs) per process


def _counter_transactions(moto_server) -> tuple[list, list, dict]:
    """The analytics shape: a marker Put under attribute_not_exists + counter ADDs, the same expression texts
    with new values each time; then a failing condition, and a malformed update expression."""
    ddb = _ddb(moto_server)
    table = _table(ddb, extra_partitions=0)
    outcomes, errors = [], []
    for i, marker in enumerate(["m1", "m2", "m1", "m3"]):  # "m1" again: its condition fails the whole transaction
        try:
            ddb.transact_write_items(TransactItems=[
                {"Put": {"TableName": table, "Item": {"PK": {"S": f"APPLIED#{marker}"}, "SK": {"S": "A"}},
                         "ConditionExpression": "attribute_not_exists(PK)"}},
                {"Update": {"TableName": table, "Key": {"PK": {"S": "AGG#2026-03"}, "SK": {"S": "park#merkez"}},
                            "UpdateExpression": "ADD #a :a, #b :b",
                            "ExpressionAttributeNames": {"#a": "opened", "#b": "routed"},
                            "ExpressionAttributeValues": {":a": {"N": str(i + 1)}, ":b": {"N": "1"}}}},
                {"Update": {"TableName": table, "Key": {"PK": {"S": "REQ#0001"}, "SK": {"S": "META"}},
                            "UpdateExpression": "SET n = :v", "ConditionExpression": "n = :old",
                            "ExpressionAttributeValues": {":v": {"N": str(100 + i)}, ":old": {"N": str(99 + i) if i else "0"}}}},
            ])
            outcomes.append("ok")
        except ddb.exceptions.TransactionCanceledException as exc:
            outcomes.append([r["Code"] for r in exc.response["CancellationReasons"]])
    try:
        ddb.transact_write_items(TransactItems=[{"Update": {
            "TableName": table, "Key": {"PK": {"S": "AGG#2026-03"}, "SK": {"S": "park#merkez"}},
            "UpdateExpression": "ADD #a :a,, #b", "ExpressionAttributeNames": {"#a": "opened", "#b": "routed"},
            "ExpressionAttributeValues": {":a": {"N": "1"}}}}])
    except ddb.exceptions.ClientError as exc:
        errors.append(exc.response["Error"])
    cell = ddb.get_item(TableName=table, Key={"PK": {"S": "AGG#2026-03"}, "SK": {"S": "park#merkez"}})["Item"]
    header = ddb.get_item(TableName=table, Key={"PK": {"S": "REQ#0001"}, "SK": {"S": "META"}})["Item"]
    ddb.delete_table(TableName=table)
    return outcomes, errors, {"opened": cell["opened"], "routed": cell["routed"], "n": header["n"]}


def test_remembered_expressions_give_the_same_outcomes_values_and_errors(moto_server):
    plain = _counter_transactions(moto_server)
    with moto_speedups.installed():
        fast = _counter_transactions(moto_server)
        again = _counter_transactions(moto_server)  # every expression now parsed before
    assert fast == plain == again
    # third: the marker exists; fourth: the header's version-like condition no longer holds (values differ,
    # the text is the same as in the transactions that passed)
    assert plain[0][:2] == ["ok", "ok"] and plain[0][2][0] == "ConditionalCheckFailed" \
        and plain[0][3][2] == "ConditionalCheckFailed" and plain[0][3][0] == "None"
    assert plain[2] == {"opened": {"N": "3"}, "routed": {"N": "2"}, "n": {"N": "101"}}
    assert plain[1] and plain[1][0]["Code"] == "ValidationException"

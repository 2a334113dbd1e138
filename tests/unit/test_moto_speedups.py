"""The local-only moto transaction speed-up keeps DynamoDB's all-or-nothing outcome."""
from __future__ import annotations

import pytest


@pytest.fixture
def backend():
    from moto.dynamodb.models import DynamoDBBackend

    b = DynamoDBBackend("eu-central-1", "123456789012")
    b.create_table("t", schema=[{"AttributeName": "PK", "KeyType": "HASH"}],
                   attr=[{"AttributeName": "PK", "AttributeType": "S"}], throughput=None,
                   billing_mode="PAY_PER_REQUEST", indexes=[], global_indexes=[], streams=None, sse_specification=None,
                   tags=[], deletion_protection_enabled=False, warm_throughput=None)
    return b


def _put(pk, cond="attribute_not_exists(PK)"):
    return {"Put": {"TableName": "t", "Item": {"PK": {"S": pk}, "v": {"S": "x"}}, "ConditionExpression": cond}}


def test_all_conditions_hold_everything_is_written(backend):
    from moto.dynamodb.models import DynamoDBBackend

    from ulakbel_cli.moto_speedups import fast_transact_write_items

    fast_transact_write_items(backend, [_put("a"), _put("b")], DynamoDBBackend.transact_write_items)
    assert backend.get_item("t", {"PK": {"S": "a"}}) and backend.get_item("t", {"PK": {"S": "b"}})


def test_one_failing_condition_writes_nothing_and_reports_each_reason(backend):
    from moto.dynamodb.exceptions import TransactionCanceledException
    from moto.dynamodb.models import DynamoDBBackend

    from ulakbel_cli.moto_speedups import fast_transact_write_items

    fast_transact_write_items(backend, [_put("a")], DynamoDBBackend.transact_write_items)
    with pytest.raises(TransactionCanceledException) as err:
        fast_transact_write_items(backend, [_put("c"), _put("a")], DynamoDBBackend.transact_write_items)
    assert "None" in str(err.value.description) and "ConditionalCheckFailed" in str(err.value.description)
    assert backend.get_item("t", {"PK": {"S": "c"}}) is None

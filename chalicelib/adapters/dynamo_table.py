"""Item-level access to the one DynamoDB table: boto3 calls with the domain's errors, value conversion, and
single-item writes whose conditions say "once" or "compare-and-set". The repository builds on it."""
from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError, ConnectionError as AwsConnectionError, HTTPClientError

from ..domain.errors import TemporarilyUnavailable
from .aws import client
from .schema.base import from_stored, to_stored

_TRANSIENT = {
    "ProvisionedThroughputExceededException",
    "ThrottlingException",
    "RequestLimitExceeded",
    "InternalServerError",
    "ServiceUnavailable",
    "TransactionInProgressException",
    "TransactionConflict",  # a cancellation reason: another transaction held the item (e.g. a recent-open item)
}


def _serializer():
    from boto3.dynamodb.types import TypeDeserializer, TypeSerializer

    return TypeSerializer(), TypeDeserializer()


def _transient(exc: ClientError) -> bool:
    return exc.response.get("Error", {}).get("Code") in _TRANSIENT


def cancellation_reasons(exc: ClientError) -> list[str | None]:
    return [r.get("Code") for r in exc.response.get("CancellationReasons", [])]


def busy(reasons: list[str | None]) -> TemporarilyUnavailable | None:
    """A transaction cancelled because an item was throttled or in another transaction: retry later."""
    if any(r in _TRANSIENT for r in reasons):
        return TemporarilyUnavailable("Veri deposu meşgul / storage is busy, retry")
    return None


def condition_failed(exc: ClientError) -> bool:
    return exc.response["Error"]["Code"] == "ConditionalCheckFailedException"


class DynamoTable:
    def __init__(self, table_name: str) -> None:
        self.table_name = table_name
        self._ser, self._de = _serializer()

    def _av(self, item: dict[str, Any]) -> dict[str, Any]:
        return {k: self._ser.serialize(v) for k, v in to_stored(item).items() if v is not None}

    def _py(self, item: dict[str, Any]) -> dict[str, Any]:
        return {k: self._de.deserialize(v) for k, v in item.items()}

    def _value(self, value: Any) -> dict[str, Any]:
        return self._ser.serialize(to_stored(value))

    def _call(self, method: str, **kwargs: Any) -> dict[str, Any]:
        try:
            return getattr(client("dynamodb"), method)(**kwargs)
        except ClientError as exc:
            if _transient(exc):
                raise TemporarilyUnavailable("Veri deposu geçici olarak yanıt vermiyor / storage is busy") from exc
            raise
        except (HTTPClientError, AwsConnectionError) as exc:  # timeouts: the caller retries (intake dedupes)
            raise TemporarilyUnavailable("Veri deposu zaman aşımına uğradı / storage timed out, retry") from exc

    def _put_if(self, item: dict[str, Any], condition: str | None = None, **expression: Any) -> bool:
        """One put; False when its condition did not hold."""
        kwargs: dict[str, Any] = {"TableName": self.table_name, "Item": self._av(item), **expression}
        if condition:
            kwargs["ConditionExpression"] = condition
        try:
            self._call("put_item", **kwargs)
        except ClientError as exc:
            if condition_failed(exc):
                return False
            raise
        return True

    def put_marker(self, pk: str, sk: str, attrs: dict[str, Any], *, only_if_new: bool = True) -> bool:
        """Conditional single-item write used for once-only markers; False when it already existed."""
        return self._put_if({"PK": pk, "SK": sk, **attrs}, "attribute_not_exists(PK)" if only_if_new else None)

    def swap_marker(self, pk: str, sk: str, attrs: dict[str, Any], *, expected: dict[str, Any] | None) -> bool:
        """Compare-and-set of a marker: written only if it is absent (`expected` None) or still holds exactly
        the `expected` attribute values. False when another writer got there first (one winner)."""
        if expected is None:
            return self._put_if({"PK": pk, "SK": sk, **attrs}, "attribute_not_exists(PK)")
        names, values, parts = {}, {}, []
        for n, (attr, value) in enumerate(sorted(expected.items())):
            names[f"#e{n}"] = attr
            if value is None:
                parts.append(f"attribute_not_exists(#e{n})")
            else:
                values[f":e{n}"] = self._value(value)
                parts.append(f"#e{n} = :e{n}")
        expression: dict[str, Any] = {"ExpressionAttributeNames": names}
        if values:
            expression["ExpressionAttributeValues"] = values
        return self._put_if({"PK": pk, "SK": sk, **attrs},
                            "attribute_exists(PK) AND " + " AND ".join(parts or ["PK = PK"]), **expression)

    def get_marker(self, pk: str, sk: str) -> dict[str, Any] | None:
        out = self._call("get_item", TableName=self.table_name, Key=self._av({"PK": pk, "SK": sk}),
                         ConsistentRead=True)
        return from_stored(self._py(out["Item"])) if "Item" in out else None

    def get_markers(self, keys_: list[tuple[str, str]]) -> dict[tuple[str, str], dict[str, Any]]:
        """Several markers in one BatchGetItem (strongly consistent); missing ones are absent from the result."""
        wanted = list(dict.fromkeys(keys_))
        found: dict[tuple[str, str], dict[str, Any]] = {}
        request = {self.table_name: {"Keys": [self._av({"PK": pk, "SK": sk}) for pk, sk in wanted],
                                     "ConsistentRead": True}}
        for _ in range(5):  # unprocessed keys (throttling) are asked again, a bounded number of times
            out = self._call("batch_get_item", RequestItems=request)
            for raw in out.get("Responses", {}).get(self.table_name, []):
                item = from_stored(self._py(raw))
                found[(item["PK"], item["SK"])] = item
            request = out.get("UnprocessedKeys") or {}
            if not request:
                return found
        raise TemporarilyUnavailable("Veri deposu meşgul / storage is busy, retry")

    def _transact(self, transact: list[dict[str, Any]]) -> None:
        try:
            self._call("transact_write_items", TransactItems=transact)
        except ClientError as exc:
            if (error := busy(cancellation_reasons(exc))) is not None:
                raise error from exc
            raise

    def _query_after(self, pk: str, after_sk: str, limit: int) -> list[dict[str, Any]]:
        """The newest items of one partition whose sort key is greater than `after_sk`, newest first (one Query)."""
        out = self._call("query", TableName=self.table_name, KeyConditionExpression="PK = :pk AND SK > :a",
                         ExpressionAttributeValues={":pk": {"S": pk}, ":a": {"S": after_sk}},
                         ScanIndexForward=False, Limit=limit)
        return [self._py(i) for i in out.get("Items", [])]

    def _query_all(self, pk: str, *, limit: int = 100_000, keys_only: bool = False) -> list[dict[str, Any]]:
        """Every item of one partition (a Query, paged), as plain python."""
        found: list[dict[str, Any]] = []
        kwargs: dict[str, Any] = {"TableName": self.table_name, "KeyConditionExpression": "PK = :pk",
                                  "ExpressionAttributeValues": {":pk": {"S": pk}}}
        if keys_only:
            kwargs["ProjectionExpression"] = "PK, SK"
        while len(found) < limit:
            out = self._call("query", **kwargs)
            found += [self._py(i) for i in out.get("Items", [])]
            if "LastEvaluatedKey" not in out:
                break
            kwargs["ExclusiveStartKey"] = out["LastEvaluatedKey"]
        return found

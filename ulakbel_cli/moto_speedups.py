"""Local-only speed-up of the embedded AWS (moto) used by `ulakbel dev` and the benchmarks.

moto's DynamoDB `TransactWriteItems` deep-copies every table it touches (items *and* stream records) before
each transaction so it can roll back — O(table size) per call, quadratic over a run. DynamoDB evaluates every
condition of a transaction against the state before it, and one transaction may touch an item only once;
so checking all conditions first and writing only when all pass gives the same outcome without any copy.
Anything unusual (more than one op per entry, an unknown op, a repeated item, a missing table) is handed to
moto's own implementation unchanged, so its errors stay exactly moto's. Never used in AWS.
"""
from __future__ import annotations

from contextlib import contextmanager

_installed = False
_original = None
fallbacks = 0  # transactions handed to moto's own implementation (which may restore a table copy)


def install() -> None:
    global _installed, _original
    if _installed:
        return
    from moto.dynamodb.models import DynamoDBBackend

    original = _original = DynamoDBBackend.transact_write_items

    def fallback(self, items):
        global fallbacks
        fallbacks += 1
        return original(self, items)

    DynamoDBBackend.transact_write_items = lambda self, items: fast_transact_write_items(self, items, fallback)
    _installed = True


def uninstall() -> None:
    global _installed
    if not _installed:
        return
    from moto.dynamodb.models import DynamoDBBackend

    DynamoDBBackend.transact_write_items = _original
    _installed = False


def is_installed() -> bool:
    return _installed


@contextmanager
def installed():
    """For volume tests in a process whose embedded AWS does not use the speed-up otherwise."""
    already = _installed
    install()
    try:
        yield
    finally:
        if not already:
            uninstall()


def fast_transact_write_items(self, transact_items, original):  # type: ignore[no-untyped-def]
    from moto.dynamodb.comparisons import get_filter_expression
    from moto.dynamodb.exceptions import ConditionalCheckFailed, TransactionCanceledException

    if True:
        if len(transact_items) > 100:
            return original(self, transact_items)
        plan, seen, errors, failed = [], set(), [], False
        for entry in transact_items:
            if len(entry) != 1:
                return original(self, transact_items)
            op_type, op = next(iter(entry.items()))
            if op_type not in ("ConditionCheck", "Put", "Delete", "Update") or op.get("TableName") not in self.tables:
                return original(self, transact_items)
            table = self.tables[op["TableName"]]
            if op_type == "Put":
                attrs = op["Item"]
                if table.hash_key_attr not in attrs or (table.range_key_attr and table.range_key_attr not in attrs):
                    return original(self, transact_items)
                key = {table.hash_key_attr: attrs[table.hash_key_attr]}
                if table.range_key_attr is not None:
                    key[table.range_key_attr] = attrs[table.range_key_attr]
            else:
                key = op["Key"]
            marker = (op["TableName"], str(dict(sorted(key.items()))))
            if marker in seen:
                return original(self, transact_items)
            seen.add(marker)
            condition = op.get("ConditionExpression")
            ok = True
            if condition is not None:
                current = self.get_item(op["TableName"], key)
                ok = get_filter_expression(condition, op.get("ExpressionAttributeNames"),
                                           op.get("ExpressionAttributeValues")).expr(current)
            if ok:
                errors.append((None, None, None))
            else:
                failed = True
                errors.append(("ConditionalCheckFailed", ConditionalCheckFailed().message, None))
            plan.append((op_type, op, key))
        if failed:
            raise TransactionCanceledException(errors)
        for op_type, op, key in plan:  # every condition held against the state before the transaction
            names, values = op.get("ExpressionAttributeNames"), op.get("ExpressionAttributeValues")
            if op_type == "Put":
                self.put_item(op["TableName"], op["Item"])
            elif op_type == "Delete":
                self.delete_item(op["TableName"], key)
            elif op_type == "Update":
                self.update_item(op["TableName"], key, update_expression=op["UpdateExpression"],
                                 expression_attribute_names=names, expression_attribute_values=values)
        return None

"""Local-only speed-ups of the embedded AWS (moto) used by `ulakbel dev` and the benchmarks. Never used in AWS;
each keeps moto's answers and errors exactly as they were (tests/perf/test_moto_speedups.py compares them).

1. Transactions. moto's DynamoDB `TransactWriteItems` deep-copies every table it touches (items *and* stream
   records) before each transaction so it can roll back — O(table size) per call, quadratic over a run.
   DynamoDB evaluates every condition of a transaction against the state before it, and one transaction may
   touch an item only once; so checking all conditions first and writing only when all pass gives the same
   outcome without any copy. Anything unusual (more than one op per entry, an unknown op, a repeated item, a
   missing table) is handed to moto's own implementation unchanged, so its errors stay exactly moto's.
2. Item building. moto builds every stored item attribute by attribute, re-measuring the whole item's size
   before each one (its 400 kB check): O(attributes²) per write — thousands of size computations for one
   request header or recent-open item. `fast_item_init` measures once and raises the same `ItemSizeTooLarge`
   past the same limit.
3. Queries. moto answers every Query — on the table or on an index — by listing and sorting *all* items of the
   table, then filtering: O(n log n) in the table size for a read DynamoDB answers from one partition.
   `fast_query` tells `all_items` which partition (table Query) or which index key values (index Query) the
   query can match, so only those are listed and sorted; moto's own code then filters, sorts, pages and
   projects them as before. An index Query still looks at every item once (no index is kept), but no longer
   sorts the table. Scans are untouched.
4. Stream reads. moto serialises a `GetRecords` answer through its generic shape-driven serialiser, attribute
   by attribute of every old and new image: the largest single cost of the local pipeline (≈ 40 % of the dev
   process's CPU while routing). The records are already wire-format dicts; `fast_get_records` writes them
   as JSON directly (timestamps as epoch seconds truncated to milliseconds, as moto's serialiser writes them).
5. SQS sends. moto's SendMessage reads one setting (ContentBasedDeduplication) from `queue.attributes`, which
   counts every message of the queue three times (visible, delayed, in flight): O(backlog) per send, so a
   queue nobody leases (a demo's department) made routing slower with every task. Inside SendMessage the
   counts are left out; GetQueueAttributes still computes them. ReceiveMessage likewise: for every message it
   hands out it asks the queue's retention period through `get_queue_attributes`, which counted the whole queue
   each time; inside ReceiveMessage the counts are left out too.
6. Dispatch. For every request moto's server finds the service by its host name under one process-wide lock:
   it lists moto's package directory (a `stat` per service, ≈ 200) and tries every service's URL patterns. The
   answer depends only on the host name, so it is remembered per host (`fast_backend_for_host`). Likewise the
   names of a response class's methods (`inspect.getmembers` on every call) and the CamelCase → snake_case
   action names are remembered: fixed once the classes are loaded.
7. Expressions. moto parses an update expression twice per Update (once to check its names and values, once
   to apply it) and every condition expression once per write, from the text, each time. Parsed update
   expressions are remembered by their text (moto's validator works on a deep copy of the tree, never on the
   parsed one); the transactions' conditions by their text, names and values.
"""
from __future__ import annotations

import threading
from contextlib import contextmanager

_installed = False
_original = None
_original_item_init = None
_original_query = None
_original_all_items = None
_original_get_records = None
_original_send = None
_original_queue_attributes = None
_original_receive = None
_original_backend_for_host = None
_original_method_names = None
_original_camel = None
_original_update_parse = None
_sending = threading.local()  # inside SQS SendMessage: the queue's message counts are not needed
_narrow = threading.local()  # the partition (or index key) the current thread's Query asks for
fallbacks = 0  # transactions handed to moto's own implementation (which may restore a table copy)
_remote = None  # when moto runs in another process with the speed-ups (ulakbel dev): asks it for `fallbacks`


def use_remote(fallback_count) -> None:  # type: ignore[no-untyped-def]
    """`ulakbel dev`: the speed-ups are installed in the embedded AWS's own process; `fallback_count()` asks it."""
    global _remote
    _remote = fallback_count


def active() -> bool:
    """Are the speed-ups in force for the embedded AWS this process talks to (here or in moto's process)?"""
    return _installed or _remote is not None


def fallback_count() -> int:
    return _remote() if _remote is not None else fallbacks


def _patches():  # type: ignore[no-untyped-def]
    """(class, attribute, speed-up, module global keeping moto's own) for every speed-up above."""
    from moto.dynamodb.models import DynamoDBBackend
    from moto.dynamodb.models.dynamo_type import Item
    from moto.dynamodb.models.table import Table
    from moto.dynamodbstreams.responses import DynamoDBStreamsHandler
    from moto.sqs.models import Queue, SQSBackend

    from moto.dynamodb.parsing.expressions import UpdateExpressionParser

    return ((DynamoDBBackend, "transact_write_items", _transact_write_items, "_original"),
            (Item, "__init__", fast_item_init, "_original_item_init"),
            (Table, "query", fast_query, "_original_query"),
            (Table, "all_items", narrowed_all_items, "_original_all_items"),
            (DynamoDBStreamsHandler, "get_records", fast_get_records, "_original_get_records"),
            (SQSBackend, "send_message", fast_send_message, "_original_send"),
            (SQSBackend, "receive_message", fast_receive_message, "_original_receive"),
            (Queue, "attributes", property(queue_attributes), "_original_queue_attributes"),
            (UpdateExpressionParser, "make", classmethod(_parsed_update), "_original_update_parse"))


def _transact_write_items(self, items):  # type: ignore[no-untyped-def]
    return fast_transact_write_items(self, items, _moto_transact_write_items)


def _moto_transact_write_items(self, items):  # type: ignore[no-untyped-def]
    global fallbacks
    fallbacks += 1
    return _original(self, items)


def install() -> None:
    global _installed
    if _installed:
        return
    for owner, name, speed_up, original in _patches():
        # The class's own attribute (a classmethod or property object as such), not what getattr binds.
        globals()[original] = vars(owner).get(name, getattr(owner, name))
        setattr(owner, name, speed_up)
    _install_dispatch()
    _installed = True


def uninstall() -> None:
    global _installed
    if not _installed:
        return
    for owner, name, _, original in _patches():
        setattr(owner, name, globals()[original])
    _uninstall_dispatch()
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
                ok = _condition(get_filter_expression, condition, op.get("ExpressionAttributeNames"),
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


_conditions: dict = {}
_updates: dict = {}


def _condition(parse, condition, names, values):  # type: ignore[no-untyped-def]
    """A transaction's parsed condition, remembered by text, names and values (a parse error is not kept)."""
    import json

    key = (condition, json.dumps(names, sort_keys=True), json.dumps(values, sort_keys=True))
    parsed = _conditions.get(key)
    if parsed is None:
        if len(_conditions) > 4096:
            _conditions.clear()
        parsed = _conditions[key] = parse(condition, names, values)
    return parsed


def _parsed_update(cls, expression_str):  # type: ignore[no-untyped-def]
    parsed = _updates.get(expression_str)
    if parsed is None:
        if len(_updates) > 4096:
            _updates.clear()
        parsed = _updates[expression_str] = _original_update_parse.__func__(cls, expression_str)
    return parsed


def fast_item_init(self, hash_key, range_key, attrs):  # type: ignore[no-untyped-def]
    """moto's Item.__init__, with the size limit checked once over all attributes instead of once per
    attribute over all the previous ones (same limit, same exception, same stored attributes)."""
    from moto.dynamodb.exceptions import ItemSizeTooLarge
    from moto.dynamodb.models.dynamo_type import DynamoType, LimitedSizeDict
    from moto.dynamodb.models.utilities import bytesize

    self.hash_key = hash_key
    self.range_key = range_key
    converted = {key: DynamoType(value) for key, value in attrs.items()}
    if sum(bytesize(key) + value.size() for key, value in converted.items()) > 405000:
        raise ItemSizeTooLarge
    self.attrs = LimitedSizeDict()
    dict.update(self.attrs, converted)


def fast_query(self, hash_key, *args, **kwargs):  # type: ignore[no-untyped-def]
    """moto's Table.query, with `all_items` narrowed to the items the query's key condition can match."""
    index_name = args[6] if len(args) > 6 else kwargs.get("index_name")
    conditions = kwargs.get("hash_key_conditions")
    if index_name:
        narrow = ("index", tuple(conditions)) if conditions else None
    else:
        narrow = ("table", hash_key) if hash_key is not None and self.range_key_attr else None
    _narrow.value = (self, narrow) if narrow else None
    try:
        return _original_query(self, hash_key, *args, **kwargs)
    finally:
        _narrow.value = None


def narrowed_all_items(self):  # type: ignore[no-untyped-def]
    current = getattr(_narrow, "value", None)
    if current is None or current[0] is not self:
        return _original_all_items(self)
    _narrow.value = None  # one narrowed listing per query
    kind, key = current[1]
    if kind == "table":
        items = list(self.items.get(key, {}).values())
    else:
        items = []
        for hash_set in self.items.values():
            for item in (hash_set.values() if self.range_key_attr else (hash_set,)):
                if all((value := item.attrs.get(attr)) and value == expected for attr, expected in key):
                    items.append(item)
    return sorted(items, key=lambda x: (x.hash_key, x.range_key) if x.range_key else x.hash_key)


def _epoch(value):  # type: ignore[no-untyped-def]
    """moto's JSON timestamp: UTC epoch seconds, truncated to milliseconds (moto keeps naive UTC times)."""
    import calendar
    from datetime import datetime

    if isinstance(value, datetime):
        base = calendar.timegm(value.utctimetuple())
        return base + (value.microsecond // 1000) / 1000.0 if value.microsecond else base
    raise TypeError(type(value).__name__)


def fast_get_records(self):  # type: ignore[no-untyped-def]
    """moto's DynamoDBStreamsHandler.get_records, answered as plain JSON."""
    import json

    limit = self._get_param("Limit")
    result = self.backend.get_records(self._get_param("ShardIterator"), 1000 if limit is None else limit)
    return json.dumps(result, default=_epoch)


def fast_send_message(self, *args, **kwargs):  # type: ignore[no-untyped-def]
    _sending.active = True
    try:
        return _original_send(self, *args, **kwargs)
    finally:
        _sending.active = False


def fast_receive_message(self, *args, **kwargs):  # type: ignore[no-untyped-def]
    """moto's ReceiveMessage; its per-message retention look-up no longer counts the queue's messages."""
    _sending.active = True
    try:
        return _original_receive(self, *args, **kwargs)
    finally:
        _sending.active = False


def _install_dispatch() -> None:
    import functools

    from moto.core import responses, utils
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication

    global _original_backend_for_host, _original_method_names, _original_camel
    _original_backend_for_host = DomainDispatcherApplication.get_backend_for_host
    DomainDispatcherApplication.get_backend_for_host = fast_backend_for_host
    _original_method_names, _original_camel = responses.method_names_from_class, responses.camelcase_to_underscores
    responses.method_names_from_class = functools.lru_cache(maxsize=None)(utils.method_names_from_class)
    responses.camelcase_to_underscores = functools.lru_cache(maxsize=4096)(utils.camelcase_to_underscores)


def _uninstall_dispatch() -> None:
    from moto.core import responses
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication

    DomainDispatcherApplication.get_backend_for_host = _original_backend_for_host
    responses.method_names_from_class, responses.camelcase_to_underscores = _original_method_names, _original_camel


def fast_backend_for_host(self, host):  # type: ignore[no-untyped-def]
    """moto's get_backend_for_host, remembered per host name (the caller holds the dispatcher's lock)."""
    known = self.__dict__.setdefault("_ulakbel_backend_for_host", {})
    if host not in known:
        known[host] = _original_backend_for_host(self, host)
    return known[host]


_COUNTS = ("ApproximateNumberOfMessages", "ApproximateNumberOfMessagesDelayed",
           "ApproximateNumberOfMessagesNotVisible")


def queue_attributes(self):  # type: ignore[no-untyped-def]
    """moto's Queue.attributes; within SendMessage without the three message counts (O(backlog) each)."""
    if not getattr(_sending, "active", False):
        return _original_queue_attributes.fget(self)
    import json

    from moto.core.utils import camelcase_to_underscores

    result = {a: getattr(self, camelcase_to_underscores(a)) for a in self.BASE_ATTRIBUTES if a not in _COUNTS}
    if self.fifo_queue:
        result |= {a: getattr(self, camelcase_to_underscores(a)) for a in self.FIFO_ATTRIBUTES}
    if self.kms_master_key_id:
        result |= {a: getattr(self, camelcase_to_underscores(a)) for a in self.KMS_ATTRIBUTES}
    if self.policy:
        result["Policy"] = self.policy
    if self.redrive_policy:
        result["RedrivePolicy"] = json.dumps(self.redrive_policy)
    return {k: str(v).lower() if isinstance(v, bool) else v for k, v in result.items()}

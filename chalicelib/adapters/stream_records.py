"""The one decoder of DynamoDB stream records: `decode(record)` → a `StreamChange` with typed old/new images.

Every stream consumer (chalicelib/handlers/stream/) reads records through it, so a stored item means the same
thing on the stream as it does to the repository: a request header (`REQ#<id>` / `META`) becomes a `Request`
and a timeline event (`REQ#<id>` / `EVT#<id>`) a `TimelineEvent`, by the repository's own item mapping; any
other item stays a plain dict. Images are decoded lazily, once, and only when a consumer asks for them, so a
consumer that filters on keys pays nothing for the records it skips. boto3 is imported on first decode only.

A record handed to several consumers in one process (the dev pump calls the four in turn with the same batch)
is decoded once: the last few hundred decodes are remembered by the record object itself (its identity, never
its eventID or contents), so each header image becomes a `Request` once per process, not once per consumer.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Mapping

from ..domain.models import Request, TimelineEvent
from .schema import requests as request_keys


@dataclass(frozen=True)
class StreamChange:
    """One stream record: what happened (INSERT, MODIFY, REMOVE) to which item, with its images."""

    event_id: str
    event_name: str
    sequence_number: str | None
    pk: str
    sk: str
    old_image: Mapping[str, Any] | None = field(default=None, repr=False)  # DynamoDB JSON, as streamed
    new_image: Mapping[str, Any] | None = field(default=None, repr=False)

    @property
    def is_insert(self) -> bool:
        return self.event_name == "INSERT"

    @property
    def request_id(self) -> str | None:
        return request_keys.request_id_of(self.pk)

    @property
    def is_request_header(self) -> bool:
        return request_keys.is_header(self.pk, self.sk)

    @property
    def is_request_event(self) -> bool:
        return request_keys.is_event(self.pk, self.sk)

    @cached_property
    def old_item(self) -> dict[str, Any] | None:
        """The old image as plain Python (numbers as int/float, not Decimal), or None."""
        return _plain(self.old_image)

    @cached_property
    def new_item(self) -> dict[str, Any] | None:
        return _plain(self.new_image)

    @cached_property
    def old(self) -> Request | TimelineEvent | dict[str, Any] | None:
        """The old image, typed: Request (header), TimelineEvent (event), else the plain dict; None if absent."""
        return self._typed(self.old_item)

    @cached_property
    def new(self) -> Request | TimelineEvent | dict[str, Any] | None:
        return self._typed(self.new_item)

    def _typed(self, item: dict[str, Any] | None) -> Request | TimelineEvent | dict[str, Any] | None:
        if item is None:
            return None
        from .schema.requests import request_from_item
        from .schema.stored import validate_stored

        if self.is_request_header:
            return request_from_item(item)
        if self.is_request_event:
            return validate_stored(TimelineEvent, {k: v for k, v in item.items() if k not in ("PK", "SK")})
        return item


REMEMBERED_DECODES = 512  # a few batches of records (Lambda's default batch is 100)
_decoded: OrderedDict[int, tuple[Any, StreamChange]] = OrderedDict()  # id(record) → (record, its change)
_decoded_lock = threading.Lock()


def decode(record: Any) -> StreamChange:
    """A raw stream record (a dict from the event's Records) or a Powertools DynamoDBRecord → StreamChange."""
    raw: Mapping[str, Any] = getattr(record, "raw_event", record)
    known = _decoded.get(id(raw))
    if known is not None and known[0] is raw:  # the very same record object (it is kept, so its id is not reused)
        return known[1]
    ddb = raw.get("dynamodb") or {}
    keys = ddb.get("Keys") or {}
    change = StreamChange(event_id=raw.get("eventID", ""), event_name=raw.get("eventName", ""),
                          sequence_number=ddb.get("SequenceNumber"), pk=_string(keys.get("PK")),
                          sk=_string(keys.get("SK")), old_image=ddb.get("OldImage") or None,
                          new_image=ddb.get("NewImage") or None)
    with _decoded_lock:
        _decoded[id(raw)] = (raw, change)
        while len(_decoded) > REMEMBERED_DECODES:
            _decoded.popitem(last=False)
    return change


def _string(value: Mapping[str, Any] | None) -> str:
    return (value or {}).get("S", "")


def _plain(image: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if not image:
        return None
    from boto3.dynamodb.types import TypeDeserializer

    from .schema.base import from_stored as _from_dynamo

    de = TypeDeserializer()
    return _from_dynamo({k: de.deserialize(v) for k, v in image.items()})

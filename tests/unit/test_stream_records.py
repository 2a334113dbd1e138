"""The one stream decoder: a DynamoDB stream record → keys, event name and typed old/new images."""
from __future__ import annotations

import json
from datetime import datetime, timezone
from decimal import Decimal

import pytest
from boto3.dynamodb.types import TypeSerializer

from chalicelib import container
from chalicelib.adapters.stream_records import StreamChange, decode
from chalicelib.domain.models import Channel, Location, Request, Status, TimelineEvent

AT = datetime(2026, 11, 20, 9, 30, tzinfo=timezone.utc)


def _image(doc: dict) -> dict:
    plain = json.loads(json.dumps(doc, default=str), parse_float=Decimal)
    ser = TypeSerializer()
    return {k: ser.serialize(v) for k, v in plain.items() if v is not None}


def _record(name: str, pk: str, sk: str, new: dict | None = None, old: dict | None = None) -> dict:
    ddb = {"Keys": {"PK": {"S": pk}, "SK": {"S": sk}}, "SequenceNumber": "111", "StreamViewType": "NEW_AND_OLD_IMAGES"}
    if new is not None:
        ddb["NewImage"] = _image(new)
    if old is not None:
        ddb["OldImage"] = _image(old)
    return {"eventID": "ev-1", "eventName": name, "eventSource": "aws:dynamodb", "dynamodb": ddb}


def _request(**kw) -> Request:
    return Request(id="01JREQ", tracking_code="ABCD-2345", channel=Channel.sms, received_at=AT, updated_at=AT,
                   text="Çöpler toplanmadı", location=Location(neighbourhood="Kiçiköy", lat=38.69, long=35.55), **kw)


def _header(request: Request) -> dict:
    doc = request.model_dump(mode="json", exclude={"timeline", "duplicate_count"}, exclude_none=True)
    return {"PK": f"REQ#{request.id}", "SK": "META", "GSI1PK": "x", **doc}


def test_a_request_header_change_has_typed_old_and_new_requests():
    old, new = _request(), _request(status=Status.routed, department="temizlik", version=2)
    change = decode(_record("MODIFY", "REQ#01JREQ", "META", new=_header(new), old=_header(old)))
    assert isinstance(change, StreamChange) and change.is_request_header and not change.is_insert
    assert (change.event_id, change.sequence_number, change.request_id) == ("ev-1", "111", "01JREQ")
    assert isinstance(change.old, Request) and isinstance(change.new, Request)
    assert change.old.status is Status.new and change.new.department == "temizlik"
    assert change.new.location.lat == 38.69 and isinstance(change.new_item["location"]["lat"], float)
    assert change.new.version == 2 and isinstance(change.new_item["version"], int)  # no Decimal leaks out


def test_a_timeline_event_insert_is_a_timeline_event_and_other_items_stay_plain():
    event = TimelineEvent(id="01JEVT", at=AT, type="reopened", data={"window_hours": 168})
    change = decode(_record("INSERT", "REQ#01JREQ", "EVT#01JEVT",
                            new={"PK": "REQ#01JREQ", "SK": "EVT#01JEVT", **event.model_dump(mode="json")}))
    assert change.is_insert and change.is_request_event and not change.is_request_header
    assert change.new == event and change.old is None and change.old_item is None
    marker = decode(_record("INSERT", "OPTOUT#sms#x", "OPTOUT", new={"PK": "OPTOUT#sms#x", "SK": "OPTOUT", "n": 3}))
    assert marker.request_id is None and marker.new == {"PK": "OPTOUT#sms#x", "SK": "OPTOUT", "n": 3}


def test_a_removed_item_has_only_an_old_image_and_a_broken_one_fails_when_read():
    gone = decode(_record("REMOVE", "REQ#01JREQ", "META", old=_header(_request())))
    assert gone.new is None and gone.old.id == "01JREQ"
    broken = decode(_record("INSERT", "REQ#01JREQ", "META", new={"PK": "REQ#01JREQ", "SK": "META", "id": "x"}))
    assert broken.is_request_header  # keys decode without touching the image
    with pytest.raises(Exception):
        broken.new  # a required field is missing: the consumer reports the record, nothing is guessed


def test_powertools_records_and_the_container_decode_the_same():
    from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord

    raw = _record("INSERT", "REQ#01JREQ", "META", new=_header(_request()))
    assert container.decode_stream_record(DynamoDBRecord(raw)).new == decode(raw).new == _request()


def test_one_record_handed_to_several_consumers_is_decoded_once_and_an_equal_copy_is_not_confused(monkeypatch):
    """The dev pump hands the same record objects to the four consumers: the header becomes a Request once.
    Records are told apart by identity, never by eventID (tests and redeliveries reuse ids with new images)."""
    from chalicelib.adapters.schema import requests as schema

    built = []
    original = schema.request_from_item
    monkeypatch.setattr(schema, "request_from_item", lambda item: built.append(item["text"]) or original(item))
    record = _record("INSERT", "REQ#01JREQ", "META", new=_header(_request()))
    first, again = container.decode_stream_record(record), decode(record)
    assert first is again and first.new.text == again.new.text == "Çöpler toplanmadı"
    assert built == ["Çöpler toplanmadı"]
    changed = _record("INSERT", "REQ#01JREQ", "META", new=_header(_request(status=Status.routed)))
    changed["dynamodb"]["NewImage"]["text"] = {"S": "Sokak lambası yanmıyor"}  # same eventID, same keys
    assert decode(changed).new.text == "Sokak lambası yanmıyor" and decode(changed).new.status is Status.routed
    assert built == ["Çöpler toplanmadı", "Sokak lambası yanmıyor"]

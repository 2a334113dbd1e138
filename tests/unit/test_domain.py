from __future__ import annotations

from datetime import datetime, timezone

import pytest
from pydantic import ValidationError

from chalicelib.adapters.schema import requests as dynamo_keys
from chalicelib.adapters.schema.base import sortable
from chalicelib.domain import identifiers
from chalicelib.domain.contact import is_valid_tc_kimlik, mask_phone, normalise_phone
from chalicelib.domain.models import Citizen, Location, RequestCreate, Status, TRANSITIONS, can_transition
from chalicelib.observability import scrub


@pytest.mark.parametrize("value,ok", [("10000000146", True), ("12345678950", True), ("12345678901", False),
                                      ("02345678901", False), ("1234567895", False), ("1234567895a", False)])
def test_tc_kimlik_checksum(value, ok):
    assert is_valid_tc_kimlik(value) is ok


@pytest.mark.parametrize("raw", ["0532 111 22 33", "+90 532 111 2233", "905321112233", "(0532) 111-22-33",
                                 "00905321112233"])
def test_phone_normalised_to_e164(raw):
    assert normalise_phone(raw) == "+905321112233"


def test_bad_phone_is_rejected_with_a_message():
    with pytest.raises(ValidationError) as exc:
        Citizen(phone="12")
    assert "Telefon" in str(exc.value)


def test_citizen_and_location_validation():
    assert Citizen(email="Ali@Example.COM").email == "Ali@example.com"
    with pytest.raises(ValidationError):
        Citizen(email="not-an-email")
    with pytest.raises(ValidationError):
        Location(lat=38.7)
    with pytest.raises(ValidationError):
        RequestCreate.model_validate({"channel": "sms", "text": "x", "unknown": 1})


def test_tracking_codes_are_short_unambiguous_and_unique_enough():
    codes = {identifiers.new_tracking_code() for _ in range(2000)}
    assert len(codes) == 2000
    for code in list(codes)[:50]:
        assert identifiers.is_tracking_code(code)
        assert not set(code) & set("01OIL")
    assert identifiers.normalise_tracking_code("abcd efgh") == "ABCD-EFGH"


def test_transitions():
    assert can_transition(Status.new, Status.routed)
    assert can_transition(Status.resolved, Status.in_progress)  # reopen
    assert not can_transition(Status.closed, Status.in_progress)
    assert not can_transition(Status.new, Status.resolved)
    assert all(isinstance(v, frozenset) for v in TRANSITIONS.values())
    assert set(TRANSITIONS) == set(Status)


def test_sortable_timestamps_have_fixed_width_and_order():
    a = datetime(2026, 1, 1, tzinfo=timezone.utc)
    b = datetime(2026, 1, 1, 0, 0, 0, 5, tzinfo=timezone.utc)
    assert len(sortable(a)) == len(sortable(b))
    assert sortable(a) < sortable(b)


def test_index_keys_follow_the_data():
    when = datetime(2026, 11, 1, tzinfo=timezone.utc)
    keys = dynamo_keys.index_keys({"id": "X", "status": "routed", "department": "fen",
                                   "location": {"neighbourhood": "Harman"}}, when, when, True)
    assert keys["GSI1PK"] == "DEPT#fen" and keys["GSI2PK"] == "NBH#Harman" and keys["GSI4PK"] == "DUE"
    closed = dynamo_keys.index_keys({"id": "X", "status": "closed"}, when, when, False)
    assert "GSI4PK" not in closed and "GSI1PK" not in closed


def test_scrub_removes_personal_data_but_keeps_ids():
    line = ("call +905321112233 / 0532 111 22 33, mail ali.veli@example.com.tr, tc 10000000146, "
            "id 01M8HSQVPYZK80FVS254AMN48S code 2Q22-Y56Q at 2026-11-28 19:22:42,581")
    out = scrub(line)
    for secret in ("5321112233", "111 22 33", "ali.veli", "10000000146"):
        assert secret not in out
    assert "01M8HSQVPYZK80FVS254AMN48S" in out and "2Q22-Y56Q" in out and "2026-11-28 19:22:42" in out
    assert mask_phone("+905321112233").endswith("2233") and "532111" not in mask_phone("+905321112233")

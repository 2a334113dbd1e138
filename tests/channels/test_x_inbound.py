"""X: CRC (test vectors from the reference), POST signature, AAA and XAA payloads."""
from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from chalicelib.channels.x import inbound
from chalicelib.domain.errors import InvalidInput
from tests.conftest import FIXTURES


def load(name: str) -> dict:
    return json.loads((FIXTURES / "x" / name).read_text(encoding="utf-8"))


def test_crc_vector_from_courier():
    """Courier's vector checks the algorithm; its token (with a space) is not X's shape, so it gets no answer."""
    assert inbound.sign(b"test token", "apiSecret") == "sha256=O5hJl2njQRIa4vsumZ+3oom9ECR5m3aQLRZkPoYelp0="
    with pytest.raises(InvalidInput):
        inbound.crc_response("test token", "apiSecret")


@pytest.mark.parametrize("token", ['{"for_user_id":"1"}', "a b", "x" * 129, "", "abc{", 'a"b', "a\nb",
                                   "ş" * 8, "<x>"])
def test_crc_answers_only_x_shaped_tokens(token):
    """The CRC answer and the POST signature are the same HMAC: the CRC must never sign a webhook body."""
    assert not inbound.is_crc_token(token)
    with pytest.raises(InvalidInput):
        inbound.crc_response(token, "apiSecret")


def test_no_x_shaped_token_parses_as_a_webhook_body():
    from hypothesis import given, settings, strategies as st

    @settings(max_examples=200, deadline=None, database=None, derandomize=True)
    @given(st.from_regex(inbound.CRC_TOKEN, fullmatch=True))
    def check(token):
        try:
            parsed = json.loads(token)
        except ValueError:
            return
        with pytest.raises(InvalidInput):
            inbound.parse(parsed)

    check()


def test_crc_on_x_published_sample_inputs():
    out = inbound.crc_response("9b4507b3-9040-4669-9ca3-6b94edb50553",
                               "z3ZX4v7mAAUGykl3EcmkqbartmuW8VFOOzCloLx9Q45P0hLrFu")
    assert out["response_token"] == "sha256=Cytd4Sq+NvEcV3MMrXxWJGJx5A+y/lXzzU2Maartkx8="


def test_post_signature_is_base64_over_raw_body():
    raw = (FIXTURES / "x" / "aaa_dm.json").read_bytes()
    header = inbound.sign(raw, "consumer")
    assert header.startswith("sha256=") and header.endswith("=")
    assert inbound.verify_signature(raw, header, "consumer")
    assert not inbound.verify_signature(raw, header, "old-consumer")
    assert not inbound.verify_signature(raw + b" ", header, "consumer")
    assert not inbound.verify_signature(raw, None, "consumer")
    assert not inbound.verify_signature(raw, header, None)
    hex_style = "sha256=" + __import__("hashlib").sha256(raw).hexdigest()
    assert not inbound.verify_signature(raw, hex_style, "consumer")


def test_aaa_mention_becomes_request_own_tweet_ignored():
    batch = inbound.parse(load("aaa_mention.json"))
    [cmd] = batch.commands
    assert cmd.channel == "x" and cmd.channel_ref == "1994512345678901234"
    assert cmd.citizen.platform_id == "2244994945" and cmd.citizen.handle == "burakcelik"
    assert cmd.citizen.name == "Burak Çelik"
    assert (cmd.location.lat, cmd.location.long) == (41.0082, 28.9784)
    assert cmd.received_at == datetime.fromtimestamp(1764386700, tz=timezone.utc)
    assert batch.ignored == 1


def test_aaa_tweet_not_addressing_us_and_retweets_ignored():
    payload = load("aaa_mention.json")
    mention = payload["tweet_create_events"][0]
    other = {**mention, "id_str": "1", "in_reply_to_user_id_str": None,
             "entities": {"user_mentions": [{"id_str": "42"}]}}
    retweet = {**mention, "id_str": "2", "retweeted_status": {"id_str": "3"}}
    batch = inbound.parse({"for_user_id": payload["for_user_id"], "tweet_create_events": [other, retweet]})
    assert batch.commands == [] and batch.ignored == 2


def test_aaa_dm_unescaped_and_own_dm_ignored():
    batch = inbound.parse(load("aaa_dm.json"))
    [cmd] = batch.commands
    assert cmd.channel_ref == "1994512345678905555"
    assert cmd.text == "Merhaba, Bağlar & Çınar sokaklarında 2 gündür su yok"
    assert cmd.citizen.handle == "selinkoc" and cmd.citizen.platform_id == "125505243"
    assert batch.ignored == 1


def test_xaa_post_and_dm():
    [post] = inbound.parse(load("xaa_post.json")).commands
    assert post.channel_ref == "1994512345678907777" and post.citizen.handle == "denizaydin"
    assert post.received_at == datetime(2026, 11, 29, 3, 27, tzinfo=timezone.utc)
    [dm] = inbound.parse(load("xaa_dm.json")).commands
    assert dm.channel_ref == "1994512345678908888" and dm.citizen.platform_id == "776655443322110099"
    assert dm.citizen.name == "Emre Yıldız"


def test_xaa_own_post_and_other_events_ignored():
    payload = load("xaa_post.json")
    payload["data"]["payload"]["author_id"] = payload["data"]["filter"]["user_id"]
    assert inbound.parse(payload).commands == []
    like = {"data": {"event_uuid": "1", "filter": {"user_id": "1"}, "event_type": "like.create", "payload": {}}}
    assert inbound.parse(like).ignored == 1


def test_other_aaa_events_ignored_and_garbage_rejected():
    assert inbound.parse({"for_user_id": "1", "favorite_events": [{}]}).ignored == 1
    with pytest.raises(InvalidInput):
        inbound.parse({"hello": "world"})
    with pytest.raises(InvalidInput):
        inbound.parse([1, 2])


def test_read_receipt_of_our_dm_is_a_delivery_update_not_a_request():
    payload = {"for_user_id": "1457891234567890123", "direct_message_mark_read_events": [
        {"created_timestamp": "1764386900000", "sender_id": "125505243",
         "target": {"recipient_id": "1457891234567890123"}, "last_read_event_id": "1994512345678905556"}]}
    batch = inbound.parse(payload)
    assert batch.commands == []
    [update] = batch.delivery_updates
    assert (update.platform, update.platform_message_id, update.status) == ("x", "1994512345678905556", "read")
    assert update.at == datetime.fromtimestamp(1764386900, tz=timezone.utc)

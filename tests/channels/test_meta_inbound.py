"""Meta webhooks: signature (incl. the published test vector), handshake and every payload type."""
from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from chalicelib.channels.meta import inbound
from chalicelib.domain.errors import InvalidInput
from tests.conftest import FIXTURES


def load(name: str) -> dict:
    return json.loads((FIXTURES / "meta" / name).read_text(encoding="utf-8"))


# -- signature ------------------------------------------------------------------------------------

def test_signature_matches_the_published_vector():
    assert inbound.sign(b"test", "secret") == \
        "sha256=0329a06b62cd16b33eb6792be8c60b158d89a2ee3a876fce9a881ebb488c0914"


def test_signature_is_checked_over_the_raw_bytes():
    raw = (FIXTURES / "meta" / "page_comment.json").read_bytes()
    header = inbound.sign(raw, "app-secret")
    assert inbound.verify_signature(raw, header, ["app-secret"])
    assert inbound.verify_signature(raw, header.upper().replace("SHA256=", "sha256="), ["app-secret"])
    reserialised = json.dumps(json.loads(raw)).encode()
    assert not inbound.verify_signature(reserialised, header, ["app-secret"])


@pytest.mark.parametrize("header", [None, "", "sha1=abc", "sha256=", "sha256=" + "0" * 64,
                                    "0329a06b62cd16b33eb6792be8c60b158d89a2ee3a876fce9a881ebb488c0914"])
def test_forged_or_malformed_signatures_fail(header):
    assert not inbound.verify_signature(b"test", header, ["secret"])


def test_stale_secret_fails_and_a_second_configured_secret_is_accepted():
    header = inbound.sign(b"test", "old-secret")
    assert not inbound.verify_signature(b"test", header, ["new-secret"])
    assert inbound.verify_signature(b"test", inbound.sign(b"test", "ig-secret"), ["app", None, "ig-secret"])
    assert not inbound.verify_signature(b"test", header, [None, ""])


def test_subscription_handshake():
    ok = {"hub.mode": "subscribe", "hub.verify_token": "tok", "hub.challenge": "1158201444"}
    assert inbound.verify_subscription(ok, "tok") == "1158201444"
    assert inbound.verify_subscription({**ok, "hub.verify_token": "nope"}, "tok") is None
    assert inbound.verify_subscription({**ok, "hub.mode": "unsubscribe"}, "tok") is None
    assert inbound.verify_subscription(ok, None) is None


# -- Facebook page feed ------------------------------------------------------------------------------

def test_page_comment_becomes_one_facebook_request():
    batch = inbound.parse(load("page_comment.json"))
    [cmd] = batch.commands
    assert cmd.channel == "facebook"
    assert cmd.channel_ref == "1029384756102938_882233445566778"
    assert cmd.text.startswith("Yenidoğan mahallesinde çöpler")
    assert cmd.citizen.platform_id == "7412589630125874" and cmd.citizen.name == "Ayşe Yılmaz"
    assert cmd.in_reply_to == "104523198765432_1029384756102938"
    assert cmd.received_at == datetime.fromtimestamp(1764386400, tz=timezone.utc)


def test_page_feed_batch_skips_own_comments_edits_removals_and_reactions():
    batch = inbound.parse(load("page_feed_batch.json"))
    refs = [c.channel_ref for c in batch.commands]
    assert refs == ["1029384756102938_882233445566790", "104523198765432_1122334455667788"]
    reply, photo = batch.commands
    assert reply.in_reply_to == "1029384756102938_882233445566778"  # answer to another comment
    assert photo.attachments[0].kind == "image" and photo.attachments[0].provider_id == "1122334455667799"
    assert photo.citizen.name == "Zeynep Kaya"
    assert batch.ignored == 4


# -- Messenger ------------------------------------------------------------------------------------

def test_messenger_text():
    [cmd] = inbound.parse(load("messenger_text.json")).commands
    assert cmd.channel == "facebook"
    assert cmd.channel_ref.startswith("m_Aq3xZr5d7P9")
    assert cmd.citizen.platform_id == "6024680135792468"
    assert cmd.received_at == datetime.fromtimestamp(1764386519.876, tz=timezone.utc)


def test_messenger_batch_each_message_once_echoes_receipts_and_edits_ignored():
    batch = inbound.parse(load("messenger_batch.json"))
    assert [c.channel_ref for c in batch.commands] == ["m_first_0001", "m_location_0003", "m_image_0004"]
    first, loc, img = batch.commands
    assert first.in_reply_to == "m_page_reply_0000"
    assert (loc.location.lat, loc.location.long) == (41.0151, 28.9795)
    assert loc.text == "[Konum / location]"
    assert img.attachments[0].kind == "image" and img.attachments[0].url.startswith("https://scontent")
    assert batch.ignored == 3  # echo, read (watermark only), message_edit
    [delivered] = batch.delivery_updates
    assert (delivered.platform, delivered.platform_message_id, delivered.status) == \
        ("facebook", "m_echo_0002", "delivered")


# -- Instagram --------------------------------------------------------------------------------------

def test_instagram_comment_and_own_reply_ignored():
    batch = inbound.parse(load("instagram_comment.json"))
    [cmd] = batch.commands
    assert cmd.channel == "instagram" and cmd.channel_ref == "17919697626119712"
    assert cmd.citizen.handle == "vatandas34" and cmd.citizen.platform_id == "17841400000111222"
    assert cmd.in_reply_to == "18172143295349192"  # the media it was written under
    assert batch.ignored == 1


def test_instagram_dm_and_echo():
    batch = inbound.parse(load("instagram_dm.json"))
    [cmd] = batch.commands
    assert cmd.channel == "instagram" and cmd.citizen.platform_id == "1193748561039485"
    assert cmd.text == "Otobüs durağının camı kırılmış"
    assert batch.ignored == 1


# -- WhatsApp -------------------------------------------------------------------------------------------

def test_whatsapp_text_with_phone_in_e164_and_reply_context():
    [cmd] = inbound.parse(load("whatsapp_text.json")).commands
    assert cmd.channel == "whatsapp"
    assert cmd.channel_ref == "wamid.HBgMOTA1MzIxMTEyMjMzFQIAEhgUM0E0QjY1OTlBRUUwMzgxMDE0NEYA"
    assert cmd.citizen.phone == "+905321112233" and cmd.citizen.platform_id == "905321112233"
    assert cmd.citizen.name == "Fatma Şahin"
    assert cmd.in_reply_to == "wamid.HBgMOTA1MzIxMTEyMjMzFQIAERgSQkFDRjY5RTlBRUUwMzgxMDE0AA=="
    assert cmd.received_at == datetime.fromtimestamp(1764386900, tz=timezone.utc)


def test_whatsapp_location_image_interactive_and_reaction():
    batch = inbound.parse(load("whatsapp_location.json"))
    loc, img, button = batch.commands
    assert (loc.location.lat, loc.location.long) == (41.0082, 28.9784)
    assert loc.location.address == "Sultanahmet Parkı, Binbirdirek, Fatih/İstanbul"
    assert img.text == "Kaldırım taşları yerinden çıkmış"
    assert img.attachments[0].provider_id == "1479537139650973"
    assert img.attachments[0].content_type == "image/jpeg" and img.attachments[0].kind == "image"
    assert button.text == "Su arızası" and button.in_reply_to is not None
    assert batch.ignored == 1  # the reaction


def test_whatsapp_statuses_are_delivery_updates_never_requests():
    batch = inbound.parse(load("whatsapp_status.json"))
    assert batch.commands == []
    delivered, failed = batch.delivery_updates
    assert delivered == inbound.DeliveryUpdate(
        platform="whatsapp", platform_message_id="wamid.HBgMOTA1MzIxMTEyMjMzFQIAERgSQkFDRjY5RTlBRUUwMzgxMDE0AA==",
        status="delivered", error=None, at=datetime.fromtimestamp(1764387000, tz=timezone.utc),
        recipient_id="905321112233")
    assert failed.status == "failed" and failed.error.startswith("131047 Re-engagement message")


def test_whatsapp_business_scoped_user_without_phone():
    [cmd] = inbound.parse(load("whatsapp_bsuid.json")).commands
    assert cmd.citizen.platform_id == "TR.13491208655302741918"
    assert cmd.citizen.phone is None and cmd.citizen.handle == "elifarslan" and cmd.citizen.name == "Elif Arslan"


def test_one_broken_item_does_not_lose_the_rest_of_the_batch():
    payload = load("whatsapp_text.json")
    value = payload["entry"][0]["changes"][0]["value"]
    value["messages"].insert(0, {"from": "905321112233", "id": "wamid.x", "type": "text", "text": {"body": "  "}})
    value["messages"].insert(0, "garbage")
    batch = inbound.parse(payload)
    assert len(batch.commands) == 1 and batch.ignored == 2


@pytest.mark.parametrize("payload", [[], "x", {"object": "user", "entry": []}, {"object": "page", "entry": "x"}])
def test_not_a_meta_payload_is_invalid_input(payload):
    with pytest.raises(InvalidInput):
        inbound.parse(payload)


def test_unsent_instagram_message_and_unsupported_whatsapp_types_are_not_requests():
    dm = load("instagram_dm.json")
    dm["entry"][0]["messaging"][0]["message"] = {"mid": "aWdf-unsent", "is_deleted": True}
    assert inbound.parse(dm).commands == []
    wa = load("whatsapp_text.json")
    value = wa["entry"][0]["changes"][0]["value"]
    value["metadata"]["display_phone_number"] = "+90 212 555 00 00"
    value["messages"] = [
        {"from": "905321112233", "id": "wamid.u1", "timestamp": "1764386900", "type": "unsupported",
         "errors": [{"code": 131051, "title": "Message type unknown"}]},
        {"from": "902125550000", "id": "wamid.own", "timestamp": "1764386900", "type": "text",
         "text": {"body": "Bizden giden mesaj"}},
    ]
    batch = inbound.parse(wa)
    assert batch.commands == [] and batch.ignored == 2

"""The exact request each platform receives for a reply (URL, auth, body), answered from recorded responses."""
from __future__ import annotations

import base64
import urllib.parse
from datetime import datetime, timedelta, timezone

import pytest

from chalicelib.domain import outbound as o
from chalicelib.domain.outbound import OutboundMessage, PermanentSendError, TransientSendError
from tests.outbound.conftest import Recorder, fixture

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=timezone.utc)


def msg(route, *, to=None, in_reply_to=None, hours_ago=1.0, text="Talebiniz ilgili birime iletildi.", **kw):
    return OutboundMessage(message_id="01JMSG", request_id="01JREQ", route=route, to=to, text=text,
                           in_reply_to=in_reply_to, last_inbound_at=NOW - timedelta(hours=hours_ago),
                           tracking_code="AB2C-3DEF", created_at=NOW, **kw)


def meta(recorder, **cfg):
    from chalicelib.channels.meta.outbound import MetaConfig, MetaSender

    config = MetaConfig(page_token="PAGE-TOKEN", page_id="111222333", instagram_id="17841400000000000",
                        whatsapp_token="WA-TOKEN", whatsapp_phone_number_id="106540352242922", **cfg)
    return MetaSender(config, recorder, clock=lambda: NOW)


# -- WhatsApp -------------------------------------------------------------------------------------

def test_whatsapp_inside_24h_sends_free_text():
    rec = Recorder((200, fixture("meta", "send_whatsapp_response.json")))
    result = meta(rec).send(msg(o.WHATSAPP, to="905321112233", hours_ago=23))
    call = rec.calls[0]
    assert call["method"] == "POST"
    assert call["url"] == "https://graph.facebook.com/v21.0/106540352242922/messages"
    assert call["headers"]["Authorization"] == "Bearer WA-TOKEN"
    assert rec.json() == {"messaging_product": "whatsapp", "recipient_type": "individual", "to": "905321112233",
                          "type": "text", "text": {"preview_url": False, "body": "Talebiniz ilgili birime iletildi."}}
    assert result.platform_message_id.startswith("wamid.") and result.note == "text"


def test_whatsapp_outside_24h_sends_the_approved_template():
    rec = Recorder((200, fixture("meta", "send_whatsapp_template_response.json")))
    result = meta(rec).send(msg(o.WHATSAPP, to="905321112233", hours_ago=25))
    body = rec.json()
    assert body["type"] == "template" and "text" not in body
    assert body["template"]["name"] == "ulakbel_yanit" and body["template"]["language"] == {"code": "tr"}
    params = body["template"]["components"][0]["parameters"]
    assert params == [{"type": "text", "text": "AB2C-3DEF"},
                      {"type": "text", "text": "Talebiniz ilgili birime iletildi."}]
    assert result.note == "template"


def test_whatsapp_business_scoped_user_id_is_addressed_as_recipient():
    rec = Recorder((200, fixture("meta", "send_whatsapp_response.json")))
    meta(rec).send(msg(o.WHATSAPP, to="US.13491208655302741918", hours_ago=1))
    assert rec.json()["recipient"] == "US.13491208655302741918" and "to" not in rec.json()


# -- Facebook / Messenger / Instagram ---------------------------------------------------------------

def test_facebook_public_comment_reply():
    rec = Recorder((200, fixture("meta", "send_comment_response.json")))
    result = meta(rec).send(msg(o.FACEBOOK_COMMENT, in_reply_to="123456789_987654321", public=True))
    assert rec.calls[0]["url"] == "https://graph.facebook.com/v21.0/123456789_987654321/comments"
    assert rec.calls[0]["headers"]["Authorization"] == "Bearer PAGE-TOKEN"
    assert rec.json() == {"message": "Talebiniz ilgili birime iletildi."}
    assert result.platform_message_id == "123456789_987654399"


def test_facebook_private_reply_to_a_comment_uses_comment_id_within_7_days():
    rec = Recorder((200, fixture("meta", "send_messenger_response.json")))
    meta(rec).send(msg(o.MESSENGER, to="6482910375", in_reply_to="123456789_987654321", hours_ago=100))
    assert rec.calls[0]["url"] == "https://graph.facebook.com/v21.0/111222333/messages"
    assert rec.json() == {"recipient": {"comment_id": "123456789_987654321"},
                          "message": {"text": "Talebiniz ilgili birime iletildi."}}
    with pytest.raises(PermanentSendError):
        meta(rec).send(msg(o.MESSENGER, to="6482910375", in_reply_to="123456789_987654321", hours_ago=8 * 24))


def test_messenger_window_response_then_human_agent_tag():
    rec = Recorder((200, fixture("meta", "send_messenger_response.json")))
    result = meta(rec).send(msg(o.MESSENGER, to="6482910375", in_reply_to="m_abc", hours_ago=2))
    assert rec.json() == {"recipient": {"id": "6482910375"}, "messaging_type": "RESPONSE",
                          "message": {"text": "Talebiniz ilgili birime iletildi."}}
    assert result.platform_message_id.startswith("m_")
    meta(rec).send(msg(o.MESSENGER, to="6482910375", in_reply_to="m_abc", hours_ago=30))
    assert rec.json()["messaging_type"] == "MESSAGE_TAG" and rec.json()["tag"] == "HUMAN_AGENT"


def test_instagram_comment_reply_and_dm():
    rec = Recorder((200, fixture("meta", "send_comment_response.json")))
    meta(rec).send(msg(o.INSTAGRAM_COMMENT, in_reply_to="17919697626119712", public=True))
    assert rec.calls[0]["url"] == "https://graph.facebook.com/v21.0/17919697626119712/replies"
    assert rec.json() == {"message": "Talebiniz ilgili birime iletildi."}
    meta(rec).send(msg(o.INSTAGRAM_DM, to="17841400000000001", in_reply_to="aWdfZAG1faXRlbToxOklHTWVzc2FnZA"))
    assert rec.calls[1]["url"] == "https://graph.facebook.com/v21.0/17841400000000000/messages"
    assert rec.json()["recipient"] == {"id": "17841400000000001"}


def test_meta_errors_are_classified():
    with pytest.raises(TransientSendError):
        meta(Recorder((429, fixture("meta", "send_error_rate_limit.json")))).send(
            msg(o.WHATSAPP, to="905321112233"))
    with pytest.raises(PermanentSendError):
        meta(Recorder((400, fixture("meta", "send_error_invalid_recipient.json")))).send(
            msg(o.WHATSAPP, to="905321112233"))


# -- X, YouTube, Twilio ------------------------------------------------------------------------------

def test_x_reply_post_and_dm():
    from chalicelib.channels.x.outbound import XConfig, XSender

    rec = Recorder((200, fixture("x", "send_reply_response.json")))
    result = XSender(XConfig(user_token="X-USER-TOKEN"), rec).send(
        msg(o.X_REPLY, in_reply_to="1861400000000000000", public=True))
    assert rec.calls[0]["url"] == "https://api.x.com/2/tweets"
    assert rec.calls[0]["headers"]["Authorization"] == "Bearer X-USER-TOKEN"
    assert rec.json() == {"text": "Talebiniz ilgili birime iletildi.",
                          "reply": {"in_reply_to_tweet_id": "1861400000000000000"}}
    assert result.platform_message_id == "1861432197865431040"
    rec = Recorder((201, fixture("x", "send_dm_response.json")))
    result = XSender(XConfig(user_token="X-USER-TOKEN"), rec).send(msg(o.X_DM, to="1457894512"))
    assert rec.calls[0]["url"] == "https://api.x.com/2/dm_conversations/with/1457894512/messages"
    assert rec.json() == {"text": "Talebiniz ilgili birime iletildi."}
    assert result.platform_message_id == "1861432555543216128"


def test_youtube_comment_reply_and_quota_is_transient():
    from chalicelib.channels.youtube.outbound import YouTubeConfig, YouTubeSender

    rec = Recorder((200, fixture("youtube", "send_comment_response.json")))
    result = YouTubeSender(YouTubeConfig(oauth_token="ya29.TOKEN"), rec).send(
        msg(o.YOUTUBE_COMMENT, in_reply_to="UgzR0dQJ2n8Xk5b8a0R4AaABAg", public=True))
    assert rec.calls[0]["url"] == "https://www.googleapis.com/youtube/v3/comments?part=snippet"
    assert rec.calls[0]["headers"]["Authorization"] == "Bearer ya29.TOKEN"
    assert rec.json() == {"snippet": {"parentId": "UgzR0dQJ2n8Xk5b8a0R4AaABAg",
                                      "textOriginal": "Talebiniz ilgili birime iletildi."}}
    assert result.platform_message_id.startswith("UgzR0dQJ2n8Xk5b8a0R4AaABAg.")
    with pytest.raises(TransientSendError):
        YouTubeSender(YouTubeConfig(oauth_token="t"), Recorder((403, fixture("youtube", "send_quota_exceeded.json")))
                      ).send(msg(o.YOUTUBE_COMMENT, in_reply_to="Ugz"))


def test_twilio_rest_message_with_basic_auth_and_status_callback():
    from chalicelib.channels.twilio.outbound import TwilioConfig, TwilioSender

    cfg = TwilioConfig(account_sid="AC0123456789abcdef0123456789abcdef", auth_token="tw-secret",
                       from_number="+908501234567", status_callback="https://api.talas.bel.tr/webhooks/twilio/status")
    rec = Recorder((201, fixture("twilio", "send_message_response.json")))
    result = TwilioSender(cfg, rec).send(msg(o.TWILIO_SMS, to="+905051234567"))
    call = rec.calls[0]
    assert call["url"] == ("https://api.twilio.com/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/"
                           "Messages.json")
    expected = base64.b64encode(b"AC0123456789abcdef0123456789abcdef:tw-secret").decode()
    assert call["headers"]["Authorization"] == f"Basic {expected}"
    assert call["headers"]["Content-Type"] == "application/x-www-form-urlencoded"
    assert dict(urllib.parse.parse_qsl(call["body"].decode())) == {
        "To": "+905051234567", "From": "+908501234567", "Body": "Talebiniz ilgili birime iletildi.",
        "StatusCallback": "https://api.talas.bel.tr/webhooks/twilio/status"}
    assert result.platform_message_id == "SM1f0e8ae6ade43cb3c0ce4525424e404f"
    with pytest.raises(PermanentSendError, match="21211"):
        TwilioSender(cfg, Recorder((400, fixture("twilio", "send_error_invalid_to.json")))).send(
            msg(o.TWILIO_SMS, to="+90505123"))


def test_network_failure_is_transient():
    from chalicelib.channels.x.outbound import XConfig, XSender

    with pytest.raises(TransientSendError):
        XSender(XConfig(user_token="t"), Recorder((0, TransientSendError("network: timeout")))).send(
            msg(o.X_DM, to="1"))


def test_reply_routes_follow_the_originating_channel():
    from chalicelib.domain.models import Channel, Citizen, Request
    from chalicelib.domain.outbound import NoRoute, reply_route

    def req(channel, ref, **c):
        return Request(id="r", tracking_code="AB2C-3DEF", channel=Channel(channel), channel_ref=ref,
                       received_at=NOW, text="t", citizen=Citizen(**c) if c else None)

    assert reply_route(req("phone", None, phone="+903524441234"), False) == (o.SMS, "+903524441234", None)
    assert reply_route(req("facebook", "1_2", platform_id="9"), True) == (o.FACEBOOK_COMMENT, "9", "1_2")
    assert reply_route(req("facebook", "1_2", platform_id="9"), False) == (o.MESSENGER, "9", "1_2")
    assert reply_route(req("facebook", "m_x", platform_id="9"), True)[0] == o.MESSENGER
    assert reply_route(req("instagram", "179", platform_id="5"), True)[0] == o.INSTAGRAM_COMMENT
    assert reply_route(req("x", "186", platform_id="7"), True) == (o.X_REPLY, "7", "186")
    assert reply_route(req("x", "186", platform_id="7"), False) == (o.X_DM, "7", "186")
    assert reply_route(req("whatsapp", "wamid.1", platform_id="905321112233"), False)[:2] == (o.WHATSAPP,
                                                                                             "905321112233")
    with pytest.raises(NoRoute):
        reply_route(req("cimer", None, name="x"), False)
    with pytest.raises(NoRoute):
        reply_route(req("beyaz_masa", None, name="x"), False)

"""SES → SNS → HTTPS subscription: SNS signature v1/v2, certificate host check, topic allow-list,
SubscriptionConfirmation, and one request per e-mail however often SNS retries."""
from __future__ import annotations

import base64
import json

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding

from chalicelib.channels.email import sns
from tests.conftest import FIXTURES, auth

CERT_URL = "https://sns.eu-central-1.amazonaws.com/SimpleNotificationService-9c6465fa7f48f5cacd23014631ec1136.pem"
TOPIC = "arn:aws:sns:eu-central-1:123456789012:ulakbel-local-inbound-email"


@pytest.fixture(scope="module")
def keypair():
    from tests.support.sns_signer import sns_key_and_certificate

    return sns_key_and_certificate()


def _signed(key, message: dict, version: str = "2") -> dict:
    message = {**message, "SignatureVersion": version, "SigningCertURL": CERT_URL}
    algo = hashes.SHA256() if version == "2" else hashes.SHA1()
    message["Signature"] = base64.b64encode(key.sign(sns.string_to_sign(message), padding.PKCS1v15(), algo)).decode()
    return message


def _notification(name="plain") -> dict:
    lambda_event = json.loads((FIXTURES / "email" / f"ses_{name}.sns.json").read_text())["Records"][0]["Sns"]
    return {"Type": "Notification", "MessageId": lambda_event["MessageId"], "TopicArn": TOPIC,
            "Subject": "Amazon SES Email Receipt Notification", "Message": lambda_event["Message"],
            "Timestamp": lambda_event["Timestamp"],
            "UnsubscribeURL": "https://sns.eu-central-1.amazonaws.com/?Action=Unsubscribe"}


@pytest.fixture
def fetched(aws, keypair):
    from chalicelib import container

    calls = []

    def get(url):
        calls.append(url)
        return keypair[1] if url == CERT_URL else b"<ConfirmSubscriptionResponse/>"

    container.override("sns_http_get", get)
    return calls


def _post(client, message):
    return client.http.post("/webhooks/sns/email", body=json.dumps(message),
                            headers={"Content-Type": "text/plain; charset=UTF-8",
                                     "x-amz-sns-message-type": message.get("Type", "")})


def test_signed_notification_creates_one_request(client, pump, keypair, fetched):
    key, _ = keypair
    msg = _signed(key, _notification())
    first = _post(client, msg)
    assert first.status_code == 200 and first.json_body["new"] is True
    again = _post(client, msg)
    assert again.json_body["request_id"] == first.json_body["request_id"] and again.json_body["new"] is False
    v1 = _post(client, _signed(key, _notification("html_only"), version="1"))
    assert v1.status_code == 200 and v1.json_body["new"] is True
    pump.drain()
    assert len(client.http.get("/requests?channel=email", headers=auth("admin")).json_body["items"]) == 2


def test_forged_wrong_host_and_wrong_topic_are_403(client, keypair, fetched):
    key, _ = keypair
    msg = _signed(key, _notification())
    forged = {**msg, "Message": msg["Message"].replace("yanmıyor", "yanıyor")}
    assert _post(client, forged).status_code == 403
    evil = _signed(key, _notification())
    evil["SigningCertURL"] = "https://sns.eu-central-1.amazonaws.com.evil.example/cert.pem"
    assert _post(client, evil).status_code == 403
    assert _post(client, {**msg, "SigningCertURL": CERT_URL.replace("https", "http")}).status_code == 403
    other = _signed(key, {**_notification(), "TopicArn": "arn:aws:sns:eu-central-1:999999999999:someone-else"})
    assert _post(client, other).status_code == 403
    assert _post(client, {**msg, "SignatureVersion": "3"}).status_code == 403
    assert client.http.post("/webhooks/sns/email", body="nope",
                            headers={"Content-Type": "text/plain"}).status_code == 400
    assert all(url == CERT_URL for url in fetched)  # nothing fetched from a non-SNS host
    assert client.http.get("/requests", headers=auth("admin")).json_body["items"] == []


def test_subscription_confirmation_is_confirmed(client, keypair, fetched):
    key, _ = keypair
    confirm_url = ("https://sns.eu-central-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=" + TOPIC
                   + "&Token=2336412f37fb687f5d51e6e2425dacbba")
    msg = _signed(key, {"Type": "SubscriptionConfirmation", "MessageId": "165545c9-2a5c-472c-8df2-7ff2be2b3b1b",
                        "Token": "2336412f37fb687f5d51e6e2425dacbba", "TopicArn": TOPIC,
                        "Message": "You have chosen to subscribe to the topic " + TOPIC,
                        "SubscribeURL": confirm_url, "Timestamp": "2026-11-28T10:00:00.000Z"})
    r = _post(client, msg)
    assert r.status_code == 200 and r.json_body == {"status": "subscribed"}
    assert fetched[-1] == confirm_url


def _confirmation(key, topic):
    url = (f"https://sns.{topic.split(':')[3]}.amazonaws.com/?Action=ConfirmSubscription&TopicArn={topic}"
           "&Token=2336412f37fb687f5d51e6e2425dacbba")
    return _signed(key, {"Type": "SubscriptionConfirmation", "MessageId": "265545c9-2a5c-472c-8df2-7ff2be2b3b1b",
                         "Token": "2336412f37fb687f5d51e6e2425dacbba", "TopicArn": topic,
                         "Message": "You have chosen to subscribe to the topic " + topic,
                         "SubscribeURL": url, "Timestamp": "2026-11-28T10:00:00.000Z"}), url


@pytest.mark.parametrize("topic", [
    "arn:aws:sns:eu-central-1:999999999999:ulakbel-local-inbound-email",  # attacker's account, same name
    "arn:aws:sns:us-east-1:123456789012:ulakbel-local-inbound-email",  # our account, another region
    "arn:aws:sns:eu-central-1:123456789012:ulakbel-prod-inbound-email",  # another stage's topic
])
def test_topic_with_our_name_elsewhere_is_refused_and_never_confirmed(client, keypair, fetched, topic):
    """Topics were matched by name: any account's `ulakbel-<stage>-inbound-email` was confirmed and trusted."""
    key, _ = keypair
    confirmation, url = _confirmation(key, topic)
    r = _post(client, confirmation)
    assert r.status_code == 403, r.body
    assert url not in fetched  # no confirmation fetched
    notification = _signed(key, {**_notification(), "TopicArn": topic})
    assert _post(client, notification).status_code == 403
    assert client.http.get("/requests", headers=auth("admin")).json_body["items"] == []


def test_confirmation_url_must_confirm_the_pinned_topic(client, keypair, fetched):
    key, _ = keypair
    confirmation, url = _confirmation(key, TOPIC)
    other = url.replace(TOPIC, "arn:aws:sns:eu-central-1:999999999999:ulakbel-local-inbound-email")
    r = _post(client, _signed(key, {**{k: v for k, v in confirmation.items() if k != "Signature"},
                                    "SubscribeURL": other}))
    assert r.status_code == 403 and other not in fetched


def test_pinned_arns_come_from_configuration_outside_local(monkeypatch, aws):
    from chalicelib import container
    from chalicelib.handlers.events_inbound import email_topic_arns

    monkeypatch.setenv("ULAKBEL_STAGE", "prod")
    monkeypatch.delenv("INBOUND_EMAIL_TOPIC_ARNS", raising=False)
    container.reset()
    assert email_topic_arns() == frozenset()  # nothing configured in prod: nothing trusted
    pinned = "arn:aws:sns:eu-central-1:210987654321:ulakbel-prod-inbound-email"
    monkeypatch.setenv("INBOUND_EMAIL_TOPIC_ARNS", pinned)
    container.reset()
    assert email_topic_arns() == frozenset({pinned})

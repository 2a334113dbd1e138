"""`ulakbel dev --stage prod` end to end: the prod configuration on the embedded AWS — secrets from moto's
Secrets Manager, staff from a Cognito user pool in moto (RS256 only), webhook rate limits on, SMS/e-mail
through moto's SNS/SES. One server for the module; a smoke of every door and the console sign-in."""
from __future__ import annotations

import http.client
import json
import subprocess
import sys
from http.cookies import SimpleCookie
from urllib.parse import parse_qs, urlencode, urlparse

import pytest

from tests.conftest import FIXTURES
from tests.e2e.conftest import ROOT, DevServer, wait_for

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def prod(tmp_path_factory):
    import boto3

    home = tmp_path_factory.mktemp("ulakbel-prod-home")
    server = DevServer(home, "--stage", "prod", drop=("ULAKBEL_STAGE",), timeout=90,
                       ready=lambda home: "Press Ctrl-C" in (home / "dev.log").read_text())
    env, http_, port = server.env, server.http, server.port
    record = json.loads((home / "dev.json").read_text())
    session = boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing",
                                    region_name=record["region"])

    def aws(service: str):
        return session.client(service, endpoint_url=record["moto_endpoint"])

    def secret(name: str) -> str:  # what an operator reads from Secrets Manager
        return aws("secretsmanager").get_secret_value(SecretId=f"ulakbel/prod/{name}")["SecretString"]

    def cli(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "ulakbel_cli.main", *args], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=120)

    def token(*args: str) -> str:
        out = cli("token", *args)
        assert out.returncode == 0, out.stderr
        return out.stdout.strip()

    yield {"http": http_, "home": home, "port": port, "record": record, "aws": aws, "secret": secret, "cli": cli,
           "token": token, "base": f"http://127.0.0.1:{port}"}
    stopped_cleanly = server.stop(timeout=30)  # a very loaded machine: the record then stays, with a dead pid
    if stopped_cleanly:
        assert not (home / "dev.json").exists()  # a clean stop removes the record


def _server_time(base: str) -> float:
    from email.utils import parsedate_to_datetime

    u = urlparse(base)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
    conn.request("GET", "/health")
    resp = conn.getresponse()
    resp.read()
    return parsedate_to_datetime(resp.getheader("Date")).timestamp()


def _requests(prod, channel: str, admin: str) -> list[dict]:
    return prod["http"].call("GET", f"/requests?channel={channel}&limit=100", token=admin)[1]["items"]


def _routed(prod, channel: str, admin: str, n: int = 1):
    """Requests of the channel the router has handled (a department, or triage when it cannot tell)."""
    items = [i for i in _requests(prod, channel, admin) if i["status"] in ("routed", "duplicate")]
    return items if len(items) >= n else None


def test_the_prod_configuration_is_what_runs(prod):
    log = (prod["home"] / "dev.log").read_text()
    assert "PROD configuration" in log and "ulakbel/prod/ULAKBEL_PII_PEPPER=" in log
    record = prod["record"]
    assert record["stage"] == "prod" and record["table"] == "ulakbel-prod-requests" and record["user_pool_id"]
    names = {s["Name"] for s in prod["aws"]("secretsmanager").list_secrets()["SecretList"]}
    assert {"ulakbel/prod/ULAKBEL_PII_PEPPER", "ulakbel/prod/ULAKBEL_LINK_SIGNING_KEY",
            "ulakbel/prod/OPEN311_APP_API_KEY", "ulakbel/prod/OPEN311_KEY_PEPPER", "ulakbel/prod/META_APP_SECRET",
            "ulakbel/prod/X_CONSUMER_SECRET", "ulakbel/prod/TWILIO_AUTH_TOKEN"} <= names
    # the JWKS is served by moto at the pool's path
    jwks = json.loads(urlopen_text(f"{record['moto_endpoint']}/{record['user_pool_id']}/.well-known/jwks.json"))
    assert jwks["keys"][0]["alg"] == "RS256"


def urlopen_text(url: str) -> str:
    import urllib.request

    with urllib.request.urlopen(url, timeout=10) as resp:
        return resp.read().decode()


def test_staff_entry_with_a_user_pool_token_and_dev_tokens_refused(prod):
    from chalicelib.auth import issue_dev_token

    http_ = prod["http"]
    agent = prod["token"]("--role", "agent")
    status, created = http_.call("POST", "/requests", {
        "channel": "beyaz_masa", "text": "Kiçiköy'de parktaki salıncak kırık, çocuklar için tehlikeli",
        "citizen": {"name": "Deneme Vatandaş", "phone": "05321234567"}}, token=agent)
    assert status == 201, created
    dev_key = json.loads((prod["home"] / "dev-secrets.json").read_text())["ULAKBEL_DEV_SIGNING_KEY"] \
        if (prod["home"] / "dev-secrets.json").exists() else "x" * 40
    status, body = http_.call("GET", "/requests", token=issue_dev_token(dev_key, role="admin"))
    assert status == 401 and "dev tokens are not accepted" in body["error"]["message"]
    admin = prod["token"]("--role", "admin")
    routed = wait_for(lambda: (r := http_.call("GET", f"/requests/{created['id']}", token=admin)[1])
                      and r["status"] == "routed" and r, timeout=60)
    assert routed and routed["department"] == "park"
    park = prod["token"]("--role", "department", "--department", "park")
    tasks = http_.call("GET", "/departments/park/tasks?max=10", token=park)[1]["tasks"]
    assert any(t["request_id"] == created["id"] for t in tasks)
    assert http_.call("GET", f"/requests/{created['id']}",
                      token=prod["token"]("--role", "department", "--department", "fen"))[0] == 404

    # the acknowledgement SMS went to moto's SNS: `ulakbel outbox --json` shows it
    def acknowledged():
        out = prod["cli"]("outbox", "--json")
        rows = [json.loads(line) for line in out.stdout.splitlines() if line.strip()]
        return [r for r in rows if r["channel"] == "sms" and r["to"] == "+905321234567"]

    rows = wait_for(acknowledged, timeout=60)
    assert rows and rows[0]["text"] and rows[0]["sent_at"], "the acknowledgement SMS should be in moto's SNS"


def test_social_doors_with_secrets_from_secrets_manager_and_rate_limits_on(prod):
    from chalicelib.channels.meta.inbound import sign as meta_sign
    from chalicelib.channels.x.inbound import sign as x_sign
    from chalicelib.channels.youtube.inbound import sign as yt_sign

    http_, secret = prod["http"], prod["secret"]
    status, challenge = http_.call("GET", "/webhooks/meta?hub.mode=subscribe&hub.challenge=77&hub.verify_token="
                                   + secret("META_VERIFY_TOKEN"))
    assert (status, challenge) == (200, "77")
    raw = (FIXTURES / "meta/whatsapp_text.json").read_bytes()
    status, body = http_.call("POST", "/webhooks/meta", raw=raw,
                              headers={"X-Hub-Signature-256": meta_sign(raw, secret("META_APP_SECRET"))})
    assert status == 200, body
    status, _ = http_.call("POST", "/webhooks/meta", raw=raw,
                           headers={"X-Hub-Signature-256": meta_sign(raw, "not-the-secret")})
    assert status == 401
    status, crc = http_.call("GET", "/webhooks/x?crc_token=abc")
    assert status == 200 and crc["response_token"].startswith("sha256=")
    raw = (FIXTURES / "x/aaa_mention.json").read_bytes()
    header = prod["cli"]("sign-webhook", "x", str(FIXTURES / "x/aaa_mention.json")).stdout.strip()
    assert header == f"x-twitter-webhooks-signature: {x_sign(raw, secret('X_CONSUMER_SECRET'))}"
    status, body = http_.call("POST", "/webhooks/x", raw=raw, headers=dict([header.split(": ", 1)]))
    assert status == 200 and body["received"] == 1
    raw = (FIXTURES / "youtube/websub_upload.xml").read_bytes()
    status, body = http_.call("POST", "/webhooks/youtube", raw=raw,
                              headers={"Content-Type": "application/atom+xml",
                                       "X-Hub-Signature": yt_sign(raw, secret("YOUTUBE_WEBSUB_SECRET"))})
    # YOUTUBE_CHANNEL_ID is a platform-account secret left unfilled here: outside local/test the YouTube door
    # is then a clear configuration error, never "accept any channel" (issue 17)
    assert status == 503 and "YOUTUBE_CHANNEL_ID" in body["error"]["message"], body

    # webhook rate limits are on in prod: the per-source counter of /webhooks/meta was hit
    ddb = prod["aws"]("dynamodb")
    window = int(_server_time(prod["base"]) // 60)  # the dev server's clock (the suite's may be travelled)
    from chalicelib.domain.privacy import citizen_key

    # limiter keys hold the client address only as an HMAC with the PII pepper (KVKK)
    limiter = citizen_key("rate", "webhook#/webhooks/meta#127.0.0.1", prod["secret"]("ULAKBEL_PII_PEPPER"))
    hits = [ddb.get_item(TableName="ulakbel-prod-requests", ConsistentRead=True,
                         Key={"PK": {"S": f"RATE#webhook#{limiter}#{w}"}, "SK": {"S": "RATE"}})
            .get("Item") for w in (window, window - 1)]
    assert sum(int(h["hits"]["N"]) for h in hits if h) >= 1

    admin = prod["token"]("--role", "admin")
    for channel in ("whatsapp", "x"):  # a bound for a loaded CI machine, not a speed claim
        assert wait_for(lambda: _routed(prod, channel, admin), timeout=120), [
            (i["status"], i["department"]) for i in _requests(prod, channel, admin)]


def test_twilio_sms_and_voice_doors(prod):
    from chalicelib.channels.twilio.inbound import compute_signature

    http_, base, tw = prod["http"], prod["base"], prod["secret"]("TWILIO_AUTH_TOKEN")
    form = {"Content-Type": "application/x-www-form-urlencoded"}

    def post(path: str, body: str, signature: str | None = None):
        sig = signature or compute_signature(base + path, parse_qs(body, keep_blank_values=True), tw)
        return http_.call("POST", path, raw=body.encode(), headers={**form, "X-Twilio-Signature": sig})

    body = (FIXTURES / "twilio/sms_inbound.txt").read_text()
    assert post("/webhooks/twilio/sms", body, signature="forged")[0] == 403
    status, twiml = post("/webhooks/twilio/sms", body)
    assert status == 200 and "<Response/>" in twiml, twiml  # acknowledged once, by the `received` SMS
    status, greet = post("/webhooks/twilio/voice", (FIXTURES / "twilio/voice_incoming.txt").read_text())
    assert status == 200 and '<Say language="tr-TR">' in greet
    status, recorded = post("/webhooks/twilio/voice/recording", (FIXTURES / "twilio/voice_recording.txt").read_text())
    assert status == 200 and "Takip kodunuz" in recorded
    admin = prod["token"]("--role", "admin")
    assert wait_for(lambda: _routed(prod, "sms", admin), timeout=90)
    phone = wait_for(lambda: _requests(prod, "phone", admin), timeout=90)  # a voicemail: a phone request
    assert phone and " ".join(phone[0]["tracking_code"]) in recorded  # spoken letter by letter


def test_email_through_ses_receipt_and_sns(prod):
    """SES receipt rule → SNS topic → inbound_email: the notification is published to moto's SNS topic."""
    envelope = json.loads((FIXTURES / "email/ses_plain.sns.json").read_text())["Records"][0]["Sns"]
    sns = prod["aws"]("sns")
    topic = sns.create_topic(Name="ulakbel-prod-inbound-email")["TopicArn"]
    sns.publish(TopicArn=topic, Message=envelope["Message"], Subject=envelope["Subject"])
    admin = prod["token"]("--role", "admin")
    assert wait_for(lambda: _routed(prod, "email", admin), timeout=90), "the e-mail should become a request"


def test_open311_with_a_key_from_the_cli_and_cimer_import(prod):
    out = prod["cli"]("open311-key", "--name", "Talas Mobil")  # finds the running dev by itself
    assert out.returncode == 0, out.stderr
    key = out.stdout.strip()
    body = urlencode({"api_key": key, "service_code": "cop_toplama", "address_string": "Harman Mahallesi",
                      "description": "Harman Mahallesi'nde çöp konteyneri taştı"})
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    status, answer = prod["http"].call("POST", "/open311/v2/requests.json", raw=body.encode(), headers=form)
    assert status == 200, answer
    bad = urlencode({"api_key": "o311_wrong", "service_code": "cop_toplama", "address_string": "Harman"})
    assert prod["http"].call("POST", "/open311/v2/requests.json", raw=bad.encode(), headers=form)[0] == 403

    out = prod["cli"]("import", "cimer", str(FIXTURES / "cimer/basvurular.csv"))  # no --url, no --token
    assert out.returncode == 1, out.stderr  # two bad rows reported, the rest imported
    assert "3 yeni" in out.stdout
    admin = prod["token"]("--role", "admin")
    assert wait_for(lambda: _routed(prod, "cimer", admin, 3), timeout=90)
    assert wait_for(lambda: _routed(prod, "mobile_app", admin) or _routed(prod, "open311", admin), timeout=90)


def _get(base: str, path: str, cookies: dict[str, str] | None = None):
    """One request, redirects not followed (the browser's view of each hop)."""
    url = urlparse(path if path.startswith("http") else base + path)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in (cookies or {}).items())} if cookies else {}
    conn.request("GET", url.path + ("?" + url.query if url.query else ""), headers=headers)
    resp = conn.getresponse()
    return resp.status, dict(resp.getheaders()), resp.headers.get_all("Set-Cookie") or [], resp.read().decode()


def _post_form(url: str, data: dict[str, str]):
    u = urlparse(url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
    conn.request("POST", u.path, body=urlencode(data), headers={"Content-Type": "application/x-www-form-urlencoded"})
    resp = conn.getresponse()
    return resp.status, dict(resp.getheaders()), resp.read().decode()


def _jar(set_cookies: list[str], jar: dict[str, str]) -> dict[str, str]:
    for header in set_cookies:
        c = SimpleCookie()
        c.load(header)
        for name, morsel in c.items():
            if morsel["max-age"] == "0":
                jar.pop(name, None)
            else:
                jar[name] = morsel.value
    return jar


def test_staff_console_sign_in_with_the_user_pool(prod):
    out = prod["cli"]("users", "add", "--email", "park-sefi@talas.bel.tr", "--role", "department",
                      "--department", "park", "--lead")
    assert out.returncode == 0, out.stderr
    password = out.stdout.split("(shown only now): ", 1)[1].split()[0]
    base = prod["base"]
    status, _, _, page = _get(base, "/console/login")
    assert status == 200 and 'href="/console/login/start"' in page and 'name="token"' not in page
    status, headers, cookies, _ = _get(base, "/console/login/start")
    assert status == 303
    jar = _jar(cookies, {})
    authorize = headers["Location"]
    assert authorize.startswith(prod["record"]["hosted_ui"] + "/oauth2/authorize?")
    q = {k: v[0] for k, v in parse_qs(urlparse(authorize).query).items()}
    status, _, _, form = _get(base, authorize)
    assert status == 200 and 'name="password"' in form
    status, _, wrong = _post_form(prod["record"]["hosted_ui"] + "/login", {**q, "username": "park-sefi@talas.bel.tr",
                                                                            "password": "wrong-password-1A"})
    assert status == 401 and "wrong e-mail or password" in wrong
    status, headers, _ = _post_form(prod["record"]["hosted_ui"] + "/login",
                                    {**q, "username": "park-sefi@talas.bel.tr", "password": password})
    assert status == 302 and headers["Location"].startswith(base + "/console/callback?code=")
    status, _, cookies, page = _get(base, headers["Location"], jar)
    assert status == 200, page
    _jar(cookies, jar)
    assert {"ulakbel_session", "ulakbel_refresh"} <= set(jar)
    status, _, _, inbox = _get(base, "/console", jar)
    assert status == 200 and "park" in inbox
    # the code works once
    status, _, _, _ = _get(base, headers["Location"], {"ulakbel_pkce": jar.get("ulakbel_pkce", "x.y")})
    assert status == 401
    # sign out: cookies cleared, refresh token revoked at the pool, the sign-in page's session ended
    csrf = inbox.split('name="csrf" value="', 1)[1].split('"', 1)[0]
    u = urlparse(base)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
    conn.request("POST", "/console/logout", body=urlencode({"csrf": csrf}),
                 headers={"Content-Type": "application/x-www-form-urlencoded",
                          "Cookie": "; ".join(f"{k}={v}" for k, v in jar.items())})
    resp = conn.getresponse()
    resp.read()
    assert resp.status == 303 and resp.getheader("Location").startswith(prod["record"]["hosted_ui"] + "/logout?")
    status, headers, _, _ = _get(base, resp.getheader("Location"))
    assert status == 302 and headers["Location"] == base + "/console/login"
    status, answer = _post_json(prod["record"]["hosted_ui"] + "/oauth2/token", {
        "grant_type": "refresh_token", "client_id": prod["record"]["client_id"], "refresh_token": jar["ulakbel_refresh"]})
    assert status == 400 and answer == {"error": "invalid_grant"}


def _post_json(url: str, form: dict[str, str]):
    status, _, body = _post_form(url, form)
    return status, json.loads(body)


def test_nothing_tried_to_leave_the_machine(prod):
    """Runs last: by now every schedule ran several times (--schedule-seconds 3)."""
    log = (prod["home"] / "dev.log").read_text()
    assert "scheduled youtube_poll_comments" not in log and "URLError" not in log
    assert "netgsm poll failed" not in log
    assert "Traceback" not in log

"""The fuzz registry: every parser of outside input, with realistic samples to mutate.

A parser passes when, for random and mutated input, it either returns a valid result or rejects the input
with one of its declared clean errors (ValueError, pydantic ValidationError, a DomainError → 4xx) — never
any other exception. Channel parsers (chalicelib/channels/<platform>/inbound.py) register here with their
recorded fixtures (tests/fixtures/<channel>/) and are fuzzed by tests/fuzz/test_parsers.py automatically:

    from tests.fuzz.registry import register
    register("meta.inbound", lambda raw: parse_meta(raw, headers), samples=[...], kind="bytes")
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@dataclass
class ParserCase:
    name: str
    parse: Callable[[Any], Any]
    samples: list[Any]
    kind: str = "json"  # "json" (dict/list payloads), "text" (str) or "bytes"
    clean_errors: tuple[type[BaseException], ...] = ()
    check: Callable[[Any, Any], None] | None = None  # (input, result) -> assert the result is valid
    extra: dict[str, Any] = field(default_factory=dict)


PARSERS: dict[str, ParserCase] = {}


def register(name: str, parse: Callable[[Any], Any], *, samples: list[Any], kind: str = "json",
             clean_errors: tuple[type[BaseException], ...] = (), check: Callable | None = None) -> ParserCase:
    from pydantic import ValidationError

    from chalicelib.domain.errors import DomainError

    case = ParserCase(name, parse, samples, kind, clean_errors or (ValueError, ValidationError, DomainError), check)
    PARSERS[name] = case
    return case


def fixture_samples(channel: str, pattern: str = "*.json") -> list[Any]:
    """Recorded payloads of a channel (tests/fixtures/<channel>/), parsed as JSON where possible."""
    out = []
    for path in sorted((FIXTURES / channel).glob(pattern)):
        raw = path.read_bytes()
        try:
            out.append(json.loads(raw))
        except ValueError:
            out.append(raw)
    return out


# -- the parsers that exist on the foundation ---------------------------------------------------------------

def _builtin() -> None:
    from chalicelib.domain.contact import normalise_phone
    from chalicelib.domain.models import Citizen, IntakeCommand, Location, RequestCreate, StatusChange
    from chalicelib.understanding import classify
    from chalicelib.understanding.text import fold, tokenize, tr_lower

    texts = ["Sokak lambası yanmıyor", "ÇÖPLER TOPLANMADI!!! @belediye #talas", "Harman'daki parkta salıncak kırık",
             "İIıi ŞĞÜÖÇ emoji 🚮🕳️", "", " \n\t", "0532 111 22 33 numaralı telefondan arıyorum"]

    def classified(text, result):
        assert result is not None
        assert 0.0 <= float(getattr(result, "confidence", 0.0)) <= 1.0

    register("routing.classify", lambda t: classify(t), samples=texts, kind="text", check=classified)
    register("routing.text", lambda t: (tr_lower(t), fold(t), tokenize(t)), samples=texts, kind="text")

    def e164(raw, out):
        assert out.startswith("+") and out[1:].isdigit()

    register("contact.normalise_phone", normalise_phone, kind="text", check=e164,
             samples=["0532 111 22 33", "+90 (532) 111-22-33", "00905321112233", "5321112233", "312 444 55 66"])
    register("model.Citizen", Citizen.model_validate, samples=[
        {"name": "Deneme Vatandaş", "phone": "0532 111 22 33", "email": "a@b.co", "tc_kimlik_no": "10000000146"},
        {"handle": "@vatandas", "platform_id": "1234567890"}, {}])
    register("model.Location", Location.model_validate,
             samples=[{"address": "Cumhuriyet Cd. No:5", "lat": 38.69, "long": 35.55, "neighbourhood": "Harman"}])
    register("model.IntakeCommand", IntakeCommand.model_validate, samples=[
        {"channel": "whatsapp", "text": "Çöp toplanmadı", "channel_ref": "wamid.1",
         "citizen": {"phone": "+905321112233"}, "attachments": [], "received_at": "2026-01-01T10:00:00Z"}])
    register("model.RequestCreate (JSON)", lambda raw: RequestCreate.model_validate_json(raw), kind="bytes",
             samples=[json.dumps({"channel": "beyaz_masa", "text": "Su kesik",
                                  "citizen": {"name": "Deneme Vatandaş"}}).encode()])
    register("model.StatusChange", StatusChange.model_validate,
             samples=[{"status": "in_progress", "version": 2, "note": "ekip yönlendirildi"}])


_builtin()


# -- every channel parser (issue 11 "Bad input"), seeded with the recorded fixtures -------------------------

def _sns_messages(channel: str) -> list[str]:
    out = []
    for record in fixture_samples(channel, "*.sns.json"):
        for r in record.get("Records", []):
            out.append(r["Sns"]["Message"])
    return out


def _channels() -> None:
    from chalicelib.channels.cimer import inbound as cimer
    from chalicelib.channels.connect import inbound as connect
    from chalicelib.channels.edevlet import inbound as edevlet
    from chalicelib.channels.email import inbound as email
    from chalicelib.channels.eum import inbound as eum
    from chalicelib.channels.meta import inbound as meta
    from chalicelib.channels.netgsm import inbound as netgsm
    from chalicelib.channels.twilio import inbound as twilio
    from chalicelib.channels.x import inbound as x
    from chalicelib.channels.youtube import inbound as youtube
    from chalicelib.domain.models import Channel
    from chalicelib.open311 import form as open311
    from pydantic import ValidationError

    from chalicelib.domain.errors import DomainError

    base = (ValueError, ValidationError, DomainError)
    meta_files = {"page feed": ["page_comment.json", "page_feed_batch.json"],
                  "Messenger": ["messenger_text.json", "messenger_batch.json"],
                  "Instagram": ["instagram_comment.json", "instagram_dm.json"],
                  "WhatsApp": ["whatsapp_text.json", "whatsapp_location.json", "whatsapp_bsuid.json",
                               "whatsapp_status.json"]}
    for label, files in meta_files.items():
        samples = [json.loads((FIXTURES / "meta" / f).read_bytes()) for f in files]
        register(f"meta.parse ({label})", meta.parse, samples=samples)
    register("x.parse", x.parse, samples=fixture_samples("x", "[ax]aa_*.json"))
    register("youtube.parse_feed (Atom)", youtube.parse_feed, kind="bytes",
             samples=[p.read_bytes() for p in sorted((FIXTURES / "youtube").glob("websub_*.xml"))])
    register("youtube.parse_comment_threads", lambda r: youtube.parse_comment_threads(r, "UC_own", None),
             samples=fixture_samples("youtube", "comment_threads_*.json"))

    def twilio_form(handler):
        def parse(raw):
            return handler(twilio.parse_form(raw))
        return parse

    forms = {p.stem: p.read_text() for p in sorted((FIXTURES / "twilio").glob("*.txt"))}
    register("twilio.sms_command (form)", twilio_form(twilio.sms_command), kind="text",
             samples=[forms[k] for k in ("sms_inbound", "sms_iptal", "sms_media")],
             clean_errors=base + (twilio.PayloadError,))
    register("twilio.recording_command (voice form)", twilio_form(twilio.recording_command), kind="text",
             samples=[forms[k] for k in ("voice_recording", "voice_transcription")],
             clean_errors=base + (twilio.PayloadError,))
    register("twilio.parse_form (status)", twilio.parse_form, kind="text",
             samples=[forms[k] for k in ("status_delivered", "status_undelivered", "voice_incoming")])
    register("email.parse_mime", email.parse_mime, kind="bytes",
             samples=[p.read_bytes() for p in sorted((FIXTURES / "email").glob("*.eml"))],
             clean_errors=base + (email.PayloadError, email.Skip))
    register("email.parse_ses_notification (SNS)", email.parse_ses_notification, kind="text",
             samples=_sns_messages("email"), clean_errors=base + (email.PayloadError, email.Skip))
    register("email.parse_ses_notification (SNS, JSON)", email.parse_ses_notification,
             samples=[json.loads(m) for m in _sns_messages("email")],
             clean_errors=base + (email.PayloadError, email.Skip))
    register("eum.sms (SNS)", lambda m: eum.sms_command(eum.parse_message(m)), kind="text",
             samples=_sns_messages("eum"), clean_errors=base + (eum.PayloadError,))
    register("eum.sms (SNS, JSON)", lambda m: eum.sms_command(eum.parse_message(m)),
             samples=[json.loads(m) for m in _sns_messages("eum")], clean_errors=base + (eum.PayloadError,))
    register("connect.contact_command", connect.contact_command, samples=fixture_samples("connect"),
             clean_errors=base + (connect.PayloadError,))

    def netgsm_inbox(raw):
        return [netgsm.sms_command(m) for m in netgsm.parse_inbox(200, raw)]

    register("netgsm.parse_inbox", netgsm_inbox, kind="bytes",
             samples=[p.read_bytes() for p in sorted((FIXTURES / "netgsm").glob("*")) if "error" not in p.name],
             clean_errors=base + (netgsm.NetgsmError,))

    def import_rows(row_command):
        def parse(raw):
            out = []
            for record in cimer.read_records(raw):
                try:
                    out.append(row_command(record))
                except cimer.RowError:
                    pass  # a bad row is reported by the import, the others go on
            return out
        return parse

    cimer_rows = import_rows(lambda r: cimer.row_command(r, Channel.cimer))
    register("cimer.import rows (CSV)", cimer_rows, kind="text",
             samples=[(FIXTURES / "cimer" / "basvurular.csv").read_text(encoding="utf-8")],
             clean_errors=base + (cimer.FileError,))
    register("cimer.import rows (JSON)", cimer_rows, kind="bytes",
             samples=[(FIXTURES / "cimer" / "basvurular.json").read_bytes()], clean_errors=base + (cimer.FileError,))
    # .xlsx: the file as bytes (zip container checks), and its sheet XML mutated inside a valid zip (openpyxl)
    import zipfile as _zip

    from tests.support import xlsx_files

    xlsx_fixture = (FIXTURES / "cimer" / "basvurular.xlsx").read_bytes()
    register("cimer.import rows (XLSX file)", cimer_rows, kind="bytes", samples=[xlsx_fixture],
             clean_errors=base + (cimer.FileError,))
    sheet = _zip.ZipFile(__import__("io").BytesIO(xlsx_fixture)).read("xl/worksheets/sheet1.xml").decode("utf-8")
    register("cimer.import rows (XLSX sheet XML)",
             lambda xml: cimer_rows(xlsx_files.replace_member(xlsx_fixture, "xl/worksheets/sheet1.xml",
                                                              xml.encode("utf-8", "surrogatepass"))),
             kind="text", samples=[sheet], clean_errors=base + (cimer.FileError, UnicodeEncodeError))
    register("edevlet.import rows (CSV)", import_rows(edevlet.row_command), kind="text",
             samples=[(FIXTURES / "edevlet" / "basvurular.csv").read_text(encoding="utf-8")],
             clean_errors=base + (cimer.FileError,))

    def open311_form(raw):
        form = open311.parse_form(raw)
        open311.require_valid(form)
        return form

    register("open311.parse_form", open311_form, kind="text", samples=[
        "api_key=k1&service_code=CEVRE-01&lat=38.69&long=35.55&description=%C3%87%C3%B6p+toplanmad%C4%B1"
        "&first_name=Deneme&last_name=Vatanda%C5%9F&email=a%40b.co&phone=05321112233"
        "&attribute%5BWHERE%5D=sokak&attribute%5BKIND%5D%5B%5D=a&attribute%5BKIND%5D%5B%5D=b",
        "service_code=ZABITA&address_string=Cumhuriyet+Cd.+No%3A5&media_url=https%3A%2F%2Fexample.invalid%2Fa.jpg"])


_channels()


def _doors() -> None:
    """Issue 22: Transcribe output, voicemail jobs, Twilio recording URLs, Web Push subscriptions."""
    from chalicelib.channels.twilio import recording
    from chalicelib.channels.webpush.outbound import check_subscription
    from chalicelib.usecases import push, voicemail

    transcript = json.loads((FIXTURES / "voicemail" / "RE1a2b3c4d5e6f708192a3b4c5d6e7f809.transcript.json")
                            .read_text(encoding="utf-8"))
    register("voicemail.transcript_text (Transcribe JSON)", voicemail.transcript_text, samples=[transcript])
    register("voicemail.VoicemailJob (SQS body)", voicemail.VoicemailJob.model_validate_json, kind="bytes", samples=[
        b'{"request_id": "01M96AJD14WE1A7GPGQNBY87R9", "source": "twilio", "recording_id": "RE1a2b3c4d5e6f708192a3b4c'
        b'5d6e7f809", "recording_url": "https://api.twilio.com/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef'
        b'/Recordings/RE1a2b3c4d5e6f708192a3b4c5d6e7f809"}'])
    register("twilio.recording.media_url", lambda url: recording.media_url(url, "AC0123456789abcdef0123456789abcdef"),
             kind="text", clean_errors=(ValueError, recording.RecordingRefused), samples=[
                 "https://api.twilio.com/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Recordings/"
                 "RE1a2b3c4d5e6f708192a3b4c5d6e7f809"])

    def subscription(body):
        parsed = push.PushSubscriptionBody.model_validate(body)
        keys = push.PushKeys.model_validate(parsed.subscription.get("keys") or {})
        check_subscription(str(parsed.subscription.get("endpoint") or ""), keys.p256dh, keys.auth)
        return parsed

    register("push.subscription (JSON)", subscription, samples=[{  # SubscriptionRefused is a ValueError
        "service_request_id": "ABCD-2345", "consent": True, "subscription": {
            "endpoint": "https://fcm.googleapis.com/fcm/send/dGVzdA:APA91b", "expirationTime": None,
            "keys": {"p256dh": "BDxfN2CWmT4X5p0IU-MXL1PhT8fFHPwvpLPJz7XUOFnrndh2slLmQPse4qHUPsvwPZgK-tPx4fmuy8PuvoNZXtg",
                     "auth": "tBHItJI5svbpez7KI4CCXg"}}}])


_doors()

"""What `ulakbel dev` would have sent to citizens: SMS published to moto's SNS and e-mail sent through moto's
SES (mirrored to .ulakbel/outbox.json by the dev process, which hosts moto), plus `ulakbel outbox` to show it.
Platform messages (Meta, X, YouTube, Twilio) never leave the machine either: they are recorded on the
request's timeline as `outbound_status` events with `outbox: true`."""
from __future__ import annotations

import json
import threading


def snapshot() -> dict:
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends
    from moto.sns.models import sns_backends

    import os

    region = os.environ.get("AWS_DEFAULT_REGION") or "eu-central-1"
    sms, email = [], []
    for backend in (sns_backends[DEFAULT_ACCOUNT_ID][region],):
        for message_id, (phone, text, *_rest) in list(backend.sms_messages.items()):
            sms.append({"message_id": message_id, "region": region, "phone": phone, "text": text})
    for backend in (ses_backends[DEFAULT_ACCOUNT_ID][region],):
        for m in list(backend.sent_messages):
            to = list(dict.fromkeys(getattr(m, "destinations", []) or []))  # moto lists Destinations + To header
            email.append({"message_id": m.id, "region": region, "to": to,
                          "raw": getattr(m, "raw_data", None) or getattr(m, "body", None)})
    return {"sms": sms, "email": email}


def _stamp(data: dict, first_seen: dict[str, str]) -> dict:
    """moto keeps no send time: the mirror notes when it first saw each message (within its interval)."""
    from datetime import datetime, timezone

    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    for kind in ("sms", "email"):
        for m in data[kind]:
            m["sent_at"] = first_seen.setdefault(m["message_id"], now)
    return data


def email_text(raw: str | None) -> tuple[str, str]:
    """(subject, plain-text body) of a raw MIME message."""
    from email import message_from_string, policy

    if not raw:
        return "", ""
    msg = message_from_string(raw, policy=policy.default)
    body = msg.get_body(preferencelist=("plain", "html"))
    return str(msg.get("Subject") or ""), (body.get_content().strip() if body is not None else "")


def messages(data: dict) -> list[dict]:
    """One row per sent message: channel, to, text, sent_at (and message_id, subject for e-mail)."""
    rows = [{"channel": "sms", "to": m["phone"], "text": m["text"], "sent_at": m.get("sent_at"),
             "message_id": m["message_id"]} for m in data.get("sms", [])]
    for m in data.get("email", []):
        subject, text = email_text(m.get("raw"))
        rows.append({"channel": "email", "to": ", ".join(m["to"]), "text": text, "subject": subject,
                     "sent_at": m.get("sent_at"), "message_id": m["message_id"]})
    return sorted(rows, key=lambda r: r["sent_at"] or "")


def start_mirror(interval: float = 0.5) -> threading.Event:
    """Keep .ulakbel/outbox.json in step with what moto received (a daemon thread of the dev process)."""
    from .home import home

    stop = threading.Event()
    target = home() / "outbox.json"
    first_seen: dict[str, str] = {}

    def loop() -> None:
        last = None
        while not stop.is_set():
            try:
                text = json.dumps(_stamp(snapshot(), first_seen), ensure_ascii=False, indent=1)
                if text != last:
                    tmp = target.with_suffix(".tmp")
                    tmp.write_text(text, encoding="utf-8")
                    tmp.replace(target)
                    last = text
            except Exception:  # never take the dev server down for a mirror
                pass
            stop.wait(interval)

    threading.Thread(target=loop, name="ulakbel-outbox", daemon=True).start()
    return stop


def _cmd_outbox(args) -> int:
    from .home import home
    from .running import require

    require()  # what the running `ulakbel dev` of this checkout sent (exit 2 when none runs)
    file = home() / "outbox.json"
    data = json.loads(file.read_text(encoding="utf-8")) if file.exists() else {"sms": [], "email": []}
    if args.json:
        for row in messages(data)[-args.last:]:
            print(json.dumps(row, ensure_ascii=False))
        return 0
    if not data["sms"] and not data["email"]:
        print("Henüz giden ileti yok / nothing sent yet")
        return 0
    for m in data["sms"][-args.last:]:
        print(f"SMS   {m['phone']}: {m['text']}")
    for m in data["email"][-args.last:]:
        print(f"EMAIL {', '.join(m['to'])} ({m['message_id']})")
    return 0


def register(sub) -> None:
    p = sub.add_parser("outbox", help="SMS and e-mail that `ulakbel dev` sent to moto (nothing leaves the machine)")
    p.add_argument("--last", type=int, default=20)
    p.add_argument("--json", action="store_true",
                   help="one JSON object per sent message per line: channel, to, text, sent_at")
    p.set_defaults(func=_cmd_outbox)

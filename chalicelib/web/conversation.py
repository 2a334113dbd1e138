"""The request as a conversation: citizen messages and staff replies as bubbles (with delivery marks from the
outbound events), internal notes apart, and every other timeline event as one readable Turkish sentence.

Why here (presentation, pure): the timeline stays append-only facts; how staff read them is the console's
business. An event type this module does not know is still one sentence ("Kayıt: <type>"), never a dict."""
from __future__ import annotations

from typing import Any, Callable

MARKS = {"queued": "…", "sent": "✓", "delivered": "✓✓", "read": "✓✓", "failed": "✗"}


def _delivery() -> dict[str, tuple[str, str, str]]:
    """outbound status → (mark, Turkish, English) from the string catalogue."""
    from .strings import en, tr

    return {k: (m, tr(f"delivery.{k}"), en(f"delivery.{k}")) for k, m in MARKS.items()}

_RANK = {"queued": 0, "sent": 1, "delivered": 2, "read": 3, "failed": 9}


def _name(labels: dict[str, str], code: Any) -> str:
    if isinstance(code, dict):  # {"status": …} / {"department": …} shapes
        code = next((v for v in code.values() if isinstance(v, str)), None)
    if not isinstance(code, (str, int)) or code == "":
        return "—"
    return labels.get(str(code), str(code))


def _sub(d: Any, key: str) -> Any:
    return d.get(key) if isinstance(d, dict) else None


def _pair(key: str, values: dict[str, Any], english: dict[str, Any] | None = None) -> tuple[str, str]:
    """(Turkish, English) of a catalogue sentence; the English may name codes where Turkish names labels."""
    from .strings import en, tr

    return tr(key, **values), en(key, **{**values, **(english or {})})


def sentence(event: dict[str, Any], labels: dict[str, dict[str, str]]) -> tuple[str, str]:
    """(Turkish, English) sentence of one system event, from the catalogue's `event.*` texts."""
    from .strings import tr

    t, d = event.get("type", ""), event.get("data") or {}
    dep, sta, cat, ch = labels["departments"], labels["statuses"], labels["categories"], labels["channels"]
    who = event.get("actor") or tr("event.system")
    if t == "received":
        return _pair("event.received", {"channel": _name(ch, d.get("channel"))})
    if t == "routed":
        where = tr("event.routed_where", neighbourhood=d["neighbourhood"]) if d.get("neighbourhood") else ""
        return _pair("event.routed", {"department": _name(dep, d.get("department")),
                                      "category": _name(cat, d.get("category")), "where": where},
                     {"department": d.get("department"), "category": d.get("category")})
    if t == "status_changed":
        before, after = d.get("before"), d.get("after")
        note = tr("event.note", note=d["note"]) if d.get("note") else ""
        return _pair("event.status_changed", {"who": who, "before": _name(sta, before), "after": _name(sta, after),
                                              "note": note}, {"before": before, "after": after})
    if t == "assigned":
        after = _sub(d.get("after"), "assignee")
        if not isinstance(after, str) or not after:
            return _pair("event.unassigned", {"who": who})
        return _pair("event.assigned", {"who": who, "assignee": after})
    if t == "forwarded":
        after = d.get("after") if isinstance(d.get("after"), dict) else {}
        if after.get("institution"):
            ref = tr("event.external_ref", ref=after["external_ref"]) if after.get("external_ref") else ""
            return _pair("event.forwarded_outside", {"who": who, "institution": after["institution"], "ref": ref})
        return _pair("event.forwarded", {"who": who, "before": _name(dep, _sub(d.get("before"), "department")),
                                         "after": _name(dep, after.get("department"))},
                     {"after": after.get("department")})
    if t == "merged":
        key = "event.merged_survivor" if d.get("role") == "survivor" else "event.merged"
        return _pair(key, {"who": who, "code": d.get("tracking_code")})
    if t == "unmerged":
        return _pair("event.unmerged", {"who": who})
    if t == "duplicate_of":
        return _pair("event.duplicate_of", {"code": d.get("tracking_code")})
    if t == "duplicate_linked":
        return _pair("event.duplicate_linked", {"channel": _name(ch, d.get("channel")), "code": d.get("tracking_code")})
    if t == "escalation_warning":
        return _pair("event.escalation_warning", {"hours": d.get("hours_left", "?")})
    if t == "escalated":
        return _pair("event.escalated", {"hours": d.get("overdue_hours", "?"),
                                         "department": _name(dep, d.get("escalated_to"))})
    if t == "reopened":
        return _pair("event.reopened", {})
    if t == "survey_answered":
        return _pair("event.survey_answered", {"score": d.get("score")})
    if t == "task_not_queued":
        return _pair("event.task_not_queued", {})
    if t == "legal_deadline":
        return _pair("event.legal_deadline", {})
    if t in ("transcription_started", "recording_deleted"):
        return _pair(f"event.{t}", {})
    if t in ("transcription_failed", "recording_delete_failed"):
        return _pair(f"event.{t}", {"reason": d.get("reason") or "—"})
    if t == "outbound" and d.get("kind") != "reply":
        return _pair("event.notification", {"channel": d.get("channel")})
    return _pair("event.other", {"type": t.replace("_", " ")}, {"type": t})


def conversation(doc: dict[str, Any], labels: dict[str, dict[str, str]]) -> list[dict[str, Any]]:
    """Timeline → display items, oldest first: citizen / staff (with delivery) / note / system."""
    statuses: dict[str, dict[str, Any]] = {}
    for e in doc.get("timeline") or []:
        d = e.get("data") or {}
        if e.get("type") == "outbound_status" and d.get("message_id"):
            cur = statuses.setdefault(d["message_id"], {"status": "queued", "reason": None})
            if _RANK.get(d.get("status"), 0) >= _RANK.get(cur["status"], 0):
                cur.update(status=d.get("status"), reason=d.get("reason"))
    items: list[dict[str, Any]] = []
    for e in doc.get("timeline") or []:
        t, d = e.get("type"), e.get("data") or {}
        base = {"at": e.get("at"), "actor": e.get("actor"), "type": t, "id": e.get("id")}
        if t == "received":
            # The citizen's bubble shows when the citizen sent it (received_at, as in the header), not when the
            # "received" event was recorded: an import, a late webhook or the demo seed writes it hours later.
            items.append({**base, "at": doc.get("received_at") or e.get("at"), "kind": "citizen",
                          "text": doc.get("text"), "channel": doc.get("channel"),
                          "attachments": doc.get("attachments") or []})
        elif t in ("citizen_reply", "citizen_message", "transcription"):
            items.append({**base, "kind": "citizen", "text": d.get("text") or "",
                          "channel": d.get("channel") or doc.get("channel"), "attachments": []})
            if t == "transcription":
                from .strings import both

                items[-1]["label"] = both("req.transcript")
        elif t == "outbound" and d.get("kind") == "reply":
            st = statuses.get(d.get("message_id"), {"status": d.get("status") or "queued", "reason": d.get("reason")})
            if d.get("status") == "failed":
                st = {"status": "failed", "reason": d.get("reason")}
            delivery = _delivery()
            mark, tr, en = delivery.get(st["status"], delivery["queued"])
            items.append({**base, "kind": "staff", "text": d.get("text") or "", "channel": d.get("channel"),
                          "public": d.get("public"), "manual": d.get("manual"), "delivery": st["status"],
                          "mark": mark, "delivery_tr": tr, "delivery_en": en, "reason": st.get("reason")})
        elif t == "note":
            items.append({**base, "kind": "note", "text": d.get("text") or ""})
        elif t == "outbound_status":
            continue  # shown as the mark of its message
        else:
            tr, en = sentence(e, labels)
            items.append({**base, "kind": "system", "tr": tr, "en": en})
    return items


# GSM 03.38 basic set: a text of only these goes as GSM-7 (160 / 153 per part); any other (ı, ş, ğ, İ…) as UCS-2.
GSM7 = set("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
           "¿abcdefghijklmnopqrstuvwxyzäöñüà")
GSM7_EXT = set("^{}\\[~]|€\f")


def sms_segments(text: str) -> int:
    """How many SMS parts a text costs (console.js counts the same way while staff type)."""
    if not text:
        return 0
    if all(c in GSM7 or c in GSM7_EXT for c in text):
        units = sum(2 if c in GSM7_EXT else 1 for c in text)
        return 1 if units <= 160 else -(-units // 153)
    units = sum(2 if ord(c) > 0xFFFF else 1 for c in text)
    return 1 if units <= 70 else -(-units // 67)

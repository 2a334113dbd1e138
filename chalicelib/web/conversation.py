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


def sentence(event: dict[str, Any], labels: dict[str, dict[str, str]]) -> tuple[str, str]:
    """(Turkish, English) sentence of one system event."""
    t, d = event.get("type", ""), event.get("data") or {}
    dep, sta, cat, ch = labels["departments"], labels["statuses"], labels["categories"], labels["channels"]
    who = event.get("actor") or "sistem"
    if t == "received":
        return (f"Talep {_name(ch, d.get('channel'))} kanalından alındı.",
                f"Received on {_name(ch, d.get('channel'))}.")
    if t == "routed":
        where = f", {d['neighbourhood']} mahallesi" if d.get("neighbourhood") else ""
        return (f"{_name(dep, d.get('department'))} birimine yönlendirildi ({_name(cat, d.get('category'))}"
                f"{where}).", f"Routed to {d.get('department')} ({d.get('category')}).")
    if t == "status_changed":
        before, after = d.get("before"), d.get("after")
        note = f" Not: {d['note']}" if d.get("note") else ""
        return (f"{who} durumu «{_name(sta, before)}» iken «{_name(sta, after)}» yaptı.{note}",
                f"{who} changed the status from {before} to {after}.")
    if t == "assigned":
        after = _sub(d.get("after"), "assignee")
        if not isinstance(after, str) or not after:
            return f"{who} atamayı kaldırdı.", f"{who} unassigned the request."
        return f"{who} talebi {after} kişisine atadı.", f"{who} assigned the request to {after}."
    if t == "forwarded":
        after = d.get("after") if isinstance(d.get("after"), dict) else {}
        if after.get("institution"):
            ref = f" (kurum referansı {after['external_ref']})" if after.get("external_ref") else ""
            return (f"{who} talebi dış kuruma iletti: {after['institution']}{ref}.",
                    f"{who} forwarded the request to {after['institution']}.")
        return (f"{who} talebi {_name(dep, _sub(d.get('before'), 'department'))} biriminden "
                f"{_name(dep, after.get('department'))} birimine iletti.",
                f"{who} forwarded the request to {after.get('department')}.")
    if t == "merged":
        if d.get("role") == "survivor":
            return (f"{d.get('tracking_code')} numaralı talep bu talebe birleştirildi.",
                    f"{d.get('tracking_code')} was merged into this request.")
        return (f"{who} bu talebi {d.get('tracking_code')} numaralı talebe birleştirdi.",
                f"{who} merged this request into {d.get('tracking_code')}.")
    if t == "unmerged":
        return f"{who} birleştirmeyi geri aldı.", f"{who} undid the merge."
    if t == "duplicate_of":
        return (f"Benzer açık talep {d.get('tracking_code')} ile otomatik eşleştirildi (mükerrer).",
                f"Linked as a duplicate of {d.get('tracking_code')}.")
    if t == "duplicate_linked":
        return (f"{_name(ch, d.get('channel'))} kanalından gelen {d.get('tracking_code')} bu talebin mükerreri "
                "olarak bağlandı.", f"{d.get('tracking_code')} was linked as a duplicate.")
    if t == "escalation_warning":
        return (f"Son tarihe {d.get('hours_left', '?')} saat kaldı; birim sorumlusu uyarıldı.",
                "Deadline close: the department lead was warned.")
    if t == "escalated":
        return (f"Son tarih {d.get('overdue_hours', '?')} saat geçti; {_name(dep, d.get('escalated_to'))} "
                "birimine üst makama bildirildi.", "Overdue: escalated to the mayor's office.")
    if t == "reopened":
        return ("Vatandaş yanıt verdi; talep yeniden açıldı (İşlemde).",
                "The citizen answered; the request was reopened.")
    if t == "survey_answered":
        return (f"Vatandaş memnuniyet anketine {d.get('score')}/5 puan verdi.",
                f"Satisfaction survey answered: {d.get('score')}/5.")
    if t == "task_not_queued":
        return ("Görev kuyruğa alınamadı; talep birimin listesinde duruyor.",
                "The task was not queued; the request is in the department's list.")
    if t == "legal_deadline":
        return "Yasal yanıt süresi kaydedildi.", "Legal answer deadline recorded."
    if t == "outbound" and d.get("kind") != "reply":
        return (f"Vatandaşa bildirim kuyruğa alındı ({d.get('channel')}).",
                f"Notification queued ({d.get('channel')}).")
    return f"Kayıt: {t.replace('_', ' ')}.", f"Event: {t}."


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
            items.append({**base, "kind": "citizen", "text": doc.get("text"), "channel": doc.get("channel"),
                          "attachments": doc.get("attachments") or []})
        elif t in ("citizen_reply", "citizen_message", "transcription"):
            items.append({**base, "kind": "citizen", "text": d.get("text") or "",
                          "channel": d.get("channel") or doc.get("channel"), "attachments": []})
            if t == "transcription":
                items[-1]["label"] = "Sesli mesajın dökümü / voicemail transcript"
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

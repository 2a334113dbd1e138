"""End to end on the embedded default: N requests mixed across channels fired at `ulakbel dev` with a bounded
worker pool, against the floor — the same number of raw PutItem + SendMessage calls to the same moto server,
with the same pool, in the same run. Run: `python -m bench.end_to_end [--n 5000] [--workers 8]`.

Reports accepted/s, intake p50/p99 and received→routed p50/p99 (routing measured on a sample of requests
from their timeline). Target: ulakbel sustains ≥ 60% of the floor's rate.

SENDERS is the registry of how each channel delivers: the staff API (POST /requests with an agent token) and
real signed webhooks built from the recorded fixtures under tests/fixtures/ with a distinct platform message id
each — Meta WhatsApp/Messenger/Instagram (X-Hub-Signature-256, META_APP_SECRET), X (x-twitter-webhooks-signature,
X_CONSUMER_SECRET), Twilio SMS (X-Twilio-Signature over PUBLIC_BASE_URL + path, TWILIO_AUTH_TOKEN) and Open311
POST requests.json (OPEN311_DEV_API_KEY) — signed with the dev server's own .ulakbel/dev-secrets.json.
"""
from __future__ import annotations

import argparse
import json
import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Callable

from bench.common import FIXTURES, DevServer, median, pct, write

TEXTS = ["Sokak lambası yanmıyor", "Çöpler üç gündür toplanmadı", "Parktaki salıncak kırık",
         "Yolda büyük çukur var", "Su borusu patladı", "Başıboş köpekler okul önünde", "Kaldırım taşları kırık",
         "Otobüs durağı çok kirli", "Gürültü şikayeti, gece inşaat çalışıyor", "Ağaç dalları kabloya değiyor"]


def api_sender(channel: str) -> Callable[[DevServer, int, str], tuple[str, str, dict, bytes]]:
    def build(dev: DevServer, i: int, run: str):
        body = {"channel": channel, "text": f"{TEXTS[i % len(TEXTS)]} (#{i})", "channel_ref": f"{run}-{i}"}
        return ("POST", "/requests", {"Authorization": f"Bearer {dev.tokens['agent']}",
                                      "Content-Type": "application/json"}, json.dumps(body).encode())
    return build




def _secrets(dev: DevServer) -> dict[str, str]:
    """The secrets the dev server verifies with: the same .ulakbel/dev-secrets.json it reads (env wins)."""
    if not hasattr(dev, "_bench_secrets"):
        import os

        file = dev.home / ".ulakbel" / "dev-secrets.json"
        file = file if file.exists() else dev.home / "dev-secrets.json"
        stored = json.loads(file.read_text()) if file.exists() else {}
        dev._bench_secrets = {k: os.environ.get(k) or v for k, v in stored.items()}
    return dev._bench_secrets


def _text(i: int) -> str:
    return f"{TEXTS[i % len(TEXTS)]} (#{i})"


def meta_sender(fixture: str, old_id: str, old_text: str, drop: tuple[str, ...] = ()) -> Callable:
    """A Meta webhook (WhatsApp / Messenger / Instagram) signed with X-Hub-Signature-256 (META_APP_SECRET)."""
    template = (FIXTURES / "meta" / fixture).read_text()
    if drop:  # drop these keys wherever they occur (e.g. WhatsApp's "context": a quoted-message reply)
        def without(node):
            if isinstance(node, dict):
                return {k: without(v) for k, v in node.items() if k not in drop}
            return [without(v) for v in node] if isinstance(node, list) else node
        template = json.dumps(without(json.loads(template)), ensure_ascii=False)

    def build(dev: DevServer, i: int, run: str):
        from chalicelib.channels.meta.inbound import SIGNATURE_HEADER, sign

        body = (template.replace(old_id, f"{old_id[:8]}{run}x{i}")
                .replace(json.dumps(old_text)[1:-1], _text(i)).replace(old_text, _text(i))).encode()
        return ("POST", "/webhooks/meta", {"Content-Type": "application/json",
                                            SIGNATURE_HEADER: sign(body, _secrets(dev)["META_APP_SECRET"])}, body)
    return build


def x_sender() -> Callable:
    """An X Account Activity DM signed with x-twitter-webhooks-signature (X_CONSUMER_SECRET)."""
    def build(dev: DevServer, i: int, run: str):
        from chalicelib.channels.x.inbound import SIGNATURE_HEADER, sign

        doc = json.loads((FIXTURES / "x" / "aaa_dm.json").read_text())
        event = doc["direct_message_events"][0]
        event["id"] = f"{run}{i}"
        event["message_create"]["message_data"]["text"] = _text(i)
        doc["direct_message_events"] = [event]
        body = json.dumps(doc).encode()
        return ("POST", "/webhooks/x", {"Content-Type": "application/json",
                                         SIGNATURE_HEADER: sign(body, _secrets(dev)["X_CONSUMER_SECRET"])}, body)
    return build


def twilio_sms_sender() -> Callable:
    """A Twilio inbound SMS form post signed with X-Twilio-Signature (TWILIO_AUTH_TOKEN + PUBLIC_BASE_URL)."""
    def build(dev: DevServer, i: int, run: str):
        from urllib.parse import parse_qs, urlencode

        from chalicelib.channels.twilio.inbound import compute_signature, public_url

        params = {k: v[0] for k, v in parse_qs((FIXTURES / "twilio" / "sms_inbound.txt").read_text().strip(),
                                               keep_blank_values=True).items()}
        sid = f"SM{run}x{i}"
        params.update(SmsMessageSid=sid, SmsSid=sid, MessageSid=sid, Body=_text(i))
        url = public_url(dev.base, "/webhooks/twilio/sms")
        sig = compute_signature(url, params, _secrets(dev)["TWILIO_AUTH_TOKEN"])
        return ("POST", "/webhooks/twilio/sms", {"Content-Type": "application/x-www-form-urlencoded",
                                                  "X-Twilio-Signature": sig}, urlencode(params).encode())
    return build


def open311_sender() -> Callable:
    """Open311 GeoReport v2 POST /requests.json with the dev API key (OPEN311_DEV_API_KEY)."""
    def build(dev: DevServer, i: int, run: str):
        from urllib.parse import urlencode

        form = {"api_key": _secrets(dev)["OPEN311_DEV_API_KEY"], "service_code": "cop_toplama",
                "description": _text(i), "lat": f"{38.6920 + (i % 10) / 100000:.5f}", "long": "35.5480"}  # Talas
        return ("POST", "/open311/v2/requests.json", {"Content-Type": "application/x-www-form-urlencoded",
                                                      "Idempotency-Key": f"{run}-{i}"}, urlencode(form).encode())
    return build


SENDERS: dict[str, Callable] = {
    "staff_api": api_sender("beyaz_masa"),
    "whatsapp": meta_sender("whatsapp_text.json", "wamid.HBgMOTA1MzIxMTEyMjMzFQIAEhgUM0E0QjY1OTlBRUUwMzgxMDE0NEYA",
                            "Yenidoğan mahallesinde çöpler toplanmadı", drop=("context",)),
    "facebook": meta_sender("messenger_text.json", "m_Aq3xZr5d7P9dF4bW1kLmNoP2rStUvWxYz0aBcDeFgHiJkLmNoPqRsTuVwXyZ01",
                            "Merhaba, Atatürk bulvarında su borusu patladı, yol göle döndü"),
    "instagram": meta_sender("instagram_dm.json", "aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQxNDA1ODIyMzA0OTE0OjM0MDI4"
                             "MjM2Njg0MTcxMDMwMTI0NDI1OTQ5Njk5NjIwOTgyMjk3MTozMTQ4NDE2NzE5MTM0MTAyODQ5NzIzNDc4NzYyNTEwNDAwMAZDZD",
                             "Otobüs durağının camı kırılmış"),
    "x": x_sender(),
    "sms": twilio_sms_sender(),
    "open311": open311_sender(),
}


def fire(n: int, workers: int, call: Callable[[int], None], budget_s: float = 1e9
         ) -> tuple[float, list[float], int]:
    """Run call(0..n-1) on `workers` threads; stop starting new calls once `budget_s` is spent."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    deadline = time.perf_counter() + budget_s

    def one(i: int) -> None:
        nonlocal errors
        if time.perf_counter() > deadline:
            return
        started = time.perf_counter()
        try:
            call(i)
            ok = True
        except Exception:
            ok = False
        took = (time.perf_counter() - started) * 1000
        with lock:
            if ok:
                latencies.append(took)
            else:
                errors += 1

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(one, range(n)))
    return time.perf_counter() - started, latencies, errors


def run(n: int, workers: int, sample: int, budget_s: float = 1e9, route_wait_s: float = 300) -> dict:
    import boto3
    import requests

    with DevServer() as dev:
        local = threading.local()

        def session():
            if not hasattr(local, "s"):
                local.s = requests.Session()
            return local.s

        channels = list(SENDERS)
        run_id = f"bench{int(time.time())}"
        ids: list[str] = []
        from collections import Counter

        rejected: Counter = Counter()
        id_lock = threading.Lock()

        def post(i: int) -> None:
            method, path, headers, body = SENDERS[channels[i % len(channels)]](dev, i, run_id)
            res = session().request(method, dev.base + path, headers=headers, data=body, timeout=60)
            if res.status_code not in (200, 201, 202):
                with id_lock:
                    rejected[f"{channels[i % len(channels)]} {res.status_code}"] += 1
                raise RuntimeError(res.status_code)
            if res.headers.get("content-type", "").startswith("application/json"):
                doc = res.json()
                rid = doc.get("id") if isinstance(doc, dict) else None  # Open311 answers a list
                if rid:
                    ids.append(rid)

        # the floor: same server, same pool, same count, raw PutItem + SendMessage (no table stream)
        kw = dict(endpoint_url=dev.moto_url, region_name="eu-central-1", aws_access_key_id="testing",
                  aws_secret_access_key="testing")
        ddb, sqs = boto3.client("dynamodb", **kw), boto3.client("sqs", **kw)
        ddb.create_table(TableName="bench-floor", BillingMode="PAY_PER_REQUEST",
                         AttributeDefinitions=[{"AttributeName": "PK", "AttributeType": "S"}],
                         KeySchema=[{"AttributeName": "PK", "KeyType": "HASH"}])
        queue = sqs.create_queue(QueueName="bench-floor")["QueueUrl"]

        def floor(i: int) -> None:
            ddb.put_item(TableName="bench-floor", Item={"PK": {"S": f"F#{i}"}, "text": {"S": TEXTS[i % len(TEXTS)]}})
            sqs.send_message(QueueUrl=queue, MessageBody=json.dumps({"i": i}))

        fire(min(50, n), workers, lambda i: post(i + 10_000_000))  # warm both paths
        fire(min(50, n), workers, lambda i: floor(i + 10_000_000))
        ids.clear()
        # The floor goes first: once ulakbel has accepted requests, its pump routes them inside the same
        # process as the embedded AWS and would slow the floor down (flattering ulakbel's ratio).
        half, quarter = n // 2, budget_s / 4
        f1, flat1, ferr1 = fire(half, workers, floor, quarter)
        f2, flat2, ferr2 = fire(n - half, workers, lambda i: floor(i + half), quarter)
        t1, lat1, err1 = fire(half, workers, post, quarter)
        t2, lat2, err2 = fire(n - half, workers, lambda i: post(i + half), quarter)
        app_rate = (len(lat1) + len(lat2)) / (t1 + t2)
        floor_rate = (len(flat1) + len(flat2)) / (f1 + f2)

        # received → routed: wait until the pump has routed everything, then read a sample's timelines
        headers = {"Authorization": f"Bearer {dev.tokens['admin']}"}
        deadline = time.monotonic() + route_wait_s
        all_routed = False
        while time.monotonic() < deadline:
            try:
                left = requests.get(dev.base + "/requests?status=new&limit=1", headers=headers,
                                    timeout=60).json()["items"]
            except (requests.RequestException, ValueError, KeyError):
                left = [None]  # the server is busy routing: ask again
            if not left:
                all_routed = True
                break
            time.sleep(2)
        routed_ms = []
        for rid in random.Random(1).sample(ids, min(sample, len(ids))):
            try:
                req = requests.get(f"{dev.base}/requests/{rid}", headers=headers, timeout=60).json()
            except (requests.RequestException, ValueError):
                continue
            received = datetime.fromisoformat(req["received_at"])
            routed = [e for e in req.get("timeline", []) if e["type"] in ("routed", "duplicate_of")]
            if routed:
                routed_ms.append((datetime.fromisoformat(routed[0]["at"]) - received).total_seconds() * 1000)
    lat = lat1 + lat2
    result = {
        "n_requested": n, "n_fired": len(lat1 + lat2) + err1 + err2, "budget_s": budget_s,
        "workers": workers, "channels": channels, "all_routed_within_wait": all_routed,
        "rejected_by_channel": dict(rejected),
        "ulakbel": {"accepted": len(lat), "errors": err1 + err2, "accepted_per_s": round(app_rate, 1),
                    "intake_p50_ms": round(median(lat), 1), "intake_p99_ms": round(pct(lat, 99), 1),
                    "received_to_routed_p50_ms": round(median(routed_ms), 1),
                    "received_to_routed_p99_ms": round(pct(routed_ms, 99), 1), "routed_sample": len(routed_ms)},
        "floor": {"ops": len(flat1) + len(flat2), "errors": ferr1 + ferr2, "per_s": round(floor_rate, 1),
                  "p50_ms": round(median(flat1 + flat2), 1), "p99_ms": round(pct(flat1 + flat2, 99), 1)},
        "ratio": round(app_rate / floor_rate, 3) if floor_rate else None, "target_ratio": 0.6,
    }
    write("end_to_end", result)
    u, f = result["ulakbel"], result["floor"]
    print(f"end to end ({result['n_fired']} of {n} requests fired within the budget, {workers} workers): ulakbel {u['accepted_per_s']}/s "
          f"(intake p50 {u['intake_p50_ms']} ms, p99 {u['intake_p99_ms']} ms; received→routed p50 "
          f"{u['received_to_routed_p50_ms']} ms, p99 {u['received_to_routed_p99_ms']} ms), floor {f['per_s']}/s "
          f"→ ratio {result['ratio']} (target ≥ 0.6)")
    return result


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=5000)
    ap.add_argument("--workers", type=int, default=8)
    ap.add_argument("--sample", type=int, default=100, help="requests whose received→routed time is read")
    ap.add_argument("--budget", type=float, default=1e9, help="seconds of firing (both sides together)")
    ap.add_argument("--route-wait", type=float, default=300, help="max seconds to wait for routing to finish")
    args = ap.parse_args(argv)
    return run(args.n, args.workers, args.sample, args.budget, args.route_wait)


if __name__ == "__main__":
    main()

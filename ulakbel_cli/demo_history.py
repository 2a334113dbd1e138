"""`ulakbel dev --seed-demo`: a year of a municipality's work, through the real use cases.

2,000+ requests over the last 12 months from every channel and every mahalle, each taken in by `intake`,
routed by `route_new_request` (classifier, duplicate clustering, SLA due date), then moved along by the
workflow use cases at the moment it happened: in progress, resolved (on time or late), forwarded to another
müdürlük or an outside institution, merged by staff, reopened by a citizen's SMS reply, a satisfaction score;
the newest stay open and some are overdue. Deterministic: one `random.Random(seed)` decides everything
(ids and tracking codes are fresh, the history is the same). Written synchronously with injected clocks, so
the stream consumers that follow (analytics counters, notifications) see ordinary records; the route consumer
leaves already-routed requests alone.
"""
from __future__ import annotations

import random
import time
from datetime import datetime, timedelta
from typing import Any

PROBLEMS = [
    "çöpler üç gündür toplanmadı, koku var", "çöp konteyneri kırık, çöpler etrafa saçılıyor",
    "sokak lambası yanmıyor, gece çok karanlık", "yolda büyük çukur var, araçlar zarar görüyor",
    "kaldırım taşları kırık, yaşlılar düşüyor", "parktaki salıncak kırık, çocuklar için tehlikeli",
    "parktaki ağaçların budanması gerekiyor", "başıboş köpekler okul yolunda çocukları korkutuyor",
    "yaralı bir kedi var, veteriner gerekiyor", "seyyar satıcılar kaldırımı işgal ediyor",
    "gece geç saatte inşaat gürültüsü var", "su borusu patladı, yol su içinde",
    "asfalt çalışması yarım bırakıldı", "otobüs durağı çok kirli ve bakımsız",
    "imar durumu hakkında bilgi almak istiyorum", "emlak vergisi taksitlendirme hakkında bilgi istiyorum",
    "sosyal yardım başvurusu yapmak istiyorum", "işyeri ruhsatı başvurumun durumu nedir",
    "kültür merkezindeki konser çok güzeldi, teşekkürler", "belediyenin web sitesindeki ödeme sayfası açılmıyor",
    "kar yağışı sonrası yollar tuzlanmadı", "mezarlık bakımsız, yabani otlar büyümüş",
]
# Channel mix of a Turkish municipality (phone and Beyaz Masa lead, social media close behind).
CHANNEL_WEIGHTS = {"phone": 16, "beyaz_masa": 10, "whatsapp": 14, "sms": 8, "email": 7, "facebook": 8,
                   "instagram": 7, "x": 7, "youtube": 2, "mobile_app": 10, "e_devlet": 4, "cimer": 5, "seffaf_oda": 2}
INSTITUTIONS = ["KASKİ Genel Müdürlüğü", "Kayseri ve Civarı Elektrik (KCETAŞ)", "Kayseri Büyükşehir Belediyesi"]
FORWARD_TARGETS = ("fen", "temizlik", "park", "zabita")  # Talas's; another municipality: its first four


def _forwarding() -> tuple[str, list[str], list[str]]:
    """(outside department, institutions, departments a misrouted request moves to) of the selected
    municipality (issue 22); Talas keeps the lists above, so its demo year stays the same."""
    from chalicelib.domain.departments import municipality
    from chalicelib.web.canned import institutions

    m = municipality()
    names = [i["name"] for i in institutions()]
    own = [c for c in m.codes if c not in (m.escalation_department, m.outside_department)]
    return (m.outside_department, [n for n in INSTITUTIONS if n in names] or names[:3],
            [c for c in FORWARD_TARGETS if c in own] or own[:4])
DEFAULT_N = 2000


def _citizen(rnd: random.Random, channel: str, i: int) -> dict[str, Any] | None:
    """Synthetic citizens. Only SMS senders keep a number (reserved test range 0555 000 xx xx: they can answer
    and reopen); the rest carry a name or a handle only, so replaying a year sends nobody a notification."""
    if channel == "sms":
        return {"phone": f"+90555000{i % 10000:04d}"}
    if channel in ("facebook", "instagram", "x", "youtube"):
        return {"handle": f"komsu{i}"}
    return {"name": f"Vatandaş {i}"} if rnd.random() < 0.6 else None


def seed_history(n: int = DEFAULT_N, *, now: datetime | None = None, seed: int = 19, log=None,
                 bulk_load=None) -> dict[str, int]:
    """Write the history; returns counts of what happened (requests, resolved, forwarded, merged, ...).
    `bulk_load(table, items)`: puts DynamoDB-JSON items into the embedded AWS's table without stream records
    (`ulakbel dev`: its moto process); the history's analytics cells go in with them (demo_store.write_items),
    so the dashboards are complete when this returns."""
    from chalicelib import container
    from chalicelib.auth import Principal
    from chalicelib.domain.errors import DomainError
    from chalicelib.domain.models import Channel, Citizen, IntakeCommand, Location, Meeting, Status, StatusChange, utcnow
    from chalicelib.understanding import classify, neighbourhoods
    from chalicelib.usecases import reopen, requests as requests_uc, workflow
    from chalicelib.usecases.intake import intake
    from chalicelib.usecases.route import route_new_request
    from chalicelib.usecases.survey import record_answer

    from .demo_store import NullQueue, ReplayStore, write_items

    started = time.monotonic()
    rnd = random.Random(seed)
    now = now or utcnow()
    real = container.repository()
    repo, queue = ReplayStore(real.table_name), NullQueue()
    admin = Principal(sub="demo-admin", role="admin")
    places = [p["name"] for p in neighbourhoods()]
    outside_department, institutions, forward_targets = _forwarding()
    channels = list(CHANNEL_WEIGHTS)
    weights = [CHANNEL_WEIGHTS[c] for c in channels]
    # every channel and every mahalle at least a few times, then the usual mix; oldest first
    picks = [(channels[i % len(channels)], places[i % len(places)]) for i in range(max(len(channels), len(places)) * 2)]
    picks += [(rnd.choices(channels, weights)[0], rnd.choice(places)) for _ in range(n - len(picks))]
    ages = sorted((rnd.uniform(0.02, 365.0) for _ in range(n)), reverse=True)
    stats = {"requests": 0, "routed": 0, "duplicates": 0, "resolved": 0, "late": 0, "forwarded": 0,
             "outside": 0, "merged": 0, "reopened": 0, "surveys": 0, "open": 0}
    last_by_key: dict[tuple[str, str], str] = {}  # the latest routed request of a mahalle × subject

    def at(days_ago: float) -> datetime:
        return now - timedelta(days=days_ago)

    def move(rid: str, status: Status, when: datetime, note: str | None = None):
        when = min(when, now)  # nothing in the history happens after "now"
        current = repo.get(rid, with_timeline=False)
        return requests_uc.change_status(repo, admin, rid, StatusChange(status=status, note=note,
                                                                         version=current.version), now=when)

    for i, ((channel, place), age) in enumerate(zip(picks, ages)):
        received = at(age)
        problem = rnd.choice(PROBLEMS)
        text = f"{place} mahallesinde {problem}"
        cmd = IntakeCommand(
            channel=Channel(channel), text=text, channel_ref=f"demo-h{seed}-{i}", received_at=received,
            citizen=Citizen(**c) if (c := _citizen(rnd, channel, i)) else None,
            location=Location(neighbourhood=place) if channel in ("mobile_app", "beyaz_masa") or rnd.random() < 0.3
            else None,
            meeting=Meeting(date=received.date(), attendees=["Başkan", f"Vatandaş {i}"], topic="Mahalle ziyareti")
            if channel == "seffaf_oda" else None,
            actor="seed")
        request, _ = intake(cmd, repo)
        repo.backdate(request.id, received)
        request = repo.get(request.id)
        stats["requests"] += 1
        routed_at = received + timedelta(minutes=rnd.uniform(0.2, 3))
        route_new_request(request, repo, queue, classify, clock=lambda t=routed_at: t)
        request = repo.get(request.id, with_timeline=False)
        if request.status is Status.duplicate:
            stats["duplicates"] += 1
            continue
        if request.status is not Status.routed:
            continue  # triage: left for staff
        stats["routed"] += 1
        key = ((request.location.neighbourhood if request.location else None) or "-", request.category or "-")
        sla = (request.due_at - received) if request.due_at else timedelta(days=3)
        roll = rnd.random()
        try:
            # staff merge a near-twin into an open request of the same mahalle and subject
            if roll < 0.04 and key in last_by_key:
                target = last_by_key[key]
                current = repo.get(request.id, with_timeline=False)
                workflow.merge(repo, admin, request.id, workflow.MergeBody(into=target, version=current.version),
                               clock=lambda t=min(routed_at + timedelta(hours=2), now): t)
                stats["merged"] += 1
                continue
            last_by_key[key] = request.id
            if roll < 0.09:  # wrong department: forwarded (a third of them to an outside institution)
                current = repo.get(request.id, with_timeline=False)
                when = min(routed_at + timedelta(hours=rnd.uniform(1, 20)), now)
                if rnd.random() < 0.35:
                    workflow.forward(repo, queue, admin, request.id, workflow.ForwardBody(
                        department=outside_department, institution=rnd.choice(institutions), note="Kurumun yetki alanında",
                        external_ref=f"KRM-{i}", version=current.version), clock=lambda t=when: t)
                    stats["outside"] += 1
                    continue
                target = rnd.choice(forward_targets)
                if target != current.department:
                    workflow.forward(repo, queue, admin, request.id, workflow.ForwardBody(
                        department=target, note="Görev alanı bu müdürlük", version=current.version),
                        clock=lambda t=when: t)
                    stats["forwarded"] += 1
            if age < 30 and rnd.random() < 0.45:
                if rnd.random() < 0.5:
                    move(request.id, Status.in_progress, routed_at + timedelta(hours=rnd.uniform(1, 30)))
                stats["open"] += 1
                continue
            late = rnd.random() < 0.18
            took = sla * (rnd.uniform(1.05, 2.5) if late else rnd.uniform(0.1, 0.95))
            start = routed_at + took * 0.3
            resolved_at = routed_at + took
            if resolved_at >= now:
                stats["open"] += 1
                continue
            move(request.id, Status.in_progress, start)
            move(request.id, Status.resolved, resolved_at, note="Ekip tarafından giderildi")
            stats["resolved"] += 1
            stats["late"] += late
            if channel == "sms" and rnd.random() < 0.25 and resolved_at + timedelta(days=1) < now:
                reply_at = min(resolved_at + timedelta(hours=rnd.uniform(2, 20)), now)
                reopened = reopen.try_reopen(IntakeCommand(
                    channel=Channel.sms, text="Sorun hâlâ devam ediyor, lütfen tekrar bakın",
                    channel_ref=f"demo-h{seed}-{i}-re", received_at=reply_at, citizen=Citizen(**_citizen(rnd, "sms", i)),
                    actor="seed"), repo, window_hours=72, clock=lambda t=reply_at: t)
                if reopened is not None:
                    stats["reopened"] += 1
                    again = reply_at + timedelta(hours=rnd.uniform(4, 48))
                    if again < now:
                        move(request.id, Status.resolved, again, note="Tekrar kontrol edildi, giderildi")
                    else:
                        continue
            if rnd.random() < 0.4:
                record_answer(repo, request.id, rnd.choices([1, 2, 3, 4, 5], [1, 1, 2, 4, 5])[0], source="sms",
                              now=min(resolved_at + timedelta(hours=2), now))
                stats["surveys"] += 1
        except DomainError:
            continue  # a state the dice did not foresee (e.g. a forward onto its own department): leave it
        if log and (i + 1) % 250 == 0:
            log(f"  demo history: {i + 1}/{n} ({time.monotonic() - started:.0f} s)")
    stats["replay_seconds"] = round(time.monotonic() - started, 1)
    items = repo.end_state()
    stats["items"] = len(items)
    stats["cells"] = write_items(real, items, bulk_load=bulk_load)  # 0: the stream brings them to the consumers
    stats["write_seconds"] = round(time.monotonic() - started - stats["replay_seconds"], 1)
    stats["seconds"] = round(time.monotonic() - started, 1)
    return stats


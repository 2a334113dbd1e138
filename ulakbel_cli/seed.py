"""Demo data: realistic requests from every channel, some old enough to be overdue or near due."""
from __future__ import annotations

from datetime import timedelta

from chalicelib import container
from chalicelib.domain.models import Channel, Citizen, IntakeCommand, Location, Meeting, utcnow
from chalicelib.usecases.intake import intake

DEMO = [
    # (channel, text, neighbourhood/address, hours ago, citizen)
    ("whatsapp", "Yenidoğan mahallesinde çöpler 3 gündür toplanmadı, konteynerler taştı", None, 2,
     {"name": "Ayşe Yılmaz", "phone": "+905321112233", "platform_id": "905321112233"}),
    ("sms", "Harman mah. Gül sokakta sokak lambası yanmıyor", None, 5, {"phone": "+905051234567"}),
    ("facebook", "Kiçiköy'de parkın salıncakları kırık, çocuklar için tehlikeli", None, 20,
     {"name": "Mehmet Kaya", "platform_id": "6482910375", "handle": "mehmet.kaya"}),
    ("instagram", "Bahçelievlerde kaldırım çökmüş yaşlılar düşüyor #talas", None, 30,
     {"handle": "talasli_genc", "platform_id": "17841400000000001"}),
    ("x", "@TalasBelediye Mevlana mahallesinde başıboş köpekler okul yolunda çocukları korkutuyor", None, 50,
     {"handle": "kayserili38", "platform_id": "1457894512"}),
    ("phone", "Arayan vatandaş Anayurt mahallesinde gece geç saatlere kadar düğün salonundan gürültü olduğunu "
              "bildirdi", None, 80, {"name": "Hasan Demir", "phone": "+903524441234"}),
    ("beyaz_masa", "Sosyal yardım başvurusu yapmak istiyorum, evde engelli annem var", "Cumhuriyet Mah.", 90,
     {"name": "Fatma Şahin", "phone": "+905441239876", "tc_kimlik_no": "10000000146"}),
    ("email", "Mengücek mahallesi 12. sokakta yol çalışması yarım bırakıldı, asfalt dökülmedi", None, 100,
     {"name": "Ali Öztürk", "email": "ali.ozturk@example.com.tr"}),
    ("mobile_app", "Reşadiye parkındaki ağaçlar budanmalı, dallar elektrik tellerine değiyor", None, 110, {}),
    ("youtube", "Talas'ın kültür etkinlikleri harika, konser çok güzeldi teşekkürler", None, 3,
     {"name": "Zeynep K.", "platform_id": "UCx9f3k2Lmn0pQ"}),
    ("whatsapp", "Kuruköprü mahallesinde su borusu patlamış, yol su içinde", None, 1,
     {"phone": "+905339998877", "platform_id": "905339998877"}),
    ("sms", "Tablakaya'da seyyar satıcılar kaldırımı işgal ediyor", None, 60, {"phone": "+905301112299"}),
    ("cimer", "Başakpınar mahallesinde imar durumu sorgulaması hakkında bilgi talep ediyorum", None, 200,
     {"name": "Osman Arslan", "email": "osman.arslan@example.com"}),
    ("e_devlet", "Emlak vergisi borcumu nasıl taksitlendirebilirim?", "Sakaltutan Mah.", 150,
     {"name": "Elif Aydın"}),
    ("facebook", "Zincidere yolunda çukurlar var araçlar zarar görüyor", None, 70,
     {"name": "Burak Çelik", "platform_id": "7712093344"}),
    ("instagram", "Akçakaya mahallesinde park yapılması önerisi: çocuklar için oyun alanı yok", None, 12,
     {"handle": "akcakayali", "platform_id": "17841400000000002"}),
    ("x", "Endürlük'te çöp konteyneri yok, çöpler yola atılıyor", None, 40,
     {"handle": "endurluk_sesi", "platform_id": "998877665"}),
    ("phone", "Han mahallesinde yaralı bir kedi var, veteriner gerekiyor", None, 4,
     {"phone": "+905427776655"}),
    ("mobile_app", "Web sitesindeki e-belediye ödeme sayfası açılmıyor", None, 8, {}),
    ("email", "İşyeri ruhsatı başvurumun durumu nedir? Başvuru no 2026/1184", None, 26,
     {"name": "Selin Yurt", "email": "selin@example.org"}),
]


def _demo_of_the_municipality() -> tuple[list, list]:
    """(today's messages, near-due messages): the selected municipality's demo.yaml when it has one (issue 22:
    another municipality's demo names its own mahalles), else the Talas examples above."""
    import yaml

    from chalicelib.domain import data_files

    path = data_files.path("demo")
    if not path.is_file():
        return DEMO, DEADLINE_DEMO
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    today = [(m["channel"], m["text"], m.get("address"), m["hours_ago"], m.get("citizen"))
             for m in raw.get("today") or []]
    due = [(m["channel"], m["text"], m["hours_ago"], m["due_in_hours"]) for m in raw.get("deadlines") or []]
    return today, due


def seed_demo(history: int | None = None) -> int:
    """A year of history (ulakbel_cli/demo_history.py, 2,000 requests) and then today's hand-written examples."""
    import time

    from .demo_history import DEFAULT_N, seed_history

    n = 0
    if history is None or history > 0:
        started = time.monotonic()
        stats = seed_history(DEFAULT_N if history is None else history)
        print(f"demo history: {stats['requests']} requests in {time.monotonic() - started:.1f} s", flush=True)
        n = stats["requests"]
    repo = container.repository()
    now = utcnow()
    demo, deadlines = _demo_of_the_municipality()
    for i, (channel, text, address, hours_ago, citizen) in enumerate(demo):
        cmd = IntakeCommand(
            channel=Channel(channel),
            text=text,
            channel_ref=f"demo-{i:03d}",
            received_at=now - timedelta(hours=hours_ago),
            citizen=Citizen(**citizen) if citizen else None,
            location=Location(address=address) if address else None,
            actor="seed",
        )
        intake(cmd, repo)
        n += 1
    from chalicelib.domain.departments import municipality
    from chalicelib.domain.identity import identity

    meeting = IntakeCommand(
        channel=Channel.seffaf_oda,
        text=f"Başkanla Baş Başa: {identity().district} merkezde engelli rampası eksikliği dile getirildi",
        channel_ref="demo-seffaf-001",
        received_at=now - timedelta(hours=6),
        citizen=Citizen(name="Kemal Yıldız"),
        meeting=Meeting(date=(now - timedelta(hours=6)).date(), attendees=["Başkan", "Kemal Yıldız"],
                        topic="Erişilebilirlik"),
        department=municipality().channel_department("seffaf_oda") or municipality().escalation_department,
        actor="seed",
    )
    intake(meeting, repo)
    return n + 1 + seed_deadlines(repo, now, deadlines)


# Department workflow (issue 7): requests whose deadline is past or close, so the escalation sweep
# (every 5 minutes; `ulakbel dev --schedule-seconds 10` to see it sooner) warns leads and escalates.
DEADLINE_DEMO = [
    ("phone", "Yenidoğan mahallesinde çöp konteyneri kırık, çöpler etrafa saçılıyor", 30, -6),
    ("whatsapp", "Mevlana mahallesinde kaldırım taşları sökülmüş, yürünmüyor", 50, -2),
    ("email", "Kiçiköy parkında çim sulama sistemi bozuk, çimler kurudu", 20, 3),
    ("sms", "Harman mahallesinde sokak köpekleri gece havlıyor, uyuyamıyoruz", 10, 5),
]


def seed_deadlines(repo, now, deadlines: list | None = None) -> int:
    deadlines = DEADLINE_DEMO if deadlines is None else deadlines
    for i, (channel, text, hours_ago, due_in_hours) in enumerate(deadlines):
        intake(IntakeCommand(channel=Channel(channel), text=text, channel_ref=f"demo-due-{i:03d}",
                             received_at=now - timedelta(hours=hours_ago),
                             due_at=now + timedelta(hours=due_in_hours), actor="seed"), repo)
    return len(deadlines)

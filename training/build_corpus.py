"""Assemble the issue-18 training corpus from the hand-written fragments (training/fragments_*.py).

Why assembled: ~1,000 hand-written fragments, each in its own words, are turned into messages the way citizens
write them: a place (every mahalle, in the forms people type), an opener and a closer, a register (plain,
SMS shorthand without diacritics, UPPER CASE, social post with mentions and hashtags, call-centre note, formal
CİMER petition) and sometimes a second, minor subject or thanks mixed in. Labels follow the kind rules in
docs/classifier.md: a problem report is şikayet even when politely asked; thanks with a problem is şikayet; the
dominant subject decides the department.

Deterministic (seeded). The dev split is chosen by FRAGMENT (about 15 % of the fragments and every message
made from them), so dev messages share no sentence with training messages.

Run: `python -m training.build_corpus` → training/corpus/train.jsonl, training/corpus/dev.jsonl
"""
from __future__ import annotations

import json
import random
import re
import zlib
from pathlib import Path

from chalicelib.understanding.text import fold, tr_lower

from .fragments_a import F as FA
from .fragments_b import F as FB
from .fragments_c import F as FC
from .fragments_d import F as FD
from .fragments_e import F as FE
from .clauses import C as CL

ROOT = Path(__file__).resolve().parent
OUT = ROOT / "corpus"
SEED = 18
VARIANTS = 6  # messages made from each fragment

FRAGMENTS: dict[str, dict[str, list[str]]] = {}
for _part in (FA, FB, FC, FD, FE):
    for _cat, _kinds in _part.items():
        for _kind, _frags in _kinds.items():
            FRAGMENTS.setdefault(_cat, {}).setdefault(_kind, []).extend(_frags)
for _cat, _kinds in CL.items():  # situation clauses: a place, then the clause
    for _kind, _clauses in _kinds.items():
        FRAGMENTS.setdefault(_cat, {}).setdefault(_kind, []).extend("{yer} " + c for c in _clauses)

MAHALLES = ["Akçakaya", "Alaybeyli", "Anayurt", "Ardıç", "Bahçelievler", "Başakpınar", "Cebir", "Cumhuriyet",
            "Çatakdere", "Çevlik", "Çömlekçi", "Endürlük", "Han", "Harman", "Kamber", "Kepez", "Kiçiköy", "Koçcağız",
            "Kuruköprü", "Mengücek", "Mevlana", "Örencik", "Reşadiye", "Sakaltutan", "Sosun", "Süleymanlı",
            "Tablakaya", "Yamaçlı", "Yazyurdu", "Yenidoğan", "Yukarı", "Zincidere"]
# Ordinary words, streets or institutions too: only written with a mahalle marker.
AMBIGUOUS = {"Ardıç", "Cebir", "Cumhuriyet", "Çömlekçi", "Han", "Harman", "Kamber", "Kepez", "Mevlana",
             "Yamaçlı", "Yenidoğan", "Yukarı"}
STREETS = ["Lale Sokak", "Gül Sokak", "Okul Sokak", "Çamlık Sokak", "Yıldız Sokak", "Kiraz Sokak", "Gazi Caddesi",
           "Atatürk Caddesi", "Pınarbaşı Sokak", "Şehit Er Ali Demir Sokak", "Papatya Sokak", "Çınar Sokak",
           "1453. Sokak", "Akasya Sokak", "Menekşe Sokak", "Belediye Caddesi", "Erciyes Sokak", "Vatan Sokak",
           "Fidanlık Sokak", "Kuyu Sokak", "Bağlar Sokak", "Doğan Sokak"]
LANDMARKS = ["okulun önünde", "caminin yanında", "muhtarlığın karşısında", "parkın arkasında", "sağlık ocağının yanında",
             "fırının önünde", "durağın yanında", "pazar yerinde", "köy meydanında", "çeşmenin başında"]
VOICELESS = set("çfhkpsşt")
BACK = set("aıou")
FRONT = set("eiöü")


def _last_vowel(word: str) -> str:
    for ch in reversed(tr_lower(word)):
        if ch in BACK or ch in FRONT:
            return ch
    return "e"


def locative(name: str) -> str:
    d = "t" if tr_lower(name)[-1] in VOICELESS else "d"
    return f"{name}'{d}{'a' if _last_vowel(name) in BACK else 'e'}"


def genitive_mahalle(rng: random.Random, name: str) -> str:
    """A place phrase naming the mahalle, in one of the forms people type."""
    street = rng.choice(STREETS)
    forms = [f"{name} Mahallesi {street} üzerinde", f"{name} mahallesinde", f"{name} Mah. {street}'ta",
             f"{name} mh. {rng.choice(LANDMARKS)}", f"{name} Mahallesi'nde", f"{name} mahallesi {street}"]
    if name not in AMBIGUOUS:
        forms += [locative(name), f"{locative(name)} {rng.choice(LANDMARKS)}", f"{name} {street}",
                  f"{name} köyünde" if name in RURAL else f"{locative(name)}ki sitede"]
    return rng.choice(forms)


RURAL = {"Akçakaya", "Alaybeyli", "Ardıç", "Başakpınar", "Cebir", "Çatakdere", "Çevlik", "Çömlekçi", "Kamber",
         "Kepez", "Koçcağız", "Mengücek", "Örencik", "Sakaltutan", "Sosun", "Süleymanlı", "Yamaçlı", "Yazyurdu"}

OPENERS = ["", "", "", "Merhaba, ", "Merhabalar. ", "İyi günler, ", "Kolay gelsin, ", "Selamün aleyküm, ",
           "Başkanım merhaba, ", "Sayın yetkililer, ", "Arkadaşlar ", "Hocam selam, ", "Yetkililere sesleniyorum: "]
CLOSERS = {
    "sikayet": ["", "", "", " Lütfen ilgilenin.", " Artık bir çözüm bekliyoruz.", " Kaç kere aradık, kimse gelmedi.",
                " Yetkililerin dikkatine!", " Rezalet.", " Şimdiden teşekkürler.", " Bu ne biçim hizmet?",
                " Lütfen en kısa sürede bakın.", " Mağduruz.", " Ne zaman düzelecek?"],
    "talep": ["", "", "", " Şimdiden teşekkürler.", " Saygılarımla.", " Yardımcı olursanız seviniriz.",
              " Rica ediyoruz.", " İlginize teşekkürler.", " Dönüşünüzü bekliyorum."],
    "oneri": ["", "", " Bence çok faydalı olur.", " Değerlendirmenizi rica ederim.", " Bir düşünün derim.",
              " Sadece bir öneri.", " Diğer belediyelerde var."],
    "bilgi": ["", "", " Bilgi verirseniz sevinirim.", " Teşekkürler.", " Yardımcı olur musunuz?",
              " Kimse net bilgi veremedi.", " Şimdiden teşekkür ederim."],
    "tesekkur": ["", "", " 👏", " 🙏", " Tebrikler.", " Çok memnunuz.", " İyi ki varsınız.", " 💐"],
}
MIXED_THANKS = ["Ekiplerinize her zaman teşekkür ederim ama ", "Belediyemiz çok güzel işler yapıyor, teşekkürler, fakat ",
                "Geçen sefer başvurumla hemen ilgilendiniz, sağ olun; şimdi ise ", "Hizmetleriniz için teşekkürler. Yalnız "]
SECONDARY = ["Bir de sokak lambası yanmıyor.", "Ayrıca çöpler de geç alınıyor.", "Bu arada parktaki bank da kırık.",
             "Yeri gelmişken köpekler de çok arttı.", "Kaldırımlar da bozuk ayrıca.",
             "Bir de otobüsler geç geliyor.", "Ha bir de su kesintisi çok oluyor."]
SMS_WORDS = [(r"\bmahallesi\b", "mah"), (r"\blütfen\b", "ltf"), (r"\bteşekkürler\b", "tşkler"), (r"\bbir\b", "bi"),
             (r"\bşimdiden\b", "şimdiden"), (r"\bçok\b", "cok"), (r"\bne zaman\b", "ne zmn"), (r"\bmerhaba\b", "slm"),
             (r"\bselamün aleyküm\b", "sa"), (r"\bgeliyor\b", "geliyo"), (r"\byapıyor\b", "yapıyo"),
             (r"\bistiyoruz\b", "istiyoz"), (r"\bsokak\b", "sk"), (r"\bbelediye\b", "bld"), (r"\bbugün\b", "bugun"),
             (r"\bkimse\b", "kmse"), (r"\byok\b", "yok"), (r"\btamam\b", "tmm")]
HANDLES = ["@TalasBelediye", "@talasbel", "@TalasBld", "@KayseriTalas"]
TAGS = {"temizlik": "#TemizTalas", "fen": "#YolYap", "park": "#YeşilTalas", "zabita": "#Zabıta",
        "veteriner": "#SokakHayvanları", "imar": "#İmar", "sosyal": "#SosyalYardım", "kultur": "#TalasKültür",
        "mali": "#Vergi", "ruhsat": "#Esnaf", "ozel_kalem": "#Başkanım", "bilgi_islem": "#EBelediye",
        "dis_kurum": "#Kayseri"}


def expand(template: str, rng: random.Random) -> str:
    return re.sub(r"\[([^\]]+)\]", lambda m: rng.choice(m.group(1).split("|")), template)


def sentence(s: str) -> str:
    s = s.strip()
    if not s:
        return s
    first = s[0]
    s = ("İ" if first == "i" else "I" if first == "ı" else first.upper()) + s[1:]
    return s


def tr_upper(s: str) -> str:
    return s.replace("i", "İ").replace("ı", "I").upper()


def category_department() -> dict[str, str]:
    from chalicelib.understanding import taxonomy

    return {c.code: c.department for c in taxonomy()}


def make_message(rng: random.Random, cat: str, dept: str, kind: str, frag: str, all_frags: list[tuple],
                 nb: str | None | bool = False) -> dict:
    body = expand(frag, rng)
    if nb is False:
        nb = rng.choice(MAHALLES) if rng.random() < 0.62 else None
    suffix_place = None
    if "{yer}" in body:
        body = body.replace("{yer}", (genitive_mahalle(rng, nb) + ",") if nb else "").replace("  ", " ")
    elif nb:
        where = genitive_mahalle(rng, nb)
        if rng.random() < 0.5:
            body = f"{where} {body}"
        else:
            suffix_place = (f"{sentence(where)} oturuyorum." if where.endswith(("de", "da", "te", "ta"))
                            else f"Adres: {where.replace(' üzerinde', '')}.")
    body = body.strip(" ,")
    if kind == "bilgi" and rng.random() < 0.8:
        body += "?"
    elif not body.endswith((".", "!", "?")):
        body += rng.choice([".", ".", "!", "", "..."])
    if suffix_place:
        body = f"{body} {suffix_place}"
    register = rng.choices(["plain", "sms", "upper", "social", "call", "cimer"], [30, 22, 8, 18, 11, 11])[0]
    mixed = None
    if kind == "sikayet" and rng.random() < 0.10:
        body = rng.choice(MIXED_THANKS) + body[0].lower() + body[1:]
        mixed = "thanks+problem"
    elif kind in ("sikayet", "talep") and rng.random() < 0.08:
        same = [f for c, k, f in all_frags if c == cat and k == "sikayet" and f != frag]
        if same:
            extra = expand(rng.choice(same), rng).replace("{yer}", "").strip(" ,")
            body = f"{body} {sentence(extra)}. {rng.choice(SECONDARY)}"
            mixed = "secondary-topic"
    text = sentence(body)
    if register == "plain":
        opener = rng.choice(OPENERS)
        if (opener.endswith(", ") or opener.endswith(": ")) and not text.startswith(tuple(MAHALLES)):
            text = (text[0].lower() if text[0] not in "İI" else text[0]) + text[1:]
        text = opener + text + rng.choice(CLOSERS[kind])
    elif register == "sms":
        t = tr_lower(text + rng.choice(CLOSERS[kind]))
        for pat, rep in SMS_WORDS:
            if rng.random() < 0.6:
                t = re.sub(pat, rep, t)
        t = fold(t) if rng.random() < 0.8 else t
        t = re.sub(r"[.,;:!]+", rng.choice(["", " ", ".."]), t) if rng.random() < 0.6 else t
        text = re.sub(r"\s+", " ", t).strip()
    elif register == "upper":
        text = tr_upper(rng.choice(OPENERS) + text + rng.choice(CLOSERS[kind]))
    elif register == "social":
        tags = [TAGS[dept]] + ([f"#{nb.replace(' ', '')}"] if nb and rng.random() < 0.5 else []) + \
               (["#Talas"] if rng.random() < 0.5 else [])
        handle = rng.choice(HANDLES)
        text = f"{handle} {text}{rng.choice(CLOSERS[kind])} {' '.join(tags)}" if rng.random() < 0.6 else \
            f"{text} {handle} {' '.join(tags)}"
    elif register == "call":
        lead = rng.choice(["Vatandaş aradı: ", "153 çağrı notu - ", "Telefonla bildirim: ", "Arayan vatandaş belirtti: ",
                           "ÇAĞRI MERKEZİ: "])
        tail = rng.choice([" Geri dönüş istiyor.", " Vatandaş bilgilendirildi.", " Aciliyet belirtti.", "",
                           " Tel no sistemde kayıtlı."])
        text = lead + text + tail
    else:  # cimer
        where = f"{nb} Mahallesi {rng.choice(STREETS)} adresinde ikamet etmekteyim. " if nb and rng.random() < 0.5 else ""
        ask = {"sikayet": "Söz konusu sorunun giderilmesi hususunda gereğinin yapılmasını saygılarımla arz ederim.",
               "talep": "Talebimin değerlendirilmesi hususunda gereğini arz ederim.",
               "oneri": "Önerimin değerlendirilmesini saygılarımla arz ederim.",
               "bilgi": "Konu hakkında tarafıma bilgi verilmesini arz ederim.",
               "tesekkur": "Emeği geçen tüm personele teşekkürlerimi arz ederim."}[kind]
        text = f"Sayın Yetkili, {where}{text} {ask}"
    return {"text": text, "department": dept, "category": cat, "neighbourhood": nb, "kind": kind,
            "register": register, **({"mixed": mixed} if mixed else {})}


def build() -> tuple[list[dict], list[dict]]:
    rng = random.Random(SEED)
    c2d = category_department()
    missing = set(c2d) - set(FRAGMENTS)
    if missing:
        raise SystemExit(f"categories without fragments: {sorted(missing)}")
    all_frags = []
    for cat, kinds in FRAGMENTS.items():
        for kind, frags in kinds.items():
            for f in frags:
                label = kind
                if f.startswith("ş:"):  # written as a request, but it reports a problem: şikayet by the kind rules
                    f, label = f[2:], "sikayet"
                all_frags.append((cat, label, f))
    train, dev = [], []
    for cat, kind, frag in all_frags:
        to_dev = zlib.crc32(frag.encode()) % 100 < 15
        for _ in range(VARIANTS):
            msg = make_message(rng, cat, c2d[cat], kind, frag, all_frags)
            (dev if to_dev else train).append(msg)
    # Every mahalle in every register at least once: a dedicated pass so rare names are not left to chance.
    for nb in MAHALLES:
        for cat, kind, frag in rng.sample(all_frags, 6):
            if True:
                m = make_message(rng, cat, c2d[cat], kind, frag, all_frags, nb=nb)
                (dev if zlib.crc32(frag.encode()) % 100 < 15 else train).append(m)
    return train, dev


def build_lexicon() -> list[dict]:
    """Lexicon rows (training/lexicon.py): each everyday word for a subject in two category-neutral frames and a
    register. For the category head only (no kind label: the frames are too few to teach kind)."""
    from .lexicon import FRAMES, LEXICON

    rng = random.Random(SEED + 1)
    c2d = category_department()
    rows = []
    for cat, terms in LEXICON.items():
        for term in terms:
            for kind in rng.sample(sorted(FRAMES), 2):
                frag = rng.choice(FRAMES[kind]).replace("{t}", term)
                m = make_message(rng, cat, c2d[cat], kind, frag, [])
                m.pop("kind")
                m.pop("mixed", None)
                m["source"] = "lexicon"
                rows.append(m)
    return rows


def main() -> int:
    train, dev = build()
    lexicon = build_lexicon()
    with open(OUT / "lexicon.jsonl", "w", encoding="utf-8") as f:
        for r in lexicon:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    OUT.mkdir(parents=True, exist_ok=True)
    for name, rows in (("train", train), ("dev", dev)):
        with open(OUT / f"{name}.jsonl", "w", encoding="utf-8") as f:
            for r in rows:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"lexicon rows {len(lexicon)}")
    print(f"train {len(train)}, dev {len(dev)}, fragments {sum(len(v) for k in FRAGMENTS.values() for v in k.values())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

import math

import pytest

from chalicelib import understanding as routing
from chalicelib.understanding import apply_overrides, category, classify, duplicate_policy, taxonomy, text_similarity

DEPARTMENTS = {"temizlik", "fen", "park", "zabita", "veteriner", "imar", "sosyal", "kultur", "mali", "ruhsat",
               "ozel_kalem", "bilgi_islem", "dis_kurum"}


def test_basic_classification_fields():
    c = classify("Yenidoğan mahallesinde 3 gündür çöpler toplanmadı")
    assert (c.department, c.category, c.neighbourhood, c.kind) == ("temizlik", "cop_toplama", "Yenidoğan", "sikayet")
    assert 0.0 <= c.confidence <= 1.0 and not c.needs_triage
    assert c.sla_hours > 0 and c.priority in ("low", "normal", "high", "urgent")
    assert "\n" not in c.explanation and "toplanmadı" in c.explanation


@pytest.mark.parametrize(
    "text,kind",
    [
        ("Sokak lambaları bir haftadır yanmıyor", "sikayet"),
        ("Sokağımıza çöp konteyneri konulmasını talep ediyoruz", "talep"),
        ("Parklara daha çok bank konulsa yaşlılar için iyi olur", "oneri"),
        ("Emlak vergisi son ödeme tarihi ne zaman?", "bilgi"),
        ("Parkın yenilenmesi için emeği geçenlere teşekkürler 👏", "tesekkur"),
    ],
)
def test_each_kind(text, kind):
    assert classify(text).kind == kind


def test_politeness_is_not_thanks():
    assert classify("Çöpler 4 gündür alınmıyor, şimdiden teşekkürler").kind == "sikayet"


@pytest.mark.parametrize(
    "text,category,institution",
    [
        ("Sabahtan beri sular yok", "su_sebekesi", "KASKİ"),
        ("Lağım taştı, her yer koku", "kanalizasyon", "KASKİ"),
        ("Sokak lambası yanmıyor", "sokak_aydinlatma", "Kayseri Elektrik (Kcetaş)"),
        ("Elektrikler kesildi", "elektrik_kesintisi", "Kayseri Elektrik (Kcetaş)"),
        ("Apartmanda doğalgaz kokusu var", "dogalgaz", "Kayserigaz"),
        ("Otobüsler çok seyrek geliyor", "toplu_tasima", "Kayseri Ulaşım"),
        ("Kavşaktaki trafik ışıkları arızalı", "trafik_sinyalizasyon", "Kayseri Büyükşehir Belediyesi"),
    ],
)
def test_out_of_jurisdiction_goes_to_dis_kurum_with_institution(text, category, institution):
    c = classify(text)
    assert c.department == "dis_kurum"
    assert c.category == category
    assert c.institution == institution


def test_unknown_text_is_triaged_with_the_best_guess_kept():
    # Issue 18: the learned model decides; below its threshold the request goes to triage but the best guess
    # (whatever category the model finds likeliest) is kept for the person who triages, never blanked.
    c = classify("merhaba, bir sorum olacaktı")
    assert c.needs_triage
    assert c.confidence < routing.triage_threshold()
    assert c.category and c.department and c.kind
    assert "triyaj" in c.explanation


def test_conflicting_evidence_lowers_confidence():
    clear = classify("Sokak köpekleri çocuklara saldırıyor")
    mixed = classify("köpek çöp")
    assert mixed.confidence < clear.confidence


def test_overrides_from_data():
    c = classify("Talas Bulvarı'nda asfalt çökmüş")
    assert c.category == "yol_bakim" and c.department == "dis_kurum"
    assert c.institution == "Kayseri Büyükşehir Belediyesi"
    assert "buyuksehir_ana_arterler" in c.overrides
    assert classify("Sokağımızda çukur var").department == "fen"
    urgent = classify("Gaz kaçağı var, acil")
    assert urgent.priority == "urgent"
    # Re-applying is idempotent.
    assert apply_overrides(c, "Talas Bulvarı'nda asfalt çökmüş", None) == c


def test_neighbourhood_override_raises_priority():
    assert classify("Başakpınar'da kar küreme yapılmadı").priority == "urgent"
    assert classify("Kiçiköy'de kar küreme yapılmadı").priority == "high"


def test_deterministic_and_no_crash_on_odd_input():
    a = classify("ÇÖPLER ALINMADI!!! 😡😡 #rezalet")
    assert a == classify("ÇÖPLER ALINMADI!!! 😡😡 #rezalet")
    for t in ["", "   ", "12345", "🙂", "a" * 5000, "İıIi"]:
        c = classify(t)
        assert c.department in DEPARTMENTS and 0 <= c.confidence <= 1


def test_taxonomy_is_an_open311_service_list():
    cats = taxonomy()
    assert 30 <= len(cats) <= 45
    codes = [c.code for c in cats]
    assert len(set(codes)) == len(codes)
    assert {c.department for c in cats} == DEPARTMENTS
    for c in cats:
        assert c.code.isascii() and c.name_tr and c.name_en and c.description_tr
        assert c.sla_hours > 0 and c.priority in ("low", "normal", "high", "urgent")
        assert c.keywords
        assert (c.institution is not None) == (c.department == "dis_kurum")
        for a in c.attributes:
            assert a["datatype"] in ("string", "number", "datetime", "text", "singlevaluelist", "multivaluelist")
    assert any(a["code"] == "hayvan_turu" for a in category("sokak_hayvani").attributes)
    with pytest.raises(KeyError):
        category("yok_boyle")


def test_duplicate_policy_and_similarity():
    p = duplicate_policy()
    assert p.window_hours > 0 and 0 < p.similarity_threshold < 1
    same = text_similarity("Kiçiköy'de çöpler 3 gündür toplanmadı", "kicikoyde copler toplanmadi 3 gundur")
    para = text_similarity("Kiçiköy'de çöpler toplanmadı", "Çöpler hala toplanmadı Kiçiköy")
    other = text_similarity("Kiçiköy'de çöpler toplanmadı", "Nikah salonu randevusu nasıl alınır")
    assert same >= 0.95
    assert para >= p.similarity_threshold
    assert other < p.similarity_threshold
    assert text_similarity("", "çöp") == 0.0
    assert not math.isnan(same)

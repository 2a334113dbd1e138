import pytest

from chalicelib.routing import find_neighbourhood, neighbourhoods

REQUIRED = ["Akçakaya", "Anayurt", "Bahçelievler", "Başakpınar", "Cumhuriyet", "Endürlük", "Han", "Harman", "Kiçiköy",
            "Kuruköprü", "Mengücek", "Mevlana", "Reşadiye", "Sakaltutan", "Tablakaya", "Yenidoğan", "Zincidere"]


def test_gazetteer_has_33_unique_mahalles_with_required_names():
    nbs = neighbourhoods()
    names = [n["name"] for n in nbs]
    assert len(names) == 33 and len(set(names)) == 33
    for r in REQUIRED:
        assert r in names
    for n in nbs:
        assert 38.5 < n["lat"] < 38.8 and 35.4 < n["long"] < 35.75
        assert isinstance(n["aliases"], list)


@pytest.mark.parametrize(
    "text,expected",
    [
        ("cop toplanmadi yenidogan mah", "Yenidoğan"),
        ("Kiçiköy'de su yok", "Kiçiköy"),
        ("Harman'daki metruk bina", "Harman"),
        ("Bahçelievlerde lambalar yanmıyor", "Bahçelievler"),
        ("KİÇİKÖY'DE ELEKTRİK YOK", "Kiçiköy"),
        ("basakpinarda kopekler cok", "Başakpınar"),
        ("zincderede su kesintisi var", "Zincidere"),  # typo
        ("Sakaltuttan yolu çok bozuk", "Sakaltutan"),  # typo
        ("Kazım Karabekir Mahallesi'nde seyyar satıcı", "Kazım Karabekir"),
        ("Yukarı Mahalle'de kaldırım işgal", "Yukarı"),
        ("han mahallesinde gürültü", "Han"),
        ("Sabahtan beri sular yok. Yenidoğan", "Yenidoğan"),
        ("Mevlana meydanındaki wifi çalışmıyor", "Mevlana"),
    ],
)
def test_neighbourhood_from_text(text, expected):
    assert find_neighbourhood(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Sokakta çöpler toplanmadı",
        "Cumhuriyet Caddesinde kaldırımlar kırık",  # street, not the mahalle
        "Cumhuriyet Bayramı kutlamaları nerede?",
        "Yenidoğan bebeğim için destek var mı",  # newborn, not the mahalle
        "Harman yerinde çöp yakıyorlar",
        "hani bu yollar yapılacaktı?",
        "Erciyes'e giden yolda kar var",
        "Erciyes Üniversitesi önündeki durak",
        "Yukarı sokaktaki köpekler",
        "Bahçeli evimizin önündeki ağaç",
        "Mevlana'nın sözü gibi, teşekkürler",
        "",
    ],
)
def test_null_when_no_neighbourhood_is_named(text):
    assert find_neighbourhood(text) is None


def test_address_and_coordinates():
    assert find_neighbourhood("Çöpler alınmadı", address="Mengücek Mah. 1250. Sk. No:4 Talas/Kayseri") == "Mengücek"
    assert find_neighbourhood("lamba", address="Cumhuriyet Mah. Atatürk Cad. No:12") == "Cumhuriyet"
    assert find_neighbourhood("çöp", address="Talas, Kayseri") is None
    # Endürlük centroid (published coordinates) and a point in Kayseri centre (Melikgazi) / Ankara.
    assert find_neighbourhood("köpek", lat=38.6309, long=35.5471) == "Endürlük"
    assert find_neighbourhood("çukur", lat=38.7205, long=35.4878) is None
    assert find_neighbourhood("su", lat=39.93, long=32.85) is None
    assert find_neighbourhood("su", lat="bad", long=None) is None  # type: ignore[arg-type]


def test_address_beats_text_and_text_beats_coordinates():
    assert find_neighbourhood("Kiçiköy parkı", address="Harman Mh. Okul Sk.") == "Harman"
    assert find_neighbourhood("Kiçiköy'de çöp", lat=38.6309, long=35.5471) == "Kiçiköy"

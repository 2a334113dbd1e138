import json

import pytest

from chalicelib import understanding as routing
from chalicelib.understanding import classify, find_neighbourhood, neighbourhood_shapes, neighbourhoods
from chalicelib.understanding.boundaries import DATA_DIR, PointFix, compile_boundaries, get_boundaries, make_shape
from chalicelib.understanding.data import compile_gazetteer, get_taxonomy
from chalicelib.understanding.gazetteer import resolve
from chalicelib.understanding.text import fold

# The 30 mahalles of the shipped boundary data plus the two newer ones placed approximately (issue 18).
POLYGON_MAHALLES = [
    "Akçakaya", "Alaybeyli", "Ardıç", "Bahçelievler", "Başakpınar", "Cebir", "Çatakdere", "Çevlik", "Çömlekçi",
    "Endürlük", "Han", "Harman", "Kamber", "Kepez", "Kiçiköy", "Koçcağız", "Kuruköprü", "Mengücek", "Mevlana",
    "Örencik", "Reşadiye", "Sakaltutan", "Sosun", "Süleymanlı", "Tablakaya", "Yamaçlı", "Yazyurdu", "Yenidoğan",
    "Yukarı", "Zincidere",
]
APPROXIMATE = ["Anayurt", "Cumhuriyet"]
ALL = sorted(POLYGON_MAHALLES + APPROXIMATE)
REMOVED = ["Ali Dağı", "Bahçeli", "Başdere", "Çevreşehir", "Derebağ", "Erciyes", "Girne", "İnönü",
           "Kazım Karabekir", "Obruk", "Sakarya", "Tavlusun", "Yeni"]


def _tr_upper(s: str) -> str:
    return s.replace("i", "İ").replace("ı", "I").upper()


def _locative(name: str) -> str:
    """Turkish locative for a name: vowel harmony (a/e) and consonant hardening (d/t)."""
    vowel = next((c for c in reversed(name.lower()) if c in "aıoueiöüâ"), "e")
    a = "a" if vowel in "aıouâ" else "e"
    d = "t" if name[-1].lower() in "çfhkpsşt" else "d"
    return d + a


def _ambiguous(name: str) -> bool:
    return next(n for n in neighbourhoods() if n["name"] == name)["ambiguous"]


def _strict(name: str) -> bool:
    return next(n for n in neighbourhoods() if n["name"] == name)["strict"]


def _forms(name: str) -> list[str]:
    """The ways people write a mahalle: marker words, no diacritics, upper case (Turkish and ASCII), suffixes."""
    loc = _locative(name)
    forms = [
        f"{name} Mahallesi'nde çöpler toplanmadı",
        f"{name} mah. yol bozuk",
        f"{fold(name)} mh su yok",
        f"{_tr_upper(name)} MAHALLESİNDE SOKAK LAMBASI YANMIYOR",
        f"{fold(name).upper()} MAH. KOPEKLER VAR",
        f"{_tr_upper(name)} MAHALLESİ'NDE ÇÖP VAR".lower(),  # lowered by a non-Turkish locale (i + U+0307)
    ]
    if not _strict(name):
        forms += [f"{name}'{loc} çukur var", f"{_tr_upper(name)}'{loc.upper()} ÇUKUR VAR"]
        # Glued suffix: capitalised for names that are also ordinary words ("Harmandan"), any case otherwise.
        forms.append(f"Dün {name}{loc}n geçerken gördüm, kaldırım kırık")
        if not _ambiguous(name):
            forms.append(f"{fold(name)}{loc} kaldirim kirik")
    return forms


def test_gazetteer_is_the_boundary_list_plus_the_two_newer_mahalles():
    nbs = neighbourhoods()
    names = sorted(n["name"] for n in nbs)
    assert names == ALL
    shapes = {s.name for s in get_boundaries().mahalles}
    assert shapes == set(POLYGON_MAHALLES)
    for n in nbs:
        assert n["approximate"] == (n["name"] in APPROXIMATE)
        assert 38.50 < n["lat"] < 38.73 and 35.52 < n["long"] < 35.89
        assert isinstance(n["aliases"], list)
    for removed in REMOVED:
        assert removed not in names


def test_taxonomy_and_shapes_only_name_real_mahalles():
    names = {fold(n) for n in ALL}
    for o in get_taxonomy().overrides:
        assert o.neighbourhoods <= names, o.name
    shapes = neighbourhood_shapes()
    assert sorted(s["name"] for s in shapes) == ALL
    for s in shapes:
        assert bool(s["rings"]) != s["approximate"]
        for ring in s["rings"]:
            assert ring[0] == ring[-1] and len(ring) >= 4


@pytest.mark.parametrize("name,text", [(n, t) for n in ALL for t in _forms(n)])
def test_every_mahalle_recognised_in_every_written_form(name, text):
    assert find_neighbourhood(text) == name, text


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Sosun'da yol bozuk, araç geçemiyor", "Sosun"),  # issue 18: a request from Sosun got no neighbourhood
        ("sosunda su yok 2 gündür", "Sosun"),
        ("Harmandan geçen otobüs durmuyor", "Harman"),
        ("Muncusun'da çöpler alınmadı", "Reşadiye"),  # old village name
        ("KOCAGIZ MAH YOLU KAPALI", "Koçcağız"),
        ("Kiçiköy'de su yok", "Kiçiköy"),
        ("Harman'daki metruk bina", "Harman"),
        ("Bahçelievlerde lambalar yanmıyor", "Bahçelievler"),
        ("KİÇİKÖY'DE ELEKTRİK YOK", "Kiçiköy"),
        ("KIÇIKÖY'DE ELEKTRİK YOK", "Kiçiköy"),  # dotless I typed on a non-Turkish keyboard
        ("KİÇİKÖY'DE ELEKTRİK YOK".lower(), "Kiçiköy"),  # lowered outside a Turkish locale: i + U+0307
        ("basakpinarda kopekler cok", "Başakpınar"),
        ("zincderede su kesintisi var", "Zincidere"),  # typo
        ("Sakaltuttan yolu çok bozuk", "Sakaltutan"),  # typo
        ("Yukarı Mahalle'de kaldırım işgal", "Yukarı"),
        ("han mahallesinde gürültü", "Han"),
        ("Sabahtan beri sular yok. Yenidoğan", "Yenidoğan"),
        ("Mevlana meydanındaki wifi çalışmıyor", "Mevlana"),
        ("Anayurt mahallesinde park yok", "Anayurt"),
        ("Kamber köyü yolunda ilaçlama yapılmadı", "Kamber"),  # a former village, named as one
        ("ÇEVLİK KÖYÜNDE SU YOK", "Çevlik"),
        # Found by the hand-written corpora (issue 18): a suffixed name before "sokak"/"bayram" is the place,
        # SMS writes the locative glued in lower case or as a separate word, and roads/junctions/mosques are
        # named after the mahalle.
        ("Kamber'de bayram öncesi cami çevresi yıkansın", "Kamber"),
        ("Mevlana'daki sokak ağaçları çok kısa budandı", "Mevlana"),
        ("HARMAN'DA SOKAK LEVHALARI YOK", "Harman"),
        ("harmanda 3 gündür su yok", "Harman"),
        ("kepez deki evin emlak vergisi ne kadar", "Kepez"),
        ("yamacli da otobus az", "Yamaçlı"),
        ("Kepez yolunda tezgah kurmuşlar", "Kepez"),
        ("yenidogan parkindaki wifi calismiyor", "Yenidoğan"),
        ("harman muhtarligi hangi gun acik", "Harman"),
        ("yukari talas tarafinda kaldirimlar kirik", "Yukarı"),
        ("kamber koyunde su sayaci catladi", "Kamber"),  # folded "köyünde"; "koyunda" would be the sheep
        ("harmandan yaziyorum borc odeme sayfasi acilmiyor", "Harman"),
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
        "ardıç ağacının dalları yola taşmış",
        "cebir dersi için etüt var mı",
        "harman koyun sürüsü yolu kapattı",  # folded "köyün" is "koyun" (sheep): not a marker
        "Salıncağın zincirleri paslanmış",  # two edits from the alias "Zincirdere": typos only around the name
        "Zincirlerin toplanmasını rica ederiz",
        "aksam son arac kacta kalkiyor cumhuriyet meydanina",  # the square in Kayseri's centre
        "Mevlana Sokak'ta lamba yanmıyor",  # a street named after him, not the mahalle
        "Lambalar yanmıyor. Tuba Hanım",  # a signature: "Hanım" is not Han with a suffix
        "kaldırım bozuk, saygılar tuba hanım",
        "",
    ],
)
def test_null_when_no_neighbourhood_is_named(text):
    assert find_neighbourhood(text) is None


@pytest.mark.parametrize(
    "text,district",
    [
        ("Gesi'de çöpler 3 gündür toplanmadı", "Melikgazi"),
        ("Gültepe mahallesinde su kesintisi", "Melikgazi"),
        ("hunat mah. kaldırım kırık", "Melikgazi"),
        ("KIRANARDI MAHALLESİNDE YOL BOZUK", "Melikgazi"),
        ("Esenyurt'ta köpekler saldırıyor", "Melikgazi"),
        ("Kazım Karabekir Mahallesi'nde seyyar satıcı", "Melikgazi"),  # once (wrongly) in the Talas list
        ("Tavlusun'da kaçak yapı var", "Melikgazi"),
        ("Erkilet mahallesinde lamba yanmıyor", "Kocasinan"),
        ("Mimarsinan Mh. konteyner taştı", "Kocasinan"),
        ("Develi'de otobüs durağı yok", "Develi"),
    ],
)
def test_a_neighbouring_districts_mahalle_is_outside_not_the_nearest_talas_one(text, district):
    place = resolve(text)
    assert place.neighbourhood is None and place.outside
    assert district in place.why
    c = classify(text)
    assert c.neighbourhood is None and c.outside_municipality and c.needs_triage
    assert "Talas dışı" in c.explanation


@pytest.mark.parametrize("text", ["Erkilet'e otobüs seferi konulsun", "Gesi'ye giden yol bozuk",
                                  "Erkilet havalimanı servisi", "Melikgazi Belediyesi gibi hizmet bekliyoruz"])
def test_a_neighbouring_place_as_destination_is_not_outside(text):
    place = resolve(text)
    assert not place.outside and place.neighbourhood is None


def test_a_talas_mahalle_named_with_a_neighbouring_place_stays_in_talas():
    assert find_neighbourhood("Sosun'dan Gesi'de çalışmaya gidiyorum, Sosun yolu bozuk") == "Sosun"


def test_address_naming_another_district_is_outside_even_with_a_shared_mahalle_name():
    assert resolve("lamba", address="Bahçelievler Mah. 12. Sk. Kocasinan/Kayseri").outside
    assert find_neighbourhood("lamba", address="Bahçelievler Mah. 12. Sk. Talas/Kayseri") == "Bahçelievler"


# -- coordinates -------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", POLYGON_MAHALLES)
def test_a_point_inside_each_polygon_maps_to_that_mahalle(name):
    lon, lat = get_boundaries().mahalle(name).label  # an interior point computed from the polygon
    assert find_neighbourhood("çukur var", lat=lat, long=lon) == name
    c = classify("çukur var", lat=lat, long=lon)
    assert c.neighbourhood == name and not c.outside_municipality and "konum" in c.explanation


def test_the_polygon_decides_not_the_nearest_centroid():
    # Issue 18: a point in Harman was filed under another mahalle. This one is nearer Bahçelievler's,
    # Han's and Endürlük's old centroids than to Harman's; the polygon says Harman.
    assert find_neighbourhood("çöp", lat=38.6743, long=35.5505) == "Harman"
    # The old gazetteer put Sakaltutan 17 km from where it is; its polygon is in the east of the district.
    assert find_neighbourhood("çöp", lat=38.6047, long=35.7696) == "Sakaltutan"
    assert find_neighbourhood("çöp", lat=38.7035, long=35.6015) is None  # the old "Sakaltutan" point: outside


@pytest.mark.parametrize(
    "lat,long",
    [(38.7205, 35.4878), (38.7312, 35.486), (38.75, 35.38), (39.93, 32.85), (38.70, 35.52)],
)
def test_a_point_outside_the_outline_is_outside_talas(lat, long):
    assert find_neighbourhood("çukur", lat=lat, long=long) is None
    assert not routing.inside_district(lat, long)
    c = classify("Yolda çukur var", lat=lat, long=long)
    assert c.outside_municipality and c.needs_triage and c.neighbourhood is None
    assert "Talas dışı ← konum" in c.explanation


@pytest.mark.parametrize("lat,long", [("bad", None), (None, None), (float("nan"), 35.5), (0, 0), (91, 35)])
def test_invalid_or_missing_coordinates_are_ignored(lat, long):
    c = classify("Kiçiköy'de çöp var", lat=lat, long=long)
    assert c.neighbourhood == "Kiçiköy" and not c.outside_municipality and "konum" not in c.explanation


def test_address_beats_text_and_text_beats_coordinates():
    assert find_neighbourhood("Kiçiköy parkı", address="Harman Mh. Okul Sk.") == "Harman"
    lon, lat = get_boundaries().mahalle("Endürlük").label
    assert find_neighbourhood("Kiçiköy'de çöp", lat=lat, long=lon) == "Kiçiköy"
    assert find_neighbourhood("Çöpler alınmadı", address="Mengücek Mah. 1250. Sk. No:4 Talas/Kayseri") == "Mengücek"
    assert find_neighbourhood("lamba", address="Cumhuriyet Mah. Atatürk Cad. No:12") == "Cumhuriyet"
    assert find_neighbourhood("çöp", address="Talas, Kayseri") is None


def test_text_and_coordinates_disagreeing_is_explained_and_lowers_confidence():
    text = "Sosun'da çöpler toplanmadı, konteynerler taştı"
    alone = classify(text)
    lon, lat = get_boundaries().mahalle("Sosun").label
    agreeing = classify(text, lat=lat, long=lon)
    lon, lat = get_boundaries().mahalle("Harman").label
    disagreeing = classify(text, lat=lat, long=lon)
    assert alone.neighbourhood == agreeing.neighbourhood == disagreeing.neighbourhood == "Sosun"
    assert agreeing.confidence == alone.confidence > 0
    assert disagreeing.confidence < alone.confidence
    assert "konum Harman sınırları içinde, metin Sosun diyor" in disagreeing.explanation
    assert "metin Sosun diyor" not in agreeing.explanation


def test_text_naming_talas_with_coordinates_outside_keeps_the_mahalle_but_says_so():
    c = classify("Sosun'da çöpler toplanmadı", lat=38.7205, long=35.4878)
    assert c.neighbourhood == "Sosun" and not c.outside_municipality
    assert "konum Talas sınırları dışında" in c.explanation


def test_coordinates_in_talas_beat_a_neighbouring_place_in_the_text():
    lon, lat = get_boundaries().mahalle("Mevlana").label
    c = classify("Gesi'de çöpler toplanmadı", lat=lat, long=lon)
    assert c.neighbourhood == "Mevlana" and not c.outside_municipality
    assert "Talas dışını anıyor" in c.explanation


def test_an_approximate_mahalle_agrees_with_the_polygon_it_was_carved_from():
    lon, lat = get_boundaries().mahalle("Yenidoğan").label
    c = classify("Anayurt mahallesinde çöpler toplanmadı", lat=lat, long=lon)
    assert c.neighbourhood == "Anayurt" and "diyor" not in c.explanation
    # Coordinates alone never resolve to a mahalle without a polygon.
    anayurt = next(n for n in neighbourhoods() if n["name"] == "Anayurt")
    assert find_neighbourhood("çöp", lat=anayurt["lat"], long=anayurt["long"]) == "Yenidoğan"


# -- boundary data -----------------------------------------------------------------------------------
def test_shipped_boundaries_keep_attribution_and_are_packaged():
    license_text = (DATA_DIR / "boundaries.LICENSE.txt").read_text(encoding="utf-8")
    assert "cagriozkurt" in license_text and "MIT License" in license_text and "approximate" in license_text
    doc = json.loads((DATA_DIR / "boundaries.geojson").read_text(encoding="utf-8"))
    assert "MIT" in doc["attribution"]
    import tomllib
    from pathlib import Path

    pyproject = tomllib.loads((Path(__file__).resolve().parents[2] / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = pyproject["tool"]["setuptools"]["package-data"]["*"]
    assert "*.geojson" in patterns and "*.txt" in patterns and "*.yaml" in patterns


def test_ray_casting_handles_holes_and_multipolygons():
    square = [[[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]], [[1, 1], [3, 1], [3, 3], [1, 3], [1, 1]]]
    other = [[[10, 10], [11, 10], [11, 11], [10, 11], [10, 10]]]
    s = make_shape("x", "mahalle", [square, other])
    assert s.contains(0.5, 2) and not s.contains(2, 2) and s.contains(10.5, 10.5) and not s.contains(5, 5)
    assert s.contains(*s.label)


def test_boundaries_file_is_replaceable(tmp_path, monkeypatch):
    doc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"level": "district", "name": "Deneme"},
         "geometry": {"type": "Polygon", "coordinates": [[[30, 40], [31, 40], [31, 41], [30, 41], [30, 40]]]}},
        {"type": "Feature", "properties": {"level": "mahalle", "name": "Kiçiköy"},
         "geometry": {"type": "Polygon", "coordinates": [[[30, 40], [31, 40], [31, 41], [30, 40]]]}},
    ]}
    path = tmp_path / "b.geojson"
    path.write_text(json.dumps(doc), encoding="utf-8")
    monkeypatch.setenv("ULAKBEL_BOUNDARIES_FILE", str(path))
    routing.reload()
    assert find_neighbourhood("çöp", lat=40.2, long=30.8) == "Kiçiköy"
    assert routing.inside_district(40.8, 30.2) and find_neighbourhood("çöp", lat=40.8, long=30.2) is None
    assert not routing.inside_district(38.69, 35.55)
    monkeypatch.delenv("ULAKBEL_BOUNDARIES_FILE")
    routing.reload()


def test_bad_boundary_and_gazetteer_files_are_rejected_with_a_clear_error():
    with pytest.raises(ValueError, match="FeatureCollection"):
        compile_boundaries({"type": "Feature"})
    with pytest.raises(ValueError, match="Polygon or MultiPolygon"):
        compile_boundaries({"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": {"name": "x", "level": "mahalle"},
             "geometry": {"type": "Point", "coordinates": [1, 2]}}]})
    with pytest.raises(ValueError, match="needs lat and long"):
        compile_gazetteer({"neighbourhoods": [{"name": "Anayurt", "approximate": True}]})
    with pytest.raises(ValueError, match="the mahalle wins"):
        compile_gazetteer({"neighbourhoods": [{"name": "Harman"}], "outside": {"Melikgazi": ["HARMAN"]}})


def test_a_sliver_between_simplified_polygons_takes_the_nearest_mahalle_but_a_large_hole_does_not():
    def box(x0, x1):
        return {"type": "Polygon", "coordinates": [[[x0, 40], [x1, 40], [x1, 40.1], [x0, 40.1], [x0, 40]]]}

    b = compile_boundaries({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"level": "district", "name": "D"}, "geometry": box(30.0, 30.3)},
        {"type": "Feature", "properties": {"level": "mahalle", "name": "West"}, "geometry": box(30.0, 30.1)},
        {"type": "Feature", "properties": {"level": "mahalle", "name": "East"}, "geometry": box(30.1002, 30.2)},
    ]})
    assert b.locate(40.05, 30.10005).mahalle == "West" and b.locate(40.05, 30.10005).nearest
    assert b.locate(40.05, 30.10018).mahalle == "East" and b.locate(40.05, 30.10018).nearest
    assert b.locate(40.05, 30.15) == PointFix(True, "East")
    assert b.locate(40.05, 30.25).inside and b.locate(40.05, 30.25).mahalle is None  # 4 km from East
    assert not b.locate(40.05, 30.35).inside


def test_mahalles_are_listed_in_turkish_alphabetical_order():
    from chalicelib.understanding.text import collation_key

    names = [n["name"] for n in neighbourhoods()]
    assert names == sorted(names, key=collation_key)
    assert names.index("Cumhuriyet") < names.index("Çatakdere") < names.index("Endürlük")
    assert names.index("Mevlana") < names.index("Örencik") < names.index("Reşadiye")
    assert names.index("Sosun") < names.index("Süleymanlı") < names.index("Tablakaya")
    assert sorted(["İnce", "Irmak", "ılık", "iç"], key=collation_key) == ["ılık", "Irmak", "iç", "İnce"]

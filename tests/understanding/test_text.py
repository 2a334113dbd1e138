from chalicelib.understanding.text import fold, is_suffix, root_matches, tokenize, tr_lower


def test_turkish_casefold_dotted_and_dotless_i():
    assert tr_lower("I") == "ı"
    assert tr_lower("İ") == "i"
    assert tr_lower("ISPARTA İZMİR") == "ısparta izmir"
    assert tr_lower("KIŞIN") == "kışın"
    # Python's generic lower() would give 'i̇' (i + combining dot) for İ; we never do.
    assert "\u0307" not in tr_lower("İSTANBUL")


def test_fold_removes_turkish_diacritics_and_case():
    assert fold("ÇÖPLER TOPLANMADI") == "copler toplanmadi"
    assert fold("çöpler toplanmadı") == fold("cop" + "ler toplanmadi")
    assert fold("Kiçiköy") == fold("KİÇİKÖY") == "kicikoy"
    assert fold("Mevlâna") == "mevlana"
    assert fold("ĞÜŞİÖÇı") == "gusiOci".lower()


def test_apostrophe_suffix_is_split():
    t = tokenize("Kiçiköy'de çöp var")[0]
    assert t.base == "kicikoy" and t.suffix == "de" and t.apostrophe
    assert t.norm == "kicikoyde"
    t2 = tokenize("Harman’daki park")[0]  # typographic apostrophe
    assert t2.base == "harman" and t2.suffix == "daki"


def test_hashtags_emojis_and_caps():
    toks = [t.norm for t in tokenize("#CopToplanmiyor #talas 😡 ÇÖP!!")]
    assert toks == ["cop", "toplanmiyor", "talas", "cop"]


def test_clause_end_and_capitalisation():
    toks = tokenize("Sular yok, ne zaman gelecek? Yenidoğan")
    assert toks[1].clause_end and not toks[0].clause_end
    assert toks[-1].capitalised and toks[-1].clause_end


def test_suffix_grammar():
    for rest in ["", "de", "da", "deki", "ler", "leri", "lerin", "lerde", "imiz", "imize", "in", "yu", "luk"]:
        assert is_suffix(rest), rest
    for rest in ["masini", "cu", "t", "lama", "yor"]:
        assert not is_suffix(rest), rest


def test_root_matching_rules():
    assert root_matches("cop", "copler")
    assert root_matches("yol", "yolda")
    assert not root_matches("yol", "yolcu")  # short roots only take inflection
    assert root_matches("toplan", "toplanmadi")  # long roots take any continuation
    assert not root_matches("su", "sulama")  # two-letter roots must match exactly
    assert root_matches("su", "su")

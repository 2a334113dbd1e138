"""One string catalogue (issue 19): every user-facing text of the console, the analytics pages, /seffaf and the
citizens' app lives in chalicelib/domain/strings.yaml with Turkish and English; pages, handlers and scripts name
keys. These tests fail when a template grows an inline "Türkçe / English" pair again, when a key is used that
the catalogue lacks (or the catalogue keeps a key nobody uses), and when an icon needs an emoji font."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "chalicelib" / "web"
APP = ROOT / "chalicelib" / "open311" / "webapp"
CATALOGUE = ROOT / "chalicelib" / "domain" / "strings.yaml"
TEMPLATES = sorted((WEB / "templates").glob("*.html")) + sorted(APP.glob("*.html"))
USECASES = sorted((ROOT / "chalicelib" / "usecases").glob("*.py"))
HANDLERS = sorted((ROOT / "chalicelib" / "handlers").rglob("*.py"))
PY_USERS = sorted(WEB.glob("*.py")) + HANDLERS + USECASES + [ROOT / "chalicelib" / "domain" / "texts.py"]  # api.*: use-case and API errors
# Words a page may show as they are: product and format names, not language.
NOT_LANGUAGE = {"Ulakbel", "ulakbel", "CSV", "XLSX", "JSON", "Excel", "ABCD", "Enter", "Esc", "TurkeyGeoJSON", "MIT"}
# Texts a page fills in at run time from a family of keys ('imp.result_' ~ r.result, 'kvkk.' ~ s ~ '_h').
DYNAMIC_PREFIXES = ("channel.", "status.", "kind.", "delivery.", "flash.", "imp.result_", "kvkk.", "event.")
WORD = re.compile(r"[A-Za-zÇĞİÖŞÜçğıöşüâîû]{2,}")


def raw_catalogue() -> dict:
    return yaml.safe_load(CATALOGUE.read_text(encoding="utf-8"))


# -- the catalogue itself ------------------------------------------------------------------------------------
def test_every_key_has_turkish_and_english():
    raw = raw_catalogue()
    assert len(raw) > 300  # the whole console, analytics, /seffaf and the app
    bad = [k for k, v in raw.items()
           if not isinstance(v, dict) or set(v) != {"tr", "en"} or not all(isinstance(v[x], str) and v[x].strip()
                                                                           for x in ("tr", "en"))]
    assert bad == []


def test_the_catalogue_has_no_duplicate_keys():
    keys = re.findall(r"^([A-Za-z0-9_.]+):", CATALOGUE.read_text(encoding="utf-8"), re.M)
    assert len(keys) == len(set(keys)), sorted({k for k in keys if keys.count(k) > 1})


def test_loading_refuses_a_key_without_english(tmp_path, monkeypatch):
    from chalicelib.domain import texts as strings

    bad = tmp_path / "strings.yaml"
    bad.write_text("a.b: {tr: Merhaba}\n", encoding="utf-8")
    monkeypatch.setattr(strings, "FILE", bad)
    strings.catalogue.cache_clear()
    try:
        with pytest.raises(ValueError, match="a.b"):
            strings.catalogue()
    finally:
        strings.catalogue.cache_clear()


def test_municipality_comes_from_configuration_not_from_the_texts(monkeypatch):
    from chalicelib.domain import texts
    from chalicelib.web import strings

    raw = CATALOGUE.read_text(encoding="utf-8").lower()
    assert "talas" not in raw
    assert "kvkk@talas.bel.tr" in strings.tr("kvkk.rights")  # from municipalities/talas/municipality.yaml
    monkeypatch.setattr(texts, "municipality_values",
                        lambda: {"municipality": "Melikgazi Belediyesi", "municipality_en": "Municipality of Melikgazi",
                                 "town": "Melikgazi", "province": "Kayseri", "privacy_email": "kvkk@melikgazi.bel.tr"})
    assert strings.tr("kvkk.controller").startswith("Melikgazi Belediyesi (Kayseri).")
    assert "kvkk@melikgazi.bel.tr" in strings.en("kvkk.rights") and "Talas" not in strings.tr("kvkk.rights")
    assert "the Municipality of Melikgazi" in strings.en("app.kvkk")
    assert strings.tr("pub.heading") == "Melikgazi Belediyesi: Şeffaf belediye"
    assert strings.both("inbox.selected", n=3) == "3 seçili / 3 selected"
    assert str(strings.t("nav.inbox")) == 'Gelen kutusu <small lang="en">Inbox</small>'
    assert "&lt;b&gt;" in str(strings.t("req.merge_into", code="<b>"))  # values are escaped in markup


# -- keys used exist, keys kept are used ---------------------------------------------------------------------
def used_keys() -> tuple[set[str], set[str]]:
    """(full keys, key prefixes built at run time) named by templates, Python and scripts."""
    keys: set[str] = set()
    prefixes: set[str] = set()
    families = {k.split(".", 1)[0] for k in raw_catalogue()}  # nav, inbox, req, …: not 'data.media_url'
    for path in TEMPLATES:
        text = path.read_text(encoding="utf-8")
        for call in re.finditer(r"\b(?:t|tr|en|both)\(\s*'([^']+)'", text):
            (prefixes if call.group(1).endswith((".", "_")) else keys).add(call.group(1))
        for lit in re.finditer(r"'([a-z_]+)(\.[a-z_.]*)'", text):  # keys in expressions ('a' if x else 'b')
            if lit.group(1) not in families:
                continue
            key = lit.group(1) + lit.group(2)
            (prefixes if key.endswith((".", "_")) else keys).add(key)
    for path in PY_USERS:
        text = path.read_text(encoding="utf-8")
        for call in re.finditer(r"\b(?:t|tr|en|both|_pair)\(\s*[\"']([a-z_]+\.[a-z0-9_]+)[\"']", text):
            keys.add(call.group(1))
        for call in re.finditer(r"\b(?:group|for_script)\(\s*[\"']([a-z_]+)[\"']", text):
            prefixes.add(call.group(1) + ".")
        for lit in re.finditer(r"f?\"(flash|event|js|app_js|app_sw)\.[^\"]*\"", text):
            prefixes.add(lit.group(1) + ".")
    js = "\n".join(p.read_text(encoding="utf-8") for p in sorted((WEB / "static").glob("*.js")))
    keys |= {"js." + k for k in re.findall(r"ulakbelText\(\s*(?:limit \? )?\"([a-z_]+)\"", js)}
    keys |= {"js." + k for k in re.findall(r"\? \"([a-z_]+)\" : \"([a-z_]+)\"", js) for k in k}
    app = (APP / "app.js").read_text(encoding="utf-8")
    keys |= {"app_js." + k for k in re.findall(r"\bL\(\s*\"([a-z_]+)\"", app)}
    sw = (APP / "sw.js").read_text(encoding="utf-8")
    keys |= {"app_sw." + k for k in re.findall(r"STRINGS\.([a-z_]+)", sw)}
    manifest = (APP / "manifest.webmanifest").read_text(encoding="utf-8")
    keys |= set(re.findall(r"\"(app\.manifest_[a-z_]+)\"", manifest))
    return keys, prefixes


def test_every_key_used_exists():
    keys, prefixes = used_keys()
    catalogue = set(raw_catalogue())
    assert len(keys) > 250
    assert sorted(keys - catalogue) == []
    assert sorted(p for p in prefixes if not any(k.startswith(p) for k in catalogue)) == []


def test_every_key_kept_is_used():
    keys, prefixes = used_keys()
    unused = [k for k in raw_catalogue() if k not in keys and not k.startswith(DYNAMIC_PREFIXES + tuple(prefixes))]
    assert unused == []


def test_scripts_only_show_catalogue_texts():
    """No Turkish or "tr / en" literal in the page scripts: their words arrive as JSON from the catalogue."""
    for path in (*sorted((WEB / "static").glob("*.js")), APP / "app.js", APP / "sw.js"):
        code = re.sub(r"//[^\n]*", "", path.read_text(encoding="utf-8"))
        literals = re.findall(r"\"([^\"\n]*)\"", code)
        offending = [s for s in literals if re.search(r"[çğıöşüÇĞİÖŞÜ]", s) or re.search(r"\w \/ \w", s)]
        offending = [s for s in offending if "ΓΛΩ" not in s]  # the GSM 03.38 alphabet of the SMS counter
        assert offending == [], path.name


# -- templates carry keys, not inline text pairs ---------------------------------------------------------------
class _Text(HTMLParser):
    """Visible text and the text attributes of a template with every Jinja expression/statement removed."""

    ATTRS = ("aria-label", "title", "placeholder", "alt", "label")

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "code"):  # code: a command to type, not language
            self._skip += 1
        for name, value in attrs:
            if name in self.ATTRS and value:
                self.found.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style", "code"):
            self._skip = max(0, self._skip - 1)

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.found.append(data)


def literal_text(template: str) -> list[str]:
    """Words a template shows that do not come from the catalogue (or from data): language written inline."""
    stripped = re.sub(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", " ", template, flags=re.S)
    stripped = re.sub(r"(?<![\w<])/[\w/.-]+", " ", stripped)  # a URL path shown as a link text
    parser = _Text()
    parser.feed(stripped)
    words = [w for chunk in parser.found for w in WORD.findall(chunk) if w not in NOT_LANGUAGE]
    return words


def test_the_checker_catches_inline_pairs():
    assert literal_text("<h1>Gelen kutusu <small>Inbox</small></h1>") == ["Gelen", "kutusu", "Inbox"]
    assert literal_text('<option value="">Tümü / All</option>') == ["Tümü", "All"]
    assert literal_text('<a aria-label="Seç / select {{ code }}">x</a>') == ["Seç", "select"]
    assert literal_text("<h1>{{ t('inbox.title') }}</h1><td>{{ r.text }}</td>") == []


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.name)
def test_templates_have_no_inline_text(path):
    assert literal_text(path.read_text(encoding="utf-8")) == []


# -- icons render without an emoji font ------------------------------------------------------------------------
# Characters drawn from a colour-emoji font by default (Unicode Emoji_Presentation in the BMP) and the emoji
# variation selector; everything above the BMP counts too. ✓ ✔ ✗ (text presentation) are in ordinary fonts.
EMOJI_BMP = set("⌚⌛⏩⏪⏫⏬⏰⏳◽◾☔☕♈♉♊♋♌♍♎♏♐♑♒♓♿⚓⚡⚪⚫⚽⚾⛄⛅⛎⛔⛪⛲⛳⛵⛺⛽✅✊✋✨❌❎❓❔❕❗➕➖➗➰➿⬛⬜⭐⭕\ufe0f")


def emoji_in(text: str) -> list[str]:
    return [ch for ch in text if ch in EMOJI_BMP or ord(ch) > 0xFFFF]


def test_the_emoji_check_catches_emoji():
    assert emoji_in("📍 Konum") == ["📍"] and emoji_in("✅") == ["✅"] and emoji_in("✓✓ ✔ ✗ → ←") == []


def test_pages_scripts_and_catalogue_have_no_emoji_icons():
    files = [*TEMPLATES, CATALOGUE, *(WEB / "static").glob("*.js"), WEB / "static" / "console.css",
             APP / "app.js", APP / "sw.js", APP / "app.css", *WEB.glob("*.py")]
    found = {p.name: emoji_in(p.read_text(encoding="utf-8")) for p in files}
    assert {k: v for k, v in found.items() if v} == {}


# -- the citizens' app: tabs are tabs ---------------------------------------------------------------------------
def test_app_tabs_carry_tab_roles_and_selection():
    from chalicelib.web.render import render_app

    class Tabs(HTMLParser):
        def __init__(self):
            super().__init__()
            self.tablist, self.tabs, self.panels = 0, [], {}

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if a.get("role") == "tablist" and a.get("aria-label"):
                self.tablist += 1
            if a.get("role") == "tab":
                self.tabs.append(a)
            if a.get("role") == "tabpanel":
                self.panels[a.get("id")] = a

    page = Tabs()
    page.feed(render_app("index.html"))
    assert page.tablist == 1 and len(page.tabs) == 2
    assert [t.get("aria-selected") for t in page.tabs] == ["true", "false"]
    assert page.tabs[1].get("tabindex") == "-1"  # roving tabindex: arrows move between tabs
    for tab in page.tabs:  # each tab names its panel, and the panel names the tab back
        panel = page.panels[tab["aria-controls"]]
        assert panel["aria-labelledby"] == tab["id"]


# -- use cases and handlers: error messages come from the catalogue (api.*), not inline pairs --------------------
ERRORS = {"InvalidInput", "Unauthenticated", "Forbidden", "NotFound", "Conflict", "InvalidTransition", "PayloadTooLarge",
          "UnsupportedMediaType", "RateLimited", "TemporarilyUnavailable", "ConfigurationError", "NotRoutedYet",
          "InvalidApiKey", "ValueError"}
PAIR = re.compile(r"[\w'.!)}] / [\w'({]")


def inline_error_pairs(source: str) -> list[str]:
    """'Türkçe / English' literals where an error is made: raised, built (an error class called) or answered
    as an error body's "message"."""
    import ast

    found = []
    for node in ast.walk(ast.parse(source)):
        spots = []
        if isinstance(node, ast.Raise):
            spots.append(node)
        elif isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) in ERRORS:
            spots.append(node)
        elif isinstance(node, ast.Dict):
            spots += [v for k, v in zip(node.keys, node.values)
                      if isinstance(k, ast.Constant) and k.value == "message"]
        for spot in spots:
            parts = set()
            for sub in ast.walk(spot):
                if isinstance(sub, ast.JoinedStr):  # an f-string: its text with "{}" for each value
                    parts |= {id(v) for v in sub.values}
                    text = "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in sub.values)
                elif isinstance(sub, ast.Constant) and isinstance(sub.value, str) and id(sub) not in parts:
                    text = sub.value
                else:
                    continue
                if PAIR.search(text):
                    found.append(f"{sub.lineno}: {text[:70]}")
    return sorted(set(found))


def test_the_error_checker_catches_inline_pairs():
    assert inline_error_pairs('raise NotFound("Talep yok / no request")') == ["1: Talep yok / no request"]
    assert inline_error_pairs('e = RateLimited(f"Çok {n} / too many {n}")') == ["1: Çok {} / too many {}"]
    assert inline_error_pairs('x = {"error": {"code": "c", "message": "Olmadı / failed"}}') == ["1: Olmadı / failed"]
    assert inline_error_pairs('raise NotFound(both("api.request_not_found"))') == []
    assert inline_error_pairs('summary = f"[gecikti / overdue] {t}"') == []  # not an error: a queue summary


@pytest.mark.parametrize("path", USECASES + HANDLERS, ids=lambda p: str(p.relative_to(ROOT / "chalicelib")))
def test_use_case_and_api_errors_come_from_the_catalogue(path):
    assert inline_error_pairs(path.read_text(encoding="utf-8")) == []

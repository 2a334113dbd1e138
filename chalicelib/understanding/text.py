"""Turkish text normalisation for matching citizen messages.

Why hand-rolled: Python's str.lower() gets Turkish wrong ("I".lower() == "i", "İ".lower() == "i̇"), and
citizens mix diacritics, ALL CAPS, hashtags, emojis and glued suffixes. Everything here is pure Python with
precompiled regexes so a message is normalised in microseconds; the heavier snowball stemmer is imported
lazily and only used for similarity and as a fallback.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..domain.turkish import fold, lower as tr_lower  # the one Turkish casing and folding

_APOSTROPHES = "'’`´‘ʼ"

# Turkish inflection suffixes, written folded (ı→i, ü→u, ö→o). Used to decide whether the rest of a word
# after a short root or a place name is "just grammar" ("Kiçiköy'de", "yolda", "çöpleri", "Bahçelievlerde").
_SUFFIX_RE = re.compile(
    r"(?:l[iu]k|s[iu]z)?"  # derivation: çöplük, susuz
    r"(?:l[ae]r)?"  # plural
    r"(?:[iu]m[iu]z|[iu]n[iu]z|m[iu]z|n[iu]z|l[ae]r[iu]|[iu]m|[iu]n|s[iu]|[iu])?"  # possessive
    r"(?:n?[dt][ae]n|n?[dt][ae]|n?[iu]n|y?l[ae]|y?[iu]|y?[ae]|n[iu]|n[ae])?"  # case
    r"(?:ki(?:n?[dt][ae]|n?[iu]n|n[iu]|n[ae])?)?"  # -ki (Kiçiköy'deki)
    r"(?:d[iu]r|t[iu]r|y?d[iu]|y?m[iu]s)?"  # copula
)
# Case endings that make an ambiguous word a place ("Harman'daki", "Han'da", "Cumhuriyet'ten").
LOCATIVE_SUFFIXES = frozenset(
    "de da te ta deki daki teki taki den dan ten tan e a ye ya ne na nde nda ndeki ndaki nden ndan".split()
)

_TOKEN_RE = re.compile(r"[^\W\d_]+(?:[" + _APOSTROPHES + r"][^\W\d_]+)?")
_HASHTAG_RE = re.compile(r"#([^\W_][\w]*)")
_CAMEL_RE = re.compile(r"(?<=[a-zçğıöşü])(?=[A-ZÇĞİÖŞÜ])")
_CLAUSE_END_RE = re.compile(r"[.,!?;:\n()\-–—/]")


@lru_cache(maxsize=32768)
def _fold_word(word: str) -> str:
    """fold() of one word, memoised: a message repeats the district's small vocabulary."""
    return fold(word)


_TR_ALPHABET = "abcçdefgğhıijklmnoöprsştuüvwxyz"
_TR_RANK = {c: i for i, c in enumerate(_TR_ALPHABET)}


def collation_key(text: str) -> tuple[int, ...]:
    """Turkish alphabetical order (Ç after C, İ/I and i/ı distinct, Ö after O, Ş after S, Ü after U)."""
    s = tr_lower(text).replace("â", "a").replace("î", "i").replace("û", "u")
    return tuple(_TR_RANK.get(c, 100 + ord(c)) for c in s)


def is_suffix(rest: str) -> bool:
    """True when `rest` (folded) is empty or a chain of inflection suffixes."""
    return not rest or _SUFFIX_RE.fullmatch(rest) is not None


@dataclass(frozen=True, slots=True)
class Token:
    """One word: `norm` is folded without the apostrophe; `base`/`suffix` split at the apostrophe."""

    raw: str
    norm: str
    base: str
    suffix: str
    apostrophe: bool
    capitalised: bool
    clause_end: bool


def _expand_hashtags(text: str) -> str:
    # "#CopToplanmiyor" -> "Cop Toplanmiyor": hashtags are often camel-cased phrases.
    return _HASHTAG_RE.sub(lambda m: " " + _CAMEL_RE.sub(" ", m.group(1)) + " ", text)


def tokenize(text: str) -> list[Token]:
    """Split into word tokens, remembering apostrophe suffixes, capitalisation and clause ends."""
    if "#" in text:
        text = _expand_hashtags(text)
    if "\u0307" in text:
        # "İ".lower() outside a Turkish locale is "i" + COMBINING DOT ABOVE ("KİÇİKÖY".lower() == "ki̇çi̇köy"),
        # which would split words at the dot.
        text = text.replace("i\u0307", "i").replace("I\u0307", "İ")
    tokens: list[Token] = []
    matches = list(_TOKEN_RE.finditer(text))
    n = len(matches)
    clause_search = _CLAUSE_END_RE.search
    for i, m in enumerate(matches):
        raw = m.group(0)
        clause_end = i + 1 == n or clause_search(text, m.end(), matches[i + 1].start()) is not None
        tok = _TOKENS.get((raw, clause_end))
        if tok is None:
            tok = _token(raw, clause_end)
        tokens.append(tok)
    return tokens


# (word as written, clause end) → Token: a Token depends on nothing else, and citizens reuse a small vocabulary.
_TOKENS: dict[tuple[str, bool], Token] = {}


def _token(raw: str, clause_end: bool) -> Token:
    apostrophe = False
    base_raw, suffix_raw = raw, ""
    for ch in _APOSTROPHES:
        if ch in raw:
            base_raw, suffix_raw = raw.split(ch, 1)
            apostrophe = True
            break
    base = _fold_word(base_raw)
    suffix = _fold_word(suffix_raw) if suffix_raw else ""
    tok = Token(raw=raw, norm=base + suffix, base=base, suffix=suffix, apostrophe=apostrophe,
                capitalised=raw[:1].isupper(), clause_end=clause_end)
    if len(_TOKENS) >= 50_000:
        _TOKENS.clear()
    _TOKENS[(raw, clause_end)] = tok
    return tok


def words(text: str) -> list[str]:
    """Folded words of a keyword or phrase (same tokenisation as messages)."""
    return [t.norm for t in tokenize(text)]


def softened(root: str) -> str | None:
    """Consonant softening before a vowel suffix: köpek→köpeğ(i), kitap→kitab(ı). Folded forms."""
    last = root[-1:]
    if len(root) >= 3 and last in "ktp":
        return root[:-1] + {"k": "g", "t": "d", "p": "b"}[last]
    return None


def root_matches(root: str, word: str) -> bool:
    """Does keyword root `root` match message word `word` (both folded)?

    Roots of 2 letters must match exactly; roots of 3-4 letters may only be followed by inflection
    suffixes; longer roots match any word that starts with them (derivations like 'toplan-madı').
    """
    if word == root:
        return True
    if len(root) <= 2 or not word.startswith(root):
        return False
    if len(root) >= 5:
        return True
    return is_suffix(word[len(root) :])


@lru_cache(maxsize=8192)
def strip_suffixes(word: str) -> str:
    """Shortest root (>= 3 letters) whose remainder is pure inflection: 'copler' -> 'cop'. Folded input.

    Works on text written without diacritics, where the snowball stemmer (which needs ç/ö/ü to apply
    vowel harmony) leaves 'copler' untouched.
    """
    for cut in range(3, len(word)):
        if is_suffix(word[cut:]):
            return word[:cut]
    return word


_STEMMER = None


@lru_cache(maxsize=8192)
def stem(word: str) -> str:
    """Snowball Turkish stem of one word, folded. Cached: the stemmer is pure Python (~50 µs/word)."""
    global _STEMMER
    if _STEMMER is None:
        import snowballstemmer  # lazy: ~20 ms import, not needed for most messages

        _STEMMER = snowballstemmer.stemmer("turkish")
    return fold(_STEMMER.stemWord(tr_lower(word)))


def has_emoji(text: str, emojis: tuple[str, ...]) -> str | None:
    for e in emojis:
        if e in text:
            return e
    return None

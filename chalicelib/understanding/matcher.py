"""Keyword and phrase matching over folded Turkish words: the compiled patterns of the taxonomy (categories
and kinds) indexed by their first two letters, and the scoring of non-overlapping matches."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from .text import root_matches, softened, words


@dataclass(frozen=True, slots=True)
class Pattern:
    label: str
    words: tuple[tuple[str, ...], ...]  # per word: accepted folded roots (incl. softened form)
    weight: float
    surface: str


class Matcher:
    """Finds keyword/phrase occurrences in a folded word list. Labels are category codes or kinds."""

    def __init__(self, entries: Iterable[tuple[str, str, float]]):
        self.patterns: list[Pattern] = []
        self.index: dict[str, list[int]] = {}
        self.single_roots: dict[str, set[str]] = {}  # first two letters -> single-word roots (for fuzzy)
        self._first: dict[str, tuple[int, ...]] = {}  # word -> patterns whose first word matches it (memo)
        seen: set[tuple[str, tuple[str, ...]]] = set()
        for label, phrase, weight in entries:
            ws = words(phrase)
            if not ws:
                continue
            key = (label, tuple(ws))
            if key in seen:
                continue
            seen.add(key)
            alts = tuple(tuple(a for a in (w, softened(w)) if a) for w in ws)
            pid = len(self.patterns)
            self.patterns.append(Pattern(label, alts, weight, phrase))
            for key in {a[:2] for a in alts[0]}:
                self.index.setdefault(key, []).append(pid)
            if len(ws) == 1 and len(ws[0]) >= 5:
                self.single_roots.setdefault(ws[0][:2], set()).add(ws[0])

    def _starting_with(self, w: str) -> tuple[int, ...]:
        """Patterns whose first word matches `w`, memoised per word: citizens reuse a small vocabulary, so
        after warm-up a message costs one dict look-up per word instead of a root test per candidate."""
        r = self._first.get(w)
        if r is None:
            patterns = self.patterns
            r = tuple(pid for pid in self.index.get(w[:2], ())
                      if any(root_matches(a, w) for a in patterns[pid].words[0]))
            if len(self._first) >= 50_000:
                self._first.clear()
            self._first[w] = r
        return r

    def find(self, norms: list[str]) -> list[tuple[str, int, int, float, str]]:
        """All (label, start, length, weight, surface) matches."""
        out = []
        n = len(norms)
        patterns = self.patterns
        for i, w in enumerate(norms):
            for pid in self._starting_with(w):
                p = patterns[pid]
                L = len(p.words)
                if i + L > n:
                    continue
                for j in range(1, L):
                    tw = norms[i + j]
                    for a in p.words[j]:
                        if root_matches(a, tw):
                            break
                    else:
                        break
                else:
                    out.append((p.label, i, L, p.weight, p.surface))
        return out

    def known(self, word: str) -> bool:
        """True when some pattern word matches `word` on its own."""
        for pid in self.index.get(word[:2], ()):
            for a in self.patterns[pid].words[0]:
                if root_matches(a, word):
                    return True
        return False


def score(matches: list[tuple[str, int, int, float, str]]) -> dict[str, tuple[float, list[tuple[int, int, str]]]]:
    """Per label: sum of weights of non-overlapping matches (longest first), with the words that counted."""
    by_label: dict[str, list[tuple[str, int, int, float, str]]] = {}
    for m in matches:
        by_label.setdefault(m[0], []).append(m)
    result = {}
    for label, ms in by_label.items():
        ms.sort(key=lambda m: (-m[2], -m[3], m[1]))
        used: set[int] = set()
        surfaces: set[str] = set()
        total = 0.0
        evidence: list[tuple[int, int, str]] = []
        for _, start, length, weight, surface in ms:
            span = range(start, start + length)
            if any(p in used for p in span) or surface in surfaces:
                continue
            used.update(span)
            surfaces.add(surface)
            total += weight
            evidence.append((start, length, surface))
        result[label] = (total, evidence)
    return result

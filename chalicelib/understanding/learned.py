"""The learned classifier (issue 18): linear models trained with scikit-learn, run here in pure Python.

Why pure Python: the Lambda package carries no numpy/scipy. The weights (chalicelib/understanding/data/
model.json.gz, written by `ulakbel train`) are a sparse map feature → [(class, weight)], so a message costs a
few hundred dict look-ups. Two heads: category (41 classes; the department's probability is the sum of its
categories', so category and department never disagree) and kind (5). Probabilities are softmax over the
linear scores divided by a temperature fitted on the dev split (calibration). Deterministic: no hashing with
Python's randomised hash(), sums in feature order.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from ..domain import data_files
from .data import get_taxonomy, score
from .features import message_features, other_features, text_parts, word_keys
from .kind_rules import kind_scores
from .model_cache import LOADED, reset_model  # noqa: F401  (reset_model re-exported)
from .model_file import (  # noqa: F401  (re-exported: the model file's readers and writer)
    DOC_FORMAT, FILE_FORMAT, file_document, load_model, model_from_document, read_document)
from .text import Token, tokenize
from .weights import Head, Model, _head, _softmax, strongest  # noqa: F401  (re-exported: _head for the trainer's tests)

DATA_DIR = Path(__file__).resolve().parent / "data"
MODEL_FILE = DATA_DIR / "model.json.gz"


_MODEL = LOADED  # the cache list (model_cache.py); tests may swap it


def get_model() -> Model | None:
    """The shipped (or ULAKBEL_MODEL_FILE) model, loaded once; None when no model file exists."""
    if not _MODEL:
        path = data_files.path("model", MODEL_FILE)  # ULAKBEL_MODEL_FILE, read by the settings
        _MODEL.append(load_model(path) if path.exists() else None)
    return _MODEL[0]




_DEPARTMENTS: dict = {}


def _departments(tax) -> dict[str, str]:
    """category → department of this taxonomy (built once per loaded taxonomy, not per message)."""
    r = _DEPARTMENTS.get(id(tax))
    if r is None or r[0] is not tax:
        _DEPARTMENTS.clear()
        r = _DEPARTMENTS[id(tax)] = (tax, {c: cat.department for c, cat in tax.categories.items()})
    return r[1]


def analyse(text: str) -> tuple[list[Token], dict, dict, dict, dict[str, float]]:
    """Tokens, keyword-rule matches per category, kind-rule scores and evidence, and the model's features."""
    tax = get_taxonomy()
    tokens = tokenize(text)
    norms = [t.norm for t in tokens]
    scored = score(tax.matcher.find(norms))
    kscores, kevidence = kind_scores(tax, text, tokens, norms)
    departments = _departments(tax)
    feats = message_features(tokens, text, scored, departments, kscores)
    return tokens, scored, kscores, kevidence, feats


@dataclass(frozen=True, slots=True)
class Read:
    """What classify() needs of one message, without building the full feature dict (`analyse` builds it for
    training): tokens, the keyword rules' matches, the kind rules' scores and evidence, and the model's input
    as words, prefix bigrams and the other (rule and shape) features."""

    tokens: list[Token]
    scored: dict
    kscores: dict
    kevidence: dict
    words: list[str]
    bigrams: list[str]
    other: dict[str, float]

    def scale(self) -> float:
        """The value of every text feature (1/√ of their number), as in `features.text_features`."""
        n = len(text_keys_of(self.words, self.bigrams))
        return 1.0 / math.sqrt(n) if n else 0.0


def text_keys_of(words: list[str], bigrams: list[str]) -> dict[str, None]:
    keys: dict[str, None] = {}
    for w in words:
        keys.update(dict.fromkeys(word_keys(w)))
    keys.update(dict.fromkeys(bigrams))
    return keys


def read(text: str) -> Read:
    tax = get_taxonomy()
    tokens = tokenize(text)
    norms = [t.norm for t in tokens]
    scored = score(tax.matcher.find(norms))
    kscores, kevidence = kind_scores(tax, text, tokens, norms)
    words, bigrams = text_parts(tokens)
    other = other_features(tokens, text, scored, _departments(tax), kscores)
    return Read(tokens, scored, kscores, kevidence, words, bigrams, other)


def predict_read(model: Model, r: Read) -> Prediction:
    return prediction(model, model.joint.text_scores(r.words, r.bigrams, r.other))


def top_words(head: Head, r: Read, cls: int, n: int = 3) -> list[str]:
    """`Head.top_features(feats, cls)` of the message's word features, which all weigh `r.scale()`."""
    v = r.scale()
    return strongest(((head.weight("w=" + w, cls), v, w) for w in dict.fromkeys(r.words)), n)


@dataclass(frozen=True, slots=True)
class Prediction:
    category: str
    department: str
    kind: str
    confidence: float  # calibrated P(department)
    kind_confidence: float
    category_proba: dict[str, float]
    kind_proba: dict[str, float]
    department_proba: dict[str, float]


def predict(model: Model, feats: dict[str, float]) -> Prediction:
    return prediction(model, model.joint.scores(feats))


def prediction(model: Model, z: list[float]) -> Prediction:
    """Probabilities and decisions from the joint scores (category classes, then kind classes)."""
    cats = model.category.classes
    n = len(cats)
    cp = _softmax(z[:n], model.category.temperature)
    kp = _softmax(z[n:], model.kind.temperature)
    depts = _departments_of(model)
    dept_p: dict[str, float] = {}
    for d, p in zip(depts, cp):  # summed in category order, as always
        dept_p[d] = dept_p.get(d, 0.0) + p
    dept = max(sorted(dept_p), key=dept_p.__getitem__)
    ci = max((i for i, d in enumerate(depts) if d == dept), key=cp.__getitem__)
    ki = max(range(len(kp)), key=kp.__getitem__)
    return Prediction(
        category=cats[ci], department=dept, kind=model.kind.classes[ki], confidence=dept_p[dept],
        kind_confidence=kp[ki], category_proba=dict(zip(cats, cp)), kind_proba=dict(zip(model.kind.classes, kp)),
        department_proba=dept_p)


_DEPTS_OF: list = []  # [model, (department of each category class)]


def _departments_of(model: Model) -> tuple[str, ...]:
    if not _DEPTS_OF or _DEPTS_OF[0] is not model:
        _DEPTS_OF[:] = [model, tuple(model.category_department[c] for c in model.category.classes)]
    return _DEPTS_OF[1]

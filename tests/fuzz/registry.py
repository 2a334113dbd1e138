"""The fuzz registry: every parser of outside input, with realistic samples to mutate.

A parser passes when, for random and mutated input, it either returns a valid result or rejects the input
with one of its declared clean errors (ValueError, pydantic ValidationError, a DomainError → 4xx) — never
any other exception. Channel parsers (chalicelib/channels/<platform>/inbound.py) register here with their
recorded fixtures (tests/fixtures/<channel>/) and are fuzzed by tests/fuzz/test_parsers.py automatically:

    from tests.fuzz.registry import register
    register("meta.inbound", lambda raw: parse_meta(raw, headers), samples=[...], kind="bytes")
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@dataclass
class ParserCase:
    name: str
    parse: Callable[[Any], Any]
    samples: list[Any]
    kind: str = "json"  # "json" (dict/list payloads), "text" (str) or "bytes"
    clean_errors: tuple[type[BaseException], ...] = ()
    check: Callable[[Any, Any], None] | None = None  # (input, result) -> assert the result is valid
    extra: dict[str, Any] = field(default_factory=dict)


PARSERS: dict[str, ParserCase] = {}


def register(name: str, parse: Callable[[Any], Any], *, samples: list[Any], kind: str = "json",
             clean_errors: tuple[type[BaseException], ...] = (), check: Callable | None = None) -> ParserCase:
    from pydantic import ValidationError

    from chalicelib.domain.errors import DomainError

    case = ParserCase(name, parse, samples, kind, clean_errors or (ValueError, ValidationError, DomainError), check)
    PARSERS[name] = case
    return case


def fixture_samples(channel: str, pattern: str = "*.json") -> list[Any]:
    """Recorded payloads of a channel (tests/fixtures/<channel>/), parsed as JSON where possible."""
    out = []
    for path in sorted((FIXTURES / channel).glob(pattern)):
        raw = path.read_bytes()
        try:
            out.append(json.loads(raw))
        except ValueError:
            out.append(raw)
    return out


# -- the parsers that exist on the foundation ---------------------------------------------------------------

def _builtin() -> None:
    from chalicelib.domain.contact import normalise_phone
    from chalicelib.domain.models import Citizen, IntakeCommand, Location, RequestCreate, StatusChange
    from chalicelib.routing import classify
    from chalicelib.routing.text import fold, tokenize, tr_lower

    texts = ["Sokak lambası yanmıyor", "ÇÖPLER TOPLANMADI!!! @belediye #talas", "Harman'daki parkta salıncak kırık",
             "İIıi ŞĞÜÖÇ emoji 🚮🕳️", "", " \n\t", "0532 111 22 33 numaralı telefondan arıyorum"]

    def classified(text, result):
        assert result is not None
        assert 0.0 <= float(getattr(result, "confidence", 0.0)) <= 1.0

    register("routing.classify", lambda t: classify(t), samples=texts, kind="text", check=classified)
    register("routing.text", lambda t: (tr_lower(t), fold(t), tokenize(t)), samples=texts, kind="text")

    def e164(raw, out):
        assert out.startswith("+") and out[1:].isdigit()

    register("contact.normalise_phone", normalise_phone, kind="text", check=e164,
             samples=["0532 111 22 33", "+90 (532) 111-22-33", "00905321112233", "5321112233", "312 444 55 66"])
    register("model.Citizen", Citizen.model_validate, samples=[
        {"name": "Deneme Vatandaş", "phone": "0532 111 22 33", "email": "a@b.co", "tc_kimlik_no": "10000000146"},
        {"handle": "@vatandas", "platform_id": "1234567890"}, {}])
    register("model.Location", Location.model_validate,
             samples=[{"address": "Cumhuriyet Cd. No:5", "lat": 38.69, "long": 35.55, "neighbourhood": "Harman"}])
    register("model.IntakeCommand", IntakeCommand.model_validate, samples=[
        {"channel": "whatsapp", "text": "Çöp toplanmadı", "channel_ref": "wamid.1",
         "citizen": {"phone": "+905321112233"}, "attachments": [], "received_at": "2026-01-01T10:00:00Z"}])
    register("model.RequestCreate (JSON)", lambda raw: RequestCreate.model_validate_json(raw), kind="bytes",
             samples=[json.dumps({"channel": "beyaz_masa", "text": "Su kesik",
                                  "citizen": {"name": "Deneme Vatandaş"}}).encode()])
    register("model.StatusChange", StatusChange.model_validate,
             samples=[{"status": "in_progress", "version": 2, "note": "ekip yönlendirildi"}])


_builtin()

from __future__ import annotations

import json
from pathlib import Path

import pytest

SCHEMAS = Path(__file__).resolve().parent.parent / "fixtures" / "open311" / "georeport-v2"
DEV_KEY = "dev-open311-key-for-tests"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def validate(instance, schema_file: str) -> None:
    """Validate against the official GeoReport v2 schemas (they $ref each other by file name)."""
    from jsonschema import Draft4Validator
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT4

    resources = [(p.name, Resource.from_contents(json.loads(p.read_text()), default_specification=DRAFT4))
                 for p in SCHEMAS.glob("*.json")]
    registry = Registry().with_resources(resources)
    schema = json.loads((SCHEMAS / schema_file).read_text())
    Draft4Validator(schema, registry=registry, format_checker=Draft4Validator.FORMAT_CHECKER).validate(instance)


@pytest.fixture
def dev_key(monkeypatch):
    from chalicelib import container

    monkeypatch.setenv("OPEN311_DEV_API_KEY", DEV_KEY)
    container.reset()  # settings are parsed once: parse them again with the key
    return DEV_KEY

"""Synthesise each AWS stage once per test session (in-process CDK, no AWS account, no network).

The Chalice app is packaged without its dependencies (app-only): the checks concern the template, and
packaging the real dependencies needs network and minutes.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import pytest

os.environ.setdefault("JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION", "1")
PUBLIC_BASE_URL = "https://ulakbel.example.bel.tr"  # deployed stages need one (infra/parity.py)


@dataclass
class Synth:
    stage: str
    path: Path
    template: dict
    stack: object

    @property
    def resources(self) -> dict:
        return self.template["Resources"]

    def of_type(self, type_: str) -> dict[str, dict]:
        return {k: v for k, v in self.resources.items() if v["Type"] == type_}

    def logical_id(self, construct) -> str:
        return self.stack.get_logical_id(construct.node.default_child)

    def assertions(self):
        from aws_cdk.assertions import Template

        return Template.from_json(self.template)


@pytest.fixture(scope="session")
def synthesised(tmp_path_factory) -> dict[str, Synth]:
    from infra.stack import STAGES, build

    out: dict[str, Synth] = {}
    for stage in STAGES:
        outdir = tmp_path_factory.mktemp(f"cdk-{stage}")
        app, stack = build(stage, outdir=str(outdir), app_only=True, context={"public_base_url": PUBLIC_BASE_URL})
        assembly = app.synth()
        path = Path(assembly.directory) / stack.template_file
        out[stage] = Synth(stage, path, json.loads(path.read_text()), stack)
    return out


@pytest.fixture(scope="session", params=["dev", "prod"])
def synth(request, synthesised) -> Synth:
    return synthesised[request.param]


@pytest.fixture(scope="session")
def dev(synthesised) -> Synth:
    return synthesised["dev"]


@pytest.fixture(scope="session")
def prod(synthesised) -> Synth:
    return synthesised["prod"]

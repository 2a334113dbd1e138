"""What each function of the synthesised stages gets vs. what the code reads (chalicelib/config.py, the table the
settings model is parsed from): a setting read with no source fails here and fails `make synth`."""
from __future__ import annotations

import copy
import json

from chalicelib import config
from infra.parity import functions_of, problems
from infra.stack import MEASURED_PEAK_RSS_MB, chalice_functions, function_memory_mb


def test_the_config_table_knows_every_function_of_the_app():
    assert set(config.FUNCTIONS) == set(chalice_functions())
    assert set(MEASURED_PEAK_RSS_MB) == set(chalice_functions())  # every function measured


def test_every_function_gets_every_setting_and_secret_it_reads(synth):
    assert problems(synth.template, synth.stage) == []
    envs = functions_of(synth.template, synth.stage)
    assert set(envs) == set(config.FUNCTIONS)
    for name, env in envs.items():
        assert config.required_environment(synth.stage, name) <= set(env), name
    api = envs["api_handler"]
    for key in ("ULAKBEL_PII_PEPPER", "ULAKBEL_LINK_SIGNING_KEY", "OPEN311_APP_API_KEY", "OPEN311_KEY_PEPPER"):
        assert api[key + "_SECRET_ID"] == f"ulakbel/{synth.stage}/{key}"
    assert envs["notify_citizens"]["ULAKBEL_LINK_SIGNING_KEY_SECRET_ID"]
    assert envs["netgsm_poll"]["NETGSM_PASSWORD_SECRET_ID"] and "NETGSM_PASSWORD" not in envs["netgsm_poll"]


def test_every_secret_is_a_secrets_manager_reference_and_no_environment_holds_a_value(synth):
    secrets = {r["Properties"]["Name"]: r for r in synth.of_type("AWS::SecretsManager::Secret").values()}
    assert set(secrets) == {s.name for s in config.secret_specs(synth.stage)}
    for spec in config.secret_specs(synth.stage):
        assert "GenerateSecretString" in secrets[spec.name]["Properties"]  # no value in the template either
    for name, env in functions_of(synth.template, synth.stage).items():
        text = json.dumps(env)
        assert "resolve:secretsmanager" not in text and config.secret_values_in(env) == [], name
        assert len(text) < 4096, name  # Lambda's limit on the whole environment


def test_the_check_catches_what_went_missing_before(prod):
    """The pepper, the link key and the app's Open311 key were read by the code and given by nothing."""
    template = copy.deepcopy(prod.template)
    env = next(r["Properties"]["Environment"]["Variables"] for r in template["Resources"].values()
               if r["Type"] == "AWS::Serverless::Function" and r["Properties"]["FunctionName"].endswith("-api_handler"))
    for key in ("ULAKBEL_PII_PEPPER", "ULAKBEL_LINK_SIGNING_KEY", "OPEN311_APP_API_KEY"):
        del env[key + "_SECRET_ID"]
    env["TWILIO_AUTH_TOKEN"] = {"Fn::Join": ["", ["{{resolve:secretsmanager:", "x", "}}"]]}
    del env["PUBLIC_BASE_URL"]
    found = problems(template, "prod")
    for key in ("ULAKBEL_PII_PEPPER_SECRET_ID", "ULAKBEL_LINK_SIGNING_KEY_SECRET_ID",
                "OPEN311_APP_API_KEY_SECRET_ID", "PUBLIC_BASE_URL"):
        assert f"api_handler: reads {key} but the template gives it no value" in found
    assert any("TWILIO_AUTH_TOKEN holds a secret value" in p for p in found)


def test_memory_is_set_per_function_from_the_measured_table(synth):
    for name, logical in chalice_functions().items():
        size = synth.resources[logical]["Properties"]["MemorySize"]
        assert size == function_memory_mb(name) and size >= 2 * MEASURED_PEAK_RSS_MB[name], name
    assert function_memory_mb("api_handler") > 128 and function_memory_mb("route_requests") > 128

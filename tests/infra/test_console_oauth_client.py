"""The prod template as it concerns `ulakbel dev --stage prod` and the console: the console's app client
uses the authorization code flow (PKCE, public client) only — no implicit flow, which would put the id token
in the browser's URL fragment — and `ulakbel dev --stage prod` gives the functions every environment
variable infra/ gives them."""
from __future__ import annotations

import json
from pathlib import Path

import pytest


@pytest.fixture(scope="module")
def prod_template(tmp_path_factory) -> dict:
    from infra.stack import build

    app, stack = build("prod", outdir=str(tmp_path_factory.mktemp("cdk-prod-console")), app_only=True,
                       context={"public_base_url": "https://ulakbel.talas.bel.tr"})
    return json.loads((Path(app.synth().directory) / stack.template_file).read_text())


def test_console_client_allows_only_the_code_flow_back_to_the_console(prod_template):
    (client,) = [r["Properties"] for r in prod_template["Resources"].values()
                 if r["Type"] == "AWS::Cognito::UserPoolClient"]
    assert client["AllowedOAuthFlows"] == ["code"]
    assert client["AllowedOAuthFlowsUserPoolClient"] is True
    assert client["CallbackURLs"] == ["https://ulakbel.talas.bel.tr/console/callback"]
    assert client.get("GenerateSecret") in (None, False)


def test_ulakbel_dev_prod_gives_every_variable_infra_gives_each_function(prod_template):
    from ulakbel_cli.stage_env import prod_environment

    local = prod_environment("prod", region="eu-central-1", user_pool_id="eu-central-1_pool", client_id="client",
                             hosted_ui="http://127.0.0.1:9", public_base_url="http://127.0.0.1:8000")
    functions = [r for r in prod_template["Resources"].values() if r["Type"] == "AWS::Serverless::Function"]
    assert functions
    for fn in functions:
        env = fn["Properties"]["Environment"]["Variables"]
        missing = set(env) - set(local)
        assert not missing, (fn["Properties"]["FunctionName"], missing)
        for key, value in env.items():
            deployment_specific = ("PUBLIC_BASE_URL", "ULAKBEL_EMAIL_SENDER")  # the public address, the mail domain
            if isinstance(value, str) and "resolve:" not in value and key not in deployment_specific:
                assert local[key] == value, key  # literal settings (stage, Powertools) are the same
    assert "ULAKBEL_DEV_SIGNING_KEY" not in local and local["ULAKBEL_STAGE"] == "prod"

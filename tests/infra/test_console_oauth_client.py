"""The console's app client in the user pool: authorization code (PKCE, public client) only — no implicit
flow, which would put the id token in the browser's URL fragment."""
from __future__ import annotations

import json
from pathlib import Path


def test_console_client_allows_only_the_code_flow_back_to_the_console(tmp_path):
    from infra.stack import build

    app, stack = build("prod", outdir=str(tmp_path), app_only=True,
                       context={"public_base_url": "https://ulakbel.talas.bel.tr"})
    template = json.loads((Path(app.synth().directory) / stack.template_file).read_text())
    (client,) = [r["Properties"] for r in template["Resources"].values() if r["Type"] == "AWS::Cognito::UserPoolClient"]
    assert client["AllowedOAuthFlows"] == ["code"]
    assert client["AllowedOAuthFlowsUserPoolClient"] is True
    assert client["CallbackURLs"] == ["https://ulakbel.talas.bel.tr/console/callback"]
    assert client.get("GenerateSecret") in (None, False)

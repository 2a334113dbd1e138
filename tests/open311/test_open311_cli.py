"""`ulakbel open311-key --name APP`: the key is printed once and only its hash is stored."""
from __future__ import annotations

import json
from urllib.parse import urlencode

from .conftest import FORM


def test_open311_key_prints_once_stores_hash_and_works(client, capsys, monkeypatch):
    from chalicelib import container
    from chalicelib.usecases.open311 import hash_key
    from ulakbel_cli.home import dev_secrets
    from ulakbel_cli.main import main

    monkeypatch.delenv("OPEN311_DEV_API_KEY", raising=False)
    monkeypatch.setenv("OPEN311_KEY_PEPPER", "x")
    monkeypatch.delenv("OPEN311_KEY_PEPPER")  # absent, and absent again after the test
    assert main(["open311-key", "--name", "Talas Mobil"]) == 0
    out = capsys.readouterr()
    key = out.out.strip()
    assert key.startswith("o311_") and len(key) > 40 and "HMAC" in out.err
    # stored under the pepper of .ulakbel/dev-secrets.json: the one the running `ulakbel dev` verifies with
    marker = container.repository().api_key(hash_key(key, dev_secrets()["OPEN311_KEY_PEPPER"]))
    assert marker["name"] == "Talas Mobil" and key not in json.dumps(marker)
    body = urlencode({"api_key": key, "service_code": "cop_toplama", "address_string": "Harman Mahallesi"})
    r = client.http.post("/open311/v2/requests.json", headers=FORM, body=body)
    assert r.status_code == 200, r.body
    assert main(["open311-key", "--name", " "]) == 2

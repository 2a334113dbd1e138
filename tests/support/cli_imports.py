"""`ulakbel import` against the in-process test client instead of HTTP (monkeypatched over `imports._post`)."""
from __future__ import annotations

import json

from tests.conftest import auth


def via_test_client(client, calls: list[str]):
    """A `_post(url, token, rows)` that sends each chunk through the Chalice test client, keeping every URL."""

    def post(url, token, rows):
        calls.append(url)
        path = url.split("127.0.0.1:8000", 1)[1]
        r = client.http.post(path, body=json.dumps(rows), headers={**auth("agent"), "Content-Type": "application/json"})
        assert r.status_code == 200, r.body
        return r.json_body

    return post

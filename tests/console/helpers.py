"""Shared helpers for console tests: seeding through the API and signing in with the session cookie."""
from __future__ import annotations

import json
import re

from tests.conftest import auth, token


def create(client, text, ref, citizen=None, location=None, channel="phone"):
    body = {"channel": channel, "channel_ref": ref, "text": text}
    if citizen:
        body["citizen"] = citizen
    if location:
        body["location"] = location
    r = client.http.post("/requests", headers=auth("agent"), body=json.dumps(body))
    assert r.status_code == 201, r.json_body
    return r.json_body


def session(role, department=None, sub=None):
    """Cookie header of a signed-in console session, and its CSRF token (HMAC of the session token)."""
    from chalicelib.handlers.console import csrf_for

    tok = token(role, department, sub=sub)
    return {"Cookie": f"ulakbel_session={tok}", "Host": "127.0.0.1:8000"}, csrf_for(tok)


def form_post(client, path, headers, data):
    from urllib.parse import urlencode

    return client.http.post(path, headers={**headers, "Content-Type": "application/x-www-form-urlencoded"},
                            body=urlencode(data))


def text_of(body: bytes | str) -> str:
    return body.decode("utf-8") if isinstance(body, bytes) else body


def hidden(html: str, name: str) -> str:
    m = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert m, f"no hidden {name}"
    return m.group(1)


def every_inbox_row(now) -> list[dict]:
    """The admin's whole inbox, oldest first, page after page (the pagination contract: no row skipped)."""
    from chalicelib import container
    from chalicelib.auth import Principal
    from chalicelib.usecases.console import InboxFilters, inbox

    admin = Principal(sub="a", role="admin")
    rows, cursor = [], None
    while True:
        page = inbox(container.repository(), admin, InboxFilters(sort="old", next=cursor), now=now)
        rows += page.items
        cursor = page.next
        if not cursor:
            return rows

"""The console's CİMER / e-Devlet upload: agent/admin only, CSRF-checked multipart form, preview that writes
nothing, import with the per-row report shown (Turkish first, English second)."""
from __future__ import annotations

import re
import uuid

from tests.conftest import FIXTURES, auth
from tests.console.helpers import hidden, session, text_of
from tests.support import xlsx_files
from tests.support.aws_calls import recording

FIXTURE = FIXTURES / "cimer" / "basvurular.xlsx"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def multipart(fields: dict[str, str], filename: str, content: bytes, ctype: str = XLSX) -> tuple[str, bytes]:
    boundary = "----ulakbel" + uuid.uuid4().hex
    out = b""
    for name, value in fields.items():
        out += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").encode()
    out += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\n"
            f"Content-Type: {ctype}\r\n\r\n").encode() + content + f"\r\n--{boundary}--\r\n".encode()
    return f"multipart/form-data; boundary={boundary}", out


def upload(client, headers, fields, filename="basvurular.xlsx", content=None):
    ctype, body = multipart(fields, filename, FIXTURE.read_bytes() if content is None else content)
    return client.http.post("/console/imports", headers={**headers, "Content-Type": ctype}, body=body)


def rows_of(page: str) -> dict[int, str]:
    return {int(r): res for r, res in re.findall(r'data-row="(\d+)" data-result="([a-z_]+)"', page)}


def test_upload_form_is_for_agents_and_admins_only(client):
    headers, _ = session("agent")
    page = text_of(client.http.get("/console/imports", headers=headers).body)
    assert 'data-testid="import-form"' in page and 'enctype="multipart/form-data"' in page
    assert 'href="/console/imports"' in page  # in the menu
    assert hidden(page, "csrf")
    for role, department in (("viewer", None), ("department", "park")):
        other, csrf = session(role, department)
        r = client.http.get("/console/imports", headers=other)
        assert r.status_code == 403
        assert 'href="/console/imports"' not in text_of(client.http.get("/console", headers=other).body)
        assert upload(client, other, {"csrf": csrf, "kind": "cimer", "mode": "import"}).status_code == 403
    assert client.http.get("/console/imports").status_code == 303  # not signed in → sign-in page


def test_preview_writes_nothing_then_import_shows_the_report(client, pump):
    headers, csrf = session("agent", sub="beyaz-masa-1")
    with recording() as calls:
        r = upload(client, headers, {"csrf": csrf, "kind": "cimer", "mode": "dry_run"})
    assert r.status_code == 200, text_of(r.body)[-800:]
    assert [c.operation for c in calls.calls if c.operation not in ("GetItem", "Query")] == []
    page = text_of(r.body)
    assert 'data-dry-run="true"' in page and "Önizleme — hiçbir şey yazılmadı" in page
    assert page.index("Önizleme") < page.index("Preview — nothing was written")  # Turkish first
    assert rows_of(page) == {1: "would_create", 2: "would_create", 3: "error", 4: "duplicate",
                             5: "would_create", 6: "error"}
    assert re.search(r'data-testid="import-would-create">3<', page)
    assert "Başvuru tarihi anlaşılamadı" in page and "4982" in page and "dosyada tekrar / repeated in the file" in page
    assert client.http.get("/requests?channel=cimer", headers=auth("admin")).json_body["items"] == []

    r = upload(client, headers, {"csrf": csrf, "kind": "cimer", "mode": "import"})
    page = text_of(r.body)
    assert r.status_code == 200 and 'data-dry-run="false"' in page
    assert re.search(r'data-testid="import-created">3<', page) and re.search(r'data-testid="import-failed">2<', page)
    assert rows_of(page) == {1: "created", 2: "created", 3: "error", 4: "duplicate", 5: "created", 6: "error"}
    links = re.findall(r'href="/console/requests/([0-9A-Z]+)"', page)
    assert len(set(links)) == 3
    pump.drain()
    items = client.http.get("/requests?channel=cimer", headers=auth("admin")).json_body["items"]
    assert {i["id"] for i in items} == set(links)
    got = client.http.get(f"/requests/{links[0]}", headers=auth("admin")).json_body
    assert got["created_by"] == "agent:beyaz-masa-1"  # the signed-in staff member, not a shared import user
    # e-Devlet with the CSV of its own export
    r = upload(client, headers, {"csrf": csrf, "kind": "e-devlet", "mode": "import"}, "liste.csv",
               (FIXTURES / "edevlet/basvurular.csv").read_bytes())
    assert rows_of(text_of(r.body)) == {1: "created", 2: "created"}


def test_upload_without_a_valid_csrf_token_or_with_a_crafted_file_changes_nothing(client):
    headers, csrf = session("admin")
    with recording() as calls:
        for fields in ({"kind": "cimer", "mode": "import"}, {"csrf": "0" * 64, "kind": "cimer", "mode": "import"}):
            r = upload(client, headers, fields)
            assert r.status_code == 403 and "CSRF" in text_of(r.body)
        # another session's token does not fit this session
        _, other_csrf = session("admin", sub="someone-else")
        assert upload(client, headers, {"csrf": other_csrf, "kind": "cimer", "mode": "import"}).status_code == 403
    assert [c.operation for c in calls.calls if c.operation not in ("GetItem", "Query")] == []
    r = upload(client, headers, {"csrf": csrf, "kind": "cimer", "mode": "import"}, "bomba.xlsx", xlsx_files.zip_bomb())
    assert r.status_code == 400 and "zip bombası" in text_of(r.body)
    r = upload(client, headers, {"csrf": csrf, "kind": "ankara", "mode": "import"})
    assert r.status_code == 400
    r = upload(client, headers, {"csrf": csrf, "kind": "cimer", "mode": "import"}, "bos.xlsx", b"")
    assert r.status_code == 400 and "Dosya seçilmedi" in text_of(r.body)
    r = client.http.post("/console/imports", headers={**headers, "Content-Type": "application/x-www-form-urlencoded"},
                         body=f"csrf={csrf}&kind=cimer")
    assert r.status_code in (400, 415)
    assert client.http.get("/requests?channel=cimer", headers=auth("admin")).json_body["items"] == []

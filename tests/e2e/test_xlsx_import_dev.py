"""The .xlsx import end to end on `ulakbel dev` (chalice local over real HTTP): the CLI's dry run writes
nothing, the console's multipart upload carries the spreadsheet's bytes intact and imports it."""
from __future__ import annotations

import re
import subprocess
import sys
import uuid

from tests.conftest import FIXTURES
from tests.e2e.conftest import ROOT

XLSX = FIXTURES / "cimer" / "basvurular.xlsx"


def test_cli_dry_run_and_console_upload_of_an_xlsx_export(town):
    _, dev_system = town
    http, token = dev_system["http"], dev_system["token"]
    admin = token("--role", "admin")
    # e-Devlet, so that other e2e tests importing the CİMER CSV on the same system do not interfere
    out = subprocess.run([sys.executable, "-m", "ulakbel_cli.main", "import", "e-devlet", str(XLSX), "--dry-run",
                          "--url", http.base], cwd=ROOT, env=dev_system["env"], capture_output=True, text=True)
    assert out.returncode == 1, out.stderr  # two rows would fail
    assert "DRY RUN — nothing was written" in out.stdout and "3 oluşturulacak, 1 zaten var, 2 hatalı" in out.stdout
    assert http.call("GET", "/requests?channel=e_devlet", token=admin)[1]["items"] == []

    agent = token("--role", "agent")
    cookie = {"Cookie": f"ulakbel_session={agent}"}
    status, page = http.call("GET", "/console/imports", headers=cookie)
    assert status == 200, page
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    boundary = "----ulakbel" + uuid.uuid4().hex
    body = b"".join(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
                    for k, v in {"csrf": csrf, "kind": "e-devlet", "mode": "import"}.items())
    body += (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="basvurular.xlsx"\r\n'
             "Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n").encode()
    body += XLSX.read_bytes() + f"\r\n--{boundary}--\r\n".encode()
    status, page = http.call("POST", "/console/imports", raw=body,
                             headers={**cookie, "Content-Type": f"multipart/form-data; boundary={boundary}"})
    assert status == 200, page[-1000:]
    assert re.search(r'data-testid="import-created">3<', page), page[-2000:]
    items = http.call("GET", "/requests?channel=e_devlet", token=admin)[1]["items"]
    assert {i["channel_ref"] for i in items} >= {"2026/4815162", "2026/4815163", "2026/4815165"}

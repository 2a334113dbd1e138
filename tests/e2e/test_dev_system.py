"""The walking skeleton end to end: `ulakbel dev` → HTTP intake → stream router → department queue, for each
municipality (tests/e2e/towns.py): its mahalle in the text, its taxonomy's department as the expectation."""
from __future__ import annotations

from tests.e2e.conftest import leased_task, wait_for


def test_request_over_http_reaches_the_department_queue(town):
    t, system = town
    http, token = system["http"], system["token"]
    mahalle, _ = t.mahalle(3)  # not another test's playground mahalle (the two would cluster)
    agent = token("--role", "agent")
    status, created = http.call("POST", "/requests", {
        "channel": "beyaz_masa", "text": f"{mahalle} Mahallesi'nde parktaki salıncak kırık, çocuklar için tehlikeli",
        "citizen": {"name": "Deneme Vatandaş", "phone": "05321234567"}}, token=agent)
    assert status == 201, created
    assert created["status"] == "new" and created["tracking_code"]

    admin = token("--role", "admin")
    routed = wait_for(lambda: (r := http.call("GET", f"/requests/{created['id']}", token=admin)[1])
                      and r["status"] == "routed" and r)
    assert routed, "the pump should have routed the request"
    dept = routed["department"]
    assert dept == t.department_of("oyun_grubu")  # a broken swing: the playgrounds' department

    dept_token = token("--role", "department", "--department", dept)
    mine = leased_task(http, dept, dept_token, created["id"])
    assert mine is not None
    status, _ = http.call("POST", f"/departments/{dept}/tasks/{mine['lease']}/ack", token=dept_token)
    assert status == 200

    other = token("--role", "department", "--department", next(c for c in t.codes if c != dept))
    assert http.call("GET", f"/requests/{created['id']}", token=other)[0] == 404
    assert http.call("GET", f"/departments/{dept}/tasks", token=other)[0] == 403


def test_bad_input_is_a_clear_4xx_over_real_http(e2e_system):
    http, token = e2e_system["http"], e2e_system["token"]
    agent = token("--role", "agent")
    status, body = http.call("POST", "/requests", raw=b"{oops", token=agent)
    assert status == 400 and body["error"]["code"] == "invalid_input"
    assert http.call("GET", "/requests")[0] == 401

"""Issue 22: the console and public pages name the selected municipality and show its own contact lines
(municipality.yaml), and the console's department pickers know its "outside institutions" department from
departments.json (`outside_department`), not from a code written in a template."""
from __future__ import annotations

import json

import pytest
import yaml

from chalicelib.domain.data_files import MUNICIPALITIES


@pytest.fixture(params=["talas", "ornekkent"])
def town(request, monkeypatch):
    import chalicelib.container  # noqa: F401  (installs the settings provider data_files reads)
    from chalicelib.domain import data_files

    from chalicelib.web.render import department_labels

    monkeypatch.setenv("ULAKBEL_MUNICIPALITY", request.param)
    data_files.refresh()
    department_labels.cache_clear()  # one process serves one municipality: the labels are cached
    yield MUNICIPALITIES / request.param
    monkeypatch.undo()
    data_files.refresh()
    department_labels.cache_clear()


def test_console_and_public_pages_show_the_municipality_s_name_and_contact(town):
    from chalicelib.web.render import render, render_app

    who = yaml.safe_load((town / "municipality.yaml").read_text(encoding="utf-8"))
    console = render("error.html", status=404, title="Bulunamadı", message="Yok")
    app = render_app("index.html")
    assert f"· {who['name']} · Ulakbel</title>" in console and f"{who['name']} <small>Ulakbel</small>" in console
    for page in (console, app):
        footer = page[page.index('<footer class="contact"'):]
        for line in (who["contact"]["phone"], who["contact"]["web"].split("://")[1],
                     who["contact"]["desk"]):
            assert line in footer
        assert who["contact"]["address"].split(",")[0] in footer
    other = "Örnekkent" if town.name == "talas" else "Talas"
    assert other not in console and other not in app


def test_the_forward_picker_knows_the_outside_department_from_the_folder(town):
    from chalicelib.web.render import env

    departments = json.loads((town / "departments.json").read_text(encoding="utf-8"))
    outside = departments["outside_department"]
    assert outside in {d["code"] for d in departments["departments"]}
    assert env().globals["outside_department"]() == outside
    # request.html's forward picker: every department but the request's own, except that a request already with
    # the outside department can be forwarded to another institution; the inbox's bulk picker never offers it
    picker = env().from_string("{% for code, label in departments().items() if code != current or "
                               "code == outside_department() %}{{ code }},{% endfor %}")
    assert outside in picker.render(current=outside).split(",")
    inbox = (env().loader.get_source(env(), "inbox.html")[0])
    request = (env().loader.get_source(env(), "request.html")[0])
    assert "code != outside_department()" in inbox and "code == outside_department()" in request
    assert "dis_kurum" not in inbox + request

"""Pure Open311 pieces: form parsing, the 90-day window, status mapping and XML rendering."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from xml.etree import ElementTree

import pytest

from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.models import Request, Status, TimelineEvent
from chalicelib.open311 import mapping
from chalicelib.open311.form import check_attributes, parse_form, require_valid
from chalicelib.open311.xml import render
from chalicelib.usecases.open311 import window

T0 = datetime(2026, 3, 1, tzinfo=timezone.utc)


def test_form_empty_values_are_absent_and_attributes_parsed():
    f = parse_form(b"api_key=k&service_code=x&lat=38.7&long=35.5&email=&attribute[a]=1"
                   b"&attribute[m][]=p&attribute[m][]=q&foreign=ignored&description=%C3%87%C3%B6p")
    assert f.email is None and f.lat == 38.7 and f.description == "Çöp"
    assert f.attributes == {"a": "1", "m": ["p", "q"]}
    require_valid(f)


@pytest.mark.parametrize("body, words", [
    (b"lat=38&long=35", "service_code"),
    (b"service_code=x", "location"),
    (b"service_code=x&long=35", "together"),
    (b"service_code=x&lat=91&long=35", "within"),
    (b"service_code=x&address_id=7&media_url=ftp://a/b", "http"),
])
def test_form_rejections(body, words):
    with pytest.raises(InvalidInput) as exc:
        require_valid(parse_form(body))
    assert words in exc.value.message


def test_attribute_checks():
    definition = [{"code": "t", "required": True, "values": [{"key": "a", "name": "A"}]}]
    assert check_attributes(parse_form(b"attribute[t]=a"), definition) == {"t": "a"}
    for body in (b"", b"attribute[t]=b", b"attribute[t]=a&attribute[u]=1"):
        with pytest.raises(InvalidInput):
            check_attributes(parse_form(body), definition)


def test_window_defaults_and_limits():
    now = T0
    assert window(None, None, now) == (now - timedelta(days=90), now)
    assert window(now - timedelta(days=5), None, now) == (now - timedelta(days=5), now)
    assert window(None, now, now) == (now - timedelta(days=90), now)
    with pytest.raises(InvalidInput):
        window(now - timedelta(days=90, seconds=1), now, now)
    with pytest.raises(InvalidInput):
        window(now, now - timedelta(days=1), now)


def _request(status: Status, events: list[TimelineEvent]) -> Request:
    return Request(id="01A", tracking_code="ABCD-EFGH", channel="mobile_app", received_at=T0, text="t",
                   status=status, timeline=events, updated_at=T0)


@pytest.mark.parametrize("status, expected", [
    (Status.new, "open"), (Status.routed, "open"), (Status.in_progress, "open"), (Status.waiting_citizen, "open"),
    (Status.forwarded, "open"), (Status.resolved, "closed"), (Status.closed, "closed"),
    (Status.rejected, "closed"), (Status.duplicate, "closed"),
])
def test_every_status_maps_to_open_or_closed_with_notes(status, expected):
    assert mapping.open_closed(status) == expected
    assert mapping.status_notes(_request(status, [])) == mapping.STATUS_NOTES[status]


def test_status_notes_carry_last_public_note_only_and_updates_follow_statuses():
    ev = [
        TimelineEvent(id="01B", at=T0, type="received", visibility="public"),
        TimelineEvent(id="01C", at=T0 + timedelta(hours=1), type="routed", visibility="public",
                      data={"explanation": "internal reasoning"}),
        TimelineEvent(id="01D", at=T0 + timedelta(hours=2), type="status_changed", visibility="public",
                      data={"before": "routed", "after": "in_progress", "note": "Ekip yolda"}),
        TimelineEvent(id="01E", at=T0 + timedelta(hours=3), type="note", visibility="internal",
                      data={"note": "gizli iç not"}),
    ]
    r = _request(Status.in_progress, ev)
    assert mapping.status_notes(r) == "Üzerinde çalışılıyor / in progress — Ekip yolda"
    ups = mapping.updates(r)
    assert [(u["update_id"], u["status"]) for u in ups] == [("01C", "OPEN"), ("01D", "IN_PROGRESS")]
    assert "internal reasoning" not in str(ups) and "gizli" not in str(ups)
    assert mapping.updates(r, since=T0 + timedelta(hours=1, minutes=30)) == ups[1:]
    assert mapping.iso(mapping.updated_at(r)) == "2026-03-01T03:00:00Z"


def test_xml_render_shapes_lists_booleans_and_escapes():
    body = render("services", [{"service_code": "a&b", "metadata": True, "group": None}])
    assert body.startswith(b'<?xml version="1.0" encoding="utf-8"?>\n')
    root = ElementTree.fromstring(body)
    assert root.findtext("service/service_code") == "a&b" and root.findtext("service/metadata") == "true"
    assert root.find("service/group").text is None
    d = ElementTree.fromstring(render("service_definition", {"service_code": "x", "attributes": [
        {"code": "c", "values": [{"key": "k", "name": "Köpek"}]}]}))
    assert d.findtext("attributes/attribute/values/value/name") == "Köpek"


def test_open311_package_is_pure():
    from pathlib import Path

    from tests.unit.test_architecture import AWS_OR_WEB, MODULES, ROOT, _imports

    modules = [m for m in MODULES if m.startswith("chalicelib.open311")] + ["chalicelib.usecases.open311"]
    assert len(modules) >= 4
    # every import, lazy ones inside functions included
    assert [m for m in modules if {i.target for i in _imports(m)} & AWS_OR_WEB] == []
    assert Path(ROOT / "chalicelib/open311/__init__.py").read_text().count("\n") <= 2

"""Console action forms drive the real workflow use cases (assign, note, forward) and refuse the viewer."""
from __future__ import annotations

from tests.console.helpers import create, form_post, session, text_of

PARK = "Mevlana parkındaki salıncaklar kırık"  # routed by the model without triage


def _stored(client, rid):
    from tests.conftest import auth

    return client.http.get(f"/requests/{rid}", headers=auth("admin")).json_body


def test_console_forms_assign_note_and_forward_through_the_workflow(client, pump, aws):
    made = create(client, PARK, "act-1")
    pump.drain()
    headers, csrf = session("admin", sub="adm-1")
    view = text_of(client.http.get(f"/console/requests/{made['id']}", headers=headers).body)
    assert 'data-testid="assign-form"' in view
    version = _stored(client, made["id"])["version"]
    r = form_post(client, f"/console/requests/{made['id']}/assign", headers,
                  {"csrf": csrf, "assignee": "ekip-3", "version": str(version)})
    assert r.status_code == 303 and r.headers["Location"].endswith("ok=assign"), r.body[-600:]
    after = _stored(client, made["id"])
    assert after["assignee"] == "ekip-3"
    r = form_post(client, f"/console/requests/{made['id']}/note", headers,
                  {"csrf": csrf, "text": "Saha ekibi aradı", "version": str(after["version"])})
    assert r.status_code == 303
    types = [e["type"] for e in _stored(client, made["id"])["timeline"]]
    assert "assigned" in types and "note" in types
    # a stale version is refused and changes nothing
    r = form_post(client, f"/console/requests/{made['id']}/assign", headers,
                  {"csrf": csrf, "assignee": "ekip-9", "version": str(version)})
    assert r.status_code in (303, 409)
    assert _stored(client, made["id"])["assignee"] == "ekip-3"
    # the viewer may not act
    viewer, vcsrf = session("viewer")
    r = form_post(client, f"/console/requests/{made['id']}/assign", viewer,
                  {"csrf": vcsrf, "assignee": "x", "version": str(version)})
    assert r.status_code == 403
    assert _stored(client, made["id"])["assignee"] == "ekip-3"
    # an unknown action is a 404 page
    r = form_post(client, f"/console/requests/{made['id']}/explode", headers, {"csrf": csrf})
    assert r.status_code == 404


def test_attachment_links_only_https_or_same_origin(client, aws):
    """`//host/…` is scheme-relative (external), `/\\host` too; javascript:/http: are never links."""
    from chalicelib import container
    from chalicelib.domain.models import Attachment, Channel, IntakeCommand
    from chalicelib.usecases.intake import intake

    urls = {"ok-https": "https://cdn.talas.bel.tr/foto.jpg", "ok-path": "/open311/v2/media/abc.jpg",
            "bad-scheme-relative": "//evil.example/x.jpg", "bad-backslash": "/\\evil.example/x.jpg",
            "bad-tab": "/\t/evil.example/x.jpg", "bad-js": "javascript:alert(1)", "bad-http": "http://x.example/a"}
    cmd = IntakeCommand(channel=Channel.phone, text="Fotoğraflar ekte", channel_ref="att-1",
                        attachments=[Attachment(kind="image", url=u, name=n) for n, u in urls.items()])
    made, _ = intake(cmd, container.repository())
    headers, _csrf = session("admin")
    html = text_of(client.http.get(f"/console/requests/{made.id}", headers=headers).body)
    import re

    # photos are thumbnails linking to the full image; only https or same-origin ones become an <img>/<a>
    links = dict((name, href) for href, src, name in re.findall(
        r'<a href="([^"]*)" rel="noopener noreferrer"><img src="([^"]*)" alt="([^"]*)"', html) if href == src)
    assert sorted(links) == ["ok-https", "ok-path"], links
    assert len(re.findall(r"<img ", html)) == 2
    for name in urls:
        assert name in html  # every attachment is still listed, the external ones as plain text

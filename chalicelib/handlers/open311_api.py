"""Open311 GeoReport v2 under /open311/v2/ (JSON and XML) and the citizens' web app at /app.

Thin: pick the format from the suffix, call one use case, render. Errors are Open311's list of
{code, description} with 400/403/404, in the format that was asked for.
"""
from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any, Callable

from chalice import Blueprint, Response

from .. import container
from ..domain.errors import DomainError, InvalidInput, NotFound
from .http import lazy, endpoint, query_params
from ..domain.texts import both  # user-facing texts, Turkish first: domain/strings.yaml (api.*)

mapping = lazy("chalicelib.open311.mapping")  # imported on first use (cold start)
open311_form = lazy("chalicelib.open311.form")
open311_xml = lazy("chalicelib.open311.xml")
usecase = lazy("chalicelib.usecases.open311")

bp = Blueprint(__name__)

PREFIX = "/open311/v2"
CONTENT_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
FORM_TYPES = ["application/x-www-form-urlencoded", "multipart/form-data", "application/json", "text/plain"]
# Unauthenticated reads: one budget per client address (chalicelib/handlers/rate_limit.py).
READ_LIMIT = "open311_read"
# When the service list last changed shape (discovery's changeset).
CHANGESET = datetime(2026, 11, 29, tzinfo=timezone.utc)


def _split(doc: str) -> tuple[str, str]:
    name, dot, fmt = doc.rpartition(".")
    if not dot or fmt not in CONTENT_TYPES:
        raise NotFound(both("api.o311_format"))
    return name, fmt


def _render(fmt: str, root: str, body: Any, status: int = 200) -> Response:
    if fmt == "xml":
        payload: Any = open311_xml.render(root, body).decode("utf-8")
    else:
        payload = json.dumps(body, ensure_ascii=False)
    return Response(body=payload, status_code=status,
                    headers={"Content-Type": CONTENT_TYPES[fmt], "Cache-Control": "no-store",
                             "Access-Control-Allow-Origin": "*"})


def _jurisdiction(request) -> str | None:
    if request.method == "POST":
        from urllib.parse import parse_qs

        values = parse_qs((request.raw_body or b"").decode("utf-8", "replace")).get("jurisdiction_id") or [None]
        return values[0]
    return query_params(request).get("jurisdiction_id")


def _open311(doc: str, view: Callable[[str, str], tuple[str, Any] | Response]) -> Response:
    fmt = "xml" if doc.endswith(".xml") else "json"
    try:
        name, fmt = _split(doc)
        jurisdiction = _jurisdiction(bp.current_request)
        known = usecase.jurisdictions()
        if jurisdiction and jurisdiction.strip().lower() not in known:
            raise NotFound(both("api.o311_jurisdiction", known=known[0]))
        result = view(name, fmt)
        if isinstance(result, Response):
            return result
        root, body = result
        return _render(fmt, root, body)
    except DomainError as exc:
        status = exc.http_status if exc.http_status in (400, 403, 404) else 400
        if exc.http_status >= 500:
            status = exc.http_status
        return _render(fmt, "errors", mapping.errors(status, exc.message), status)


def _dev_key() -> str | None:
    s = container.settings()
    return s.open311_dev_api_key if s.stage == "local" else None


def _trusted_keys() -> dict[str, str | None]:
    """Keys that are secrets, not issued: the citizens' app (/app) and, on `ulakbel dev`, the dev key."""
    return {"app": container.settings().open311_app_api_key, "dev": _dev_key()}


def _app_key() -> str:
    """The key /app embeds: its own secret (a deployed stage without it is a configuration error)."""
    s = container.settings()
    if s.local:
        return s.open311_app_api_key or _dev_key() or ""
    return s.require_secret("OPEN311_APP_API_KEY")


def _verify(repo, key: str | None) -> str:
    return usecase.verify_api_key(repo, key, lambda: container.settings().open311_key_pepper, _trusted_keys())


def _base_url(request) -> str:
    return container.settings().public_base_url


# -- GET -------------------------------------------------------------------------------------------
@endpoint(bp, PREFIX + "/{doc}", auth=False, rate_limit=READ_LIMIT)
def top_level(_principal, request, doc):
    repo = container.repository

    def view(name: str, fmt: str):
        if name == "discovery":
            from ..domain.identity import identity

            who = identity()
            return "discovery", mapping.discovery(_base_url(request), contact=who.contact.desk,
                                                  key_service=who.contact.api_keys, changeset=CHANGESET,
                                                  test=container.settings().stage != "prod")
        if name == "services":
            return "services", usecase.services()
        if name == "requests":
            return "service_requests", usecase.list_requests(repo(), query_params(request))
        if name == "servicerequestupdates":
            return "service_requests_updates", usecase.service_request_updates(repo(), query_params(request))
        raise NotFound(both("api.o311_resource"))

    return _open311(doc, view)


@endpoint(bp, PREFIX + "/services/{doc}", auth=False, rate_limit=READ_LIMIT)
def service_definition(_principal, request, doc):
    return _open311(doc, lambda code, fmt: ("service_definition", usecase.service_definition(code)))


@endpoint(bp, PREFIX + "/requests/{doc}", auth=False, rate_limit=READ_LIMIT)
def one_request(_principal, request, doc):
    return _open311(doc, lambda rid, fmt: ("service_requests", [usecase.get_request(container.repository(), rid)]))


@endpoint(bp, PREFIX + "/tokens/{doc}", auth=False, rate_limit=READ_LIMIT)
def token(_principal, request, doc):
    return _open311(doc, lambda tok, fmt: ("service_requests", usecase.token(container.repository(), tok)))


# -- POST ------------------------------------------------------------------------------------------
def _form(request):
    ctype = (request.headers.get("content-type") or "").lower()
    if "multipart/form-data" in ctype:
        raise InvalidInput(both("api.o311_form"))
    return open311_form.parse_form(request.raw_body)


@endpoint(bp, PREFIX + "/{doc}", ["POST"], auth=False, content_types=FORM_TYPES, rate_limit="open311")
def post(_principal, request, doc):
    doc = "media.json" if doc == "media" else doc
    def view(name: str, fmt: str):
        repo = container.repository()
        form = _form(request)
        if name == "requests":
            app = _verify(repo, form.api_key)
            filed = usecase.file_request(repo, form, app=app,
                                         idempotency_key=request.headers.get("idempotency-key"))
            # 200 both times (clients in the wild check for 200); a repeat with the same Idempotency-Key
            # returns the first request instead of filing a second one.
            return "service_requests", usecase.filed_response(filed, form, _base_url(request))
        if name == "media":
            app = _verify(repo, form.api_key)
            from urllib.parse import parse_qs

            ctype = (parse_qs((request.raw_body or b"").decode("utf-8", "replace")).get("content_type") or [""])[0]
            return "media", container_media().presign_upload(ctype, app)
        raise NotFound(both("api.o311_resource"))

    return _open311(doc, view)


def container_media():
    return container.media_store()


@endpoint(bp, PREFIX + "/media/{name}", auth=False, rate_limit=READ_LIMIT)
def media(_principal, request, name):
    """A photo filed with a request: a redirect to a short-lived signed S3 URL (the bucket stays private)."""
    url = container_media().download_url(name)
    if url is None:
        return _render("json", "errors", mapping.errors(404, both("api.o311_media")), 404)
    return Response(body="", status_code=302, headers={"Location": url, "Cache-Control": "private, max-age=300"})


# -- the citizens' web app -------------------------------------------------------------------------
APP_FILES = {
    "index.html": "text/html; charset=utf-8",
    "app.js": "text/javascript; charset=utf-8",
    "app.css": "text/css; charset=utf-8",
    "manifest.webmanifest": "application/manifest+json; charset=utf-8",
    "sw.js": "text/javascript; charset=utf-8",
    "icon.svg": "image/svg+xml",
    "kvkk.html": "text/html; charset=utf-8",  # the aydınlatma metni (privacy notice), also at /kvkk
}


def _branded(text: str, *, escape: bool) -> str:
    """The app's files name no municipality: @@field@@ markers are filled from municipality.yaml."""
    import html

    from ..domain.identity import identity

    who = identity()
    values = {"name": who.name, "name_en": who.display_name.en, "short_name": who.short_name,
              "district": who.district, "province": who.province, "page_title_tr": who.page_title.tr,
              "page_title_en": who.page_title.en, "kvkk_email": who.contact.kvkk_email,
              "primary": who.colours.primary, "accent": who.colours.accent, "background": who.colours.background}
    for key, value in values.items():
        text = text.replace(f"@@{key}@@", html.escape(value) if escape else json.dumps(value)[1:-1])
    return text


def _asset(name: str) -> Response:
    from pathlib import Path

    if name not in APP_FILES:
        raise NotFound(both("api.file_not_found"))
    from ..domain.texts import for_script

    if name in ("index.html", "kvkk.html"):  # texts from the string catalogue (domain/strings.yaml)
        from ..web.render import render_app

        text = render_app(name)
    else:
        text = (Path(__file__).resolve().parent.parent / "open311" / "webapp" / name).read_text(encoding="utf-8")
    text = _branded(text, escape=name.endswith(".html"))  # @@colour@@ markers (names come from the catalogue)
    if name == "index.html":
        from ..domain.identity import identity
        from ..understanding import neighbourhoods
        from ..understanding.text import collation_key

        config = {
            "api_key": _app_key(),
            "neighbourhoods": sorted((n["name"] for n in neighbourhoods()), key=collation_key),
            "district": identity().district,
            "timezone": identity().timezone,  # times are shown in the municipality's zone (issue 19)
            "strings": for_script("app_js"),
        }
        text = text.replace("/*CONFIG*/{}", json.dumps(config, ensure_ascii=False).replace("</", "<\\/"))
    elif name == "sw.js":
        text = text.replace("/*STRINGS*/{}", json.dumps(for_script("app_sw"), ensure_ascii=False))
    elif name == "manifest.webmanifest":  # the description is a catalogue key (names come from @@markers@@)
        manifest = json.loads(text)
        manifest["description"] = both(manifest["description"])
        text = json.dumps(manifest, ensure_ascii=False, indent=2)
    headers = {"Content-Type": APP_FILES[name], "Cache-Control": "no-cache"}
    if name == "sw.js":
        headers["Service-Worker-Allowed"] = "/app"
    return Response(body=text, status_code=200, headers=headers)


@endpoint(bp, "/app", auth=False)
def app_index(_principal, request):
    return _asset("index.html")


@endpoint(bp, "/app/{name}", auth=False)
def app_asset(_principal, request, name):
    return _asset(name)


@endpoint(bp, "/kvkk", auth=False)
def privacy_notice(_principal, request):
    """The aydınlatma metni (KVKK art. 10 privacy notice), Turkish first, English second; linked from the
    citizens' app before anything is sent and from every acknowledgement message."""
    return _asset("kvkk.html")

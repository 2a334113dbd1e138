"""The staff console (/console): sign-in, unified inbox, request view with actions, analytics page.

Server-rendered HTML over the same use cases as the JSON API. The session cookie carries the same bearer
token the API accepts (HttpOnly, SameSite=Strict, Secure except on 127.0.0.1/localhost); every form carries a
CSRF token bound to the session (an HMAC of the session token, which page scripts cannot read).
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timezone
from typing import Any, Callable
from urllib.parse import parse_qs, urlencode

from chalice import Blueprint, Response

from .. import container
from ..domain.errors import Forbidden, InvalidInput, Unauthenticated
from .http import lazy, SESSION_COOKIE, cookies, endpoint, query_params
from .staff_session import SESSION_SECONDS, cleared_cookies, cookie, csrf_basis, session_cookies

models = lazy("chalicelib.domain.models")  # imported on first use (cold start)
requests_usecase = lazy("chalicelib.usecases.requests")

bp = Blueprint(__name__)

LOGIN_COOKIE = "ulakbel_login"
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                               "img-src 'self' data: https:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}
FLASH = {k: f"flash.{k}" for k in ("status", "note", "assign", "forward", "merge", "reply")}  # web/strings.yaml


# -- HTTP helpers ---------------------------------------------------------------------------------------
def html(body: str, status: int = 200, headers: dict[str, Any] | None = None) -> Response:
    return Response(body=body, status_code=status, headers={
        "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store", **SECURITY_HEADERS,
        **(headers or {})})


def redirect(location: str, headers: dict[str, Any] | None = None) -> Response:
    return Response(body="", status_code=303, headers={"Location": location, "Cache-Control": "no-store",
                                                       **(headers or {})})


def render(template: str, **context: Any) -> str:
    from ..web.render import render as _render

    return _render(template, **context)


def page_error(status: int, code: str, message: str) -> Response:
    if status == 401:
        return redirect("/console/login")
    return html(render("error.html", principal=None, message=message), status)


def csrf_for(session: str) -> str:
    return hmac.new(session.encode(), b"ulakbel-console-csrf", hashlib.sha256).hexdigest()


def form(request) -> dict[str, str]:
    raw = (request.raw_body or b"").decode("utf-8", errors="replace")
    return {k: v[0] for k, v in parse_qs(raw, keep_blank_values=True).items()}


def check_csrf(request, data: dict[str, str]) -> None:
    session = csrf_basis(request)
    given = data.get("csrf", "")
    if not session or not given or not hmac.compare_digest(given, csrf_for(session)):
        raise Forbidden("Form süresi doldu ya da geçersiz (CSRF); sayfayı yenileyin / "
                        "the form expired or is invalid (CSRF); reload the page")


def context(principal, request, **extra: Any) -> dict[str, Any]:
    return {"principal": principal, "csrf": csrf_for(csrf_basis(request)), **extra}


# -- sign-in --------------------------------------------------------------------------------------------
# local/test stages: a pasted dev token (or the link `ulakbel dev` prints). Every other stage: the user pool's
# hosted UI with the authorization-code flow and PKCE; HS256 dev tokens are refused by the verifier there.
PKCE_COOKIE = "ulakbel_pkce"


def dev_sign_in_allowed() -> bool:
    from ..auth import DEV_TOKEN_STAGES

    return container.settings().stage in DEV_TOKEN_STAGES


def _sign_in(request, token: str) -> Response:
    principal = container.token_verifier().verify(f"Bearer {token}")  # raises Unauthenticated (→ 401)
    del principal
    return redirect("/console", {"Set-Cookie": cookie(request, SESSION_COOKIE, token, SESSION_SECONDS)})


def _login_page(request, flash: str | None = None, status: int = 200) -> Response:
    nonce = secrets.token_urlsafe(24)
    oauth = container.cognito_oauth()
    return html(render("login.html", principal=None, csrf=nonce, flash=flash, flash_kind="error" if flash else None,
                       cognito_url="/console/login/start" if oauth.configured else None,
                       dev_sign_in=dev_sign_in_allowed()), status,
                headers={"Set-Cookie": cookie(request, LOGIN_COOKIE, nonce, 3600)})


def _login_error(status: int, code: str, message: str) -> Response:
    if status == 401:
        return html(render("login.html", principal=None, csrf="", flash=message, flash_kind="error",
                           cognito_url="/console/login/start" if container.cognito_oauth().configured else None,
                           dev_sign_in=dev_sign_in_allowed()), 401)
    return page_error(status, code, message)


@endpoint(bp, "/console/login", ["GET"], auth=False, on_error=_login_error)
def login_page(principal, request):
    params = query_params(request)
    if params.get("token") and dev_sign_in_allowed():
        return _sign_in(request, params["token"].strip())  # the link `ulakbel dev` prints (local stage only)
    return _login_page(request)


def _callback_url() -> str:
    return f"{container.settings().public_base_url}/console/callback"


@endpoint(bp, "/console/login/start", ["GET"], auth=False, on_error=_login_error)
def login_start(principal, request):
    """Start the authorization-code flow: a fresh state and PKCE verifier in a short-lived HttpOnly cookie
    (SameSite=Lax: it must come back on the hosted UI's cross-site redirect to /console/callback)."""
    oauth = container.cognito_oauth()
    if not oauth.configured:
        raise Unauthenticated("Kurumsal giriş yapılandırılmamış / sign-in with the user pool is not configured")
    verifier, challenge = container.pkce_pair()
    state = secrets.token_urlsafe(24)
    location = oauth.authorize_url(redirect_uri=_callback_url(), state=state, code_challenge=challenge)
    return redirect(location, {"Set-Cookie": cookie(request, PKCE_COOKIE, f"{state}.{verifier}", 600,
                                                    path="/console", same_site="Lax")})


@endpoint(bp, "/console/callback", ["GET"], auth=False, on_error=_login_error)
def cognito_callback(principal, request):
    """The hosted UI sends the browser back with ?code&state: the code is exchanged (with the PKCE verifier)
    for the pool's tokens server-side; the id token becomes the session, the refresh token renews it."""
    params = query_params(request)
    clear_pkce = cookie(request, PKCE_COOKIE, "", 0, path="/console", same_site="Lax")
    state, _, verifier = cookies(request).get(PKCE_COOKIE, "").partition(".")
    if params.get("error"):
        raise Unauthenticated(f"Giriş iptal edildi ya da reddedildi ({params['error'][:60]}) / "
                              "sign-in was cancelled or refused")
    if not state or not verifier or not hmac.compare_digest(state, params.get("state", "")):
        raise Unauthenticated("Giriş oturumu geçersiz ya da süresi doldu; yeniden deneyin / "
                              "the sign-in attempt is invalid or expired; try again")
    if not params.get("code"):
        raise Unauthenticated("Giriş kodu eksik / the sign-in code is missing")
    tokens = container.cognito_oauth().exchange_code(code=params["code"], redirect_uri=_callback_url(),
                                                     code_verifier=verifier)
    container.token_verifier().verify(f"Bearer {tokens.id_token}")  # raises Unauthenticated (→ 401)
    # A page (not a redirect) continues to /console: the session cookie is SameSite=Strict, and a redirect
    # chain that began on the hosted UI's site would not send it.
    return html(render("callback.html", principal=None, csrf=""),
                headers={"Set-Cookie": [*session_cookies(request, tokens.id_token, tokens.refresh_token),
                                        clear_pkce]})


@endpoint(bp, "/console/login", ["POST"], auth=False, on_error=_login_error)
def login_submit(principal, request):
    data = form(request)
    nonce = cookies(request).get(LOGIN_COOKIE, "")
    if not nonce or not hmac.compare_digest(nonce, data.get("csrf", "")):
        raise Forbidden("Giriş formu geçersiz (CSRF); sayfayı yenileyin / the sign-in form is invalid (CSRF)")
    token = data.get("token", "").strip()
    if token.lower().startswith("bearer "):
        token = token[7:].strip()
    if not token:
        raise InvalidInput("Jeton boş / the token is empty")
    return _sign_in(request, token)


@endpoint(bp, "/console/logout", ["POST"], cookie_auth=True, on_error=page_error)
def logout(principal, request):
    """Clears the cookies; with a user-pool session also revokes the refresh token and ends the hosted UI's
    session (a shared municipal PC must not sign the next person in without a password)."""
    from .staff_session import REFRESH_COOKIE

    check_csrf(request, form(request))
    refresh = cookies(request).get(REFRESH_COOKIE)
    oauth = container.cognito_oauth()
    location = "/console/login"
    if refresh and oauth.configured:
        oauth.revoke(refresh)
        location = oauth.logout_url(f"{container.settings().public_base_url}/console/login")
    return redirect(location, {"Set-Cookie": cleared_cookies(request)})


# -- static assets --------------------------------------------------------------------------------------
@endpoint(bp, "/console/static/{name}", auth=False, on_error=page_error)
def static(principal, request, name):
    from ..domain.errors import NotFound
    from ..web.render import STATIC, STATIC_TYPES

    path = STATIC / name
    ctype = STATIC_TYPES.get(path.suffix)
    if "/" in name or name.startswith(".") or ctype is None or not path.is_file():
        raise NotFound("Dosya yok / no such file")
    return Response(body=path.read_text(encoding="utf-8"), status_code=200,
                    headers={"Content-Type": ctype, "Cache-Control": "public, max-age=300",
                             "X-Content-Type-Options": "nosniff"})


# -- inbox ----------------------------------------------------------------------------------------------
def _enum(params: dict[str, str], name: str, enum) -> str | None:
    value = params.get(name)
    if not value:
        return None
    try:
        return enum(value).value
    except ValueError:
        raise InvalidInput(f"'{name}' değeri geçersiz / invalid '{name}'") from None


def inbox_filters(params: dict[str, str]):
    from ..usecases.console import InboxFilters

    sort = params.get("sort") or "new"
    if sort not in ("new", "old", "due"):
        raise InvalidInput("'sort' new, old ya da due olmalı / 'sort' must be new, old or due")
    return InboxFilters(
        channel=_enum(params, "channel", models.Channel), status=_enum(params, "status", models.Status),
        kind=_enum(params, "kind", models.Kind), department=params.get("department") or None,
        neighbourhood=params.get("neighbourhood") or None, category=params.get("category") or None,
        q=(params.get("q") or "").strip()[:200] or None, sort=sort, overdue=params.get("overdue") == "1",
        mine=params.get("mine") == "1", next=params.get("next") or None)


INBOX_PARAMS = ("channel", "department", "status", "kind", "neighbourhood", "category", "q", "sort", "overdue", "mine")


def _bulk_staff(principal) -> list[tuple[str, list[dict[str, str]]]]:
    """The bulk-assign picker: the caller's department's staff, or every department's for Beyaz Masa/admins."""
    from ..web.render import department_labels

    if principal.role == "viewer":
        return []
    codes = [principal.department] if principal.role == "department" else list(department_labels())
    directory = container.staff_directory()
    return [(department_labels().get(c, c), m) for c in codes if c and (m := directory.members(c))]


@endpoint(bp, "/console", cookie_auth=True, on_error=page_error)
def inbox_page(principal, request):
    from ..understanding import neighbourhoods
    from ..understanding.text import collation_key
    from ..usecases.console import inbox

    params = query_params(request)
    f = inbox_filters(params)
    page = inbox(container.repository(), principal, f)
    keep = {k: v for k, v in params.items() if v and k in INBOX_PARAMS}
    next_url = "/console?" + urlencode({**keep, "next": page.next}) if page.next else None
    flash = None
    if params.get("bulk_done", "").isdigit():
        flash = (f"Toplu işlem: {params['bulk_done']} talep güncellendi, {params.get('bulk_failed', '0')} talep "
                 f"yapılamadı / bulk: {params['bulk_done']} updated, {params.get('bulk_failed', '0')} refused")
    return html(render("inbox.html", **context(
        principal, request, active="inbox", f=f, items=page.items, next_url=next_url, flash=flash,
        flash_kind="error" if params.get("bulk_failed", "0") not in ("", "0") else None,
        bulk_staff=_bulk_staff(principal), can_act=principal.role != "viewer", first_page=not f.next,
        newest=page.newest or datetime.now(timezone.utc).isoformat(),
        request_url="/console?" + urlencode(keep),
        neighbourhood_names=sorted((n["name"] for n in neighbourhoods()), key=collation_key))))


@endpoint(bp, "/console/poll", cookie_auth=True)
def poll(principal, request):
    from ..usecases.console import count_newer

    raw = query_params(request).get("after") or ""
    try:
        after = datetime.fromisoformat(raw.replace("Z", "+00:00").replace(" ", "+"))
    except ValueError:
        raise InvalidInput("'after' ISO 8601 olmalı / 'after' must be ISO 8601") from None
    if after.tzinfo is None:
        after = after.replace(tzinfo=timezone.utc)
    return {"new_count": count_newer(container.repository(), principal, after)}


# -- request view and actions ---------------------------------------------------------------------------
def _options(kind: str) -> list[tuple[str, str]]:
    from ..web.render import department_labels

    return list(department_labels().items()) if kind == "departments" else []


ACTIONS: tuple[dict[str, Any], ...] = (
    {"name": "reply", "module": "outbound", "functions": ("reply", "send_reply", "reply_to_request"),
     "title": "Vatandaşa yanıt (geldiği kanaldan) / Reply on the citizen's channel", "button": "Gönder / Send",
     "fields": ({"name": "text", "label": "Yanıt / Reply", "kind": "textarea", "required": True},)},
    {"name": "note", "module": "workflow", "functions": ("add_note", "note"),
     "title": "İç not / Internal note", "button": "Not ekle / Add note",
     "fields": ({"name": "text", "label": "Not / Note", "kind": "textarea", "required": True},)},
    {"name": "assign", "module": "workflow", "functions": ("assign", "assign_request"),
     "title": "Ata / Assign", "button": "Ata / Assign",
     "fields": ({"name": "assignee", "label": "Personel / Staff member", "kind": "input", "required": True},)},
    {"name": "forward", "module": "workflow", "functions": ("forward", "forward_request"),
     "title": "İlet / Forward", "button": "İlet / Forward",
     "fields": ({"name": "department", "label": "Müdürlük / Department", "kind": "select",
                 "options": "departments"},
                {"name": "institution", "label": "Dış kurum / Outside institution", "kind": "input"},
                {"name": "external_ref", "label": "Kurum referansı / External reference", "kind": "input"},
                {"name": "note", "label": "Not / Note", "kind": "textarea"})},
    {"name": "merge", "module": "workflow", "functions": ("merge", "merge_requests", "merge_request"),
     "title": "Birleştir / Merge into another request", "button": "Birleştir / Merge",
     "fields": ({"name": "into", "label": "Hedef talep no / Target request id", "kind": "input",
                 "required": True},)},
)


def _usecase(action: dict[str, Any]):
    """The use case behind a console form (explicit wiring: the console is one more adapter of the use cases)."""
    return _BINDINGS.get(action["name"])


def _form_value(payload: dict[str, Any], key: str) -> bool:
    return str(payload.get(key, "")).lower() in ("1", "on", "true", "yes", "evet")


def _reply(principal, request_id: str, payload: dict[str, Any]):
    from ..domain.outbound import ReplyCommand
    from ..usecases import outbound

    cmd = ReplyCommand(text=payload.get("text", ""), public=_form_value(payload, "public"))
    return outbound.reply(container.repository(), container.outbound_queue(), principal, request_id, cmd)


def _workflow(name: str, body_model: str, *, needs_queue: bool = False):
    def call(principal, request_id: str, payload: dict[str, Any]):
        from ..usecases import workflow

        model = getattr(workflow, body_model)
        body = model.model_validate({k: v for k, v in payload.items() if k in model.model_fields})
        args = (container.task_queue(),) if needs_queue else ()
        return getattr(workflow, name)(container.repository(), *args, principal, request_id, body)
    return call


_BINDINGS: dict[str, Callable[..., Any]] = {
    "reply": _reply,
    "note": _workflow("add_note", "NoteBody"),
    "assign": _workflow("assign", "AssignBody"),
    "forward": _workflow("forward", "ForwardBody", needs_queue=True),
    "merge": _workflow("merge", "MergeBody"),
}


def _flash(ok: str | None) -> str | None:
    from ..web.strings import both

    return both(FLASH[ok]) if ok in FLASH else None


def _labels() -> dict[str, dict[str, str]]:
    """Turkish names for the conversation's sentences."""
    from ..web.render import CHANNEL_LABELS, STATUS_LABELS, category_labels, department_labels

    return {"departments": department_labels(), "categories": category_labels(),
            "statuses": {k: v.split(" / ")[0] for k, v in STATUS_LABELS.items()},
            "channels": {k: v[1].split(" / ")[0] for k, v in CHANNEL_LABELS.items()}}


def _reply_limits(found) -> tuple[str, int | None, bool]:
    """(what the reply goes through, its length limit, whether it is an SMS) for the reply box."""
    from ..domain.outbound import NoRoute, reply_route
    from ..usecases.outbound import MAX_TEXT, SMS_ROUTES

    try:
        route, _, _ = reply_route(found, False)
    except NoRoute as exc:
        return f"Elle iletilecek / to be sent manually: {exc}", None, False
    return f"Kanal / route: {route}", MAX_TEXT.get(route), route in SMS_ROUTES


@endpoint(bp, "/console/requests/{request_id}", cookie_auth=True, on_error=page_error)
def request_page(principal, request, request_id):
    from ..usecases.console import is_overdue, merge_suggestions, next_statuses
    from ..web.canned import canned_replies, institutions, placeholders
    from ..web.conversation import conversation
    from ..web.render import department_labels, fmt_time, map_points

    found = requests_usecase.visible_request(container.repository(), principal, request_id)
    doc = requests_usecase.present(found, principal)
    loc = found.location
    the_map = map_points(highlight=loc.neighbourhood if loc else None,
                         point=(loc.lat, loc.long) if loc and loc.lat is not None else None)
    can_act = principal.role != "viewer"
    staff = container.staff_directory().members(found.department) if found.department and can_act else []
    route_label, limit, sms = _reply_limits(found)
    dept_name = department_labels().get(found.department or "", "Talas Belediyesi")
    canned = canned_replies(found.department, placeholders(doc, dept_name, fmt_time(found.due_at)[:10]))
    ok = query_params(request).get("ok")
    return html(render("request.html", **context(
        principal, request, active="inbox", r=doc, map=the_map, overdue=is_overdue(found, datetime.now(timezone.utc)),
        next_statuses=next_statuses(found), can_act=can_act, convo=conversation(doc, _labels()),
        staff=staff, staff_names={m["sub"]: m["name"] for m in staff}, institutions=institutions(),
        suggestions=merge_suggestions(container.repository(), principal, found) if can_act else [],
        canned=canned if can_act else [], reply_limit=limit, reply_sms=sms, reply_route_label=route_label,
        flash=_flash(ok))))


def _merge_target(principal, payload: dict[str, Any]) -> None:
    """The merge form names the surviving request by its tracking code (what staff see), not its id."""
    from ..domain.errors import NotFound

    from ..domain.identifiers import normalise_tracking_code

    code = normalise_tracking_code(payload.pop("tracking_code", "") or "")
    if code and not payload.get("into"):
        target = container.repository().get_by_tracking_code(code)
        if target is None or not principal.can_see_department(target.department):
            raise NotFound(f"Bu takip koduyla talep yok: {code[:40]} / no request with this tracking code")
        payload["into"] = target.id


@endpoint(bp, "/console/requests/{request_id}/{action}", ["POST"], cookie_auth=True, on_error=page_error)
def request_action(principal, request, request_id, action):
    data = form(request)
    check_csrf(request, data)
    payload: dict[str, Any] = {k: v.strip() for k, v in data.items() if k != "csrf" and v.strip()}
    if "version" in payload:
        try:
            payload["version"] = int(payload["version"])
        except ValueError:
            raise InvalidInput("'version' bir tam sayı olmalı / 'version' must be an integer") from None
    if action == "status":
        change = models.StatusChange(**{k: payload.get(k) for k in ("status", "note", "version") if payload.get(k)})
        requests_usecase.change_status(container.repository(), principal, request_id, change)
    else:
        spec = next((a for a in ACTIONS if a["name"] == action), None)
        if spec is None:
            from ..domain.errors import NotFound

            raise NotFound("Böyle bir işlem yok / no such action")
        fn = _usecase(spec)
        if fn is None:
            raise InvalidInput("Bu işlem henüz kullanılamıyor / this action is not available yet")
        principal.require("admin", "agent", "department")
        if action == "merge":
            _merge_target(principal, payload)
        if action == "forward" and payload.get("institution") and payload.get("department") not in (None, "dis_kurum"):
            raise InvalidInput("Dış kurum yalnızca 'Diğer Kurumlar' ile seçilir / an outside institution goes "
                               "with dis_kurum only")
        fn(principal, request_id, {k: v for k, v in payload.items() if k != "public" or action == "reply"})
    return redirect(f"/console/requests/{request_id}?ok={action}")


@endpoint(bp, "/console/bulk", ["POST"], cookie_auth=True, on_error=page_error)
def bulk_action(principal, request):
    """Selected inbox rows → assign / change status / forward, one use case call per request."""
    from ..usecases.console import bulk

    raw = (request.raw_body or b"").decode("utf-8", errors="replace")
    multi = parse_qs(raw, keep_blank_values=True)
    data = {k: v[0] for k, v in multi.items()}
    check_csrf(request, data)
    action = data.get("action", "")
    value = data.get({"assign": "assignee", "status": "status", "forward": "department"}.get(action, "_"), "").strip()
    result = bulk(container.repository(), container.task_queue(), principal, multi.get("id", []), action, value,
                  (data.get("note") or "").strip() or None)
    back = data.get("back", "")
    keep = parse_qs(back[len("/console?"):]) if back.startswith("/console?") else {}
    query = {k: v[0] for k, v in keep.items() if k in INBOX_PARAMS}
    query.update({"bulk_done": len(result["done"]), "bulk_failed": len(result["failed"])})
    return redirect("/console?" + urlencode(query))


# -- analytics page -------------------------------------------------------------------------------------
def _line(labels, rows, key_label, title, chart_id, top: int = 6):
    """A weekly line chart of the `top` series (the rest summed as "Diğer") and its table rows."""
    from ..web.charts import line_chart

    shown = rows[:top]
    rest = rows[top:]
    series = [(key_label(r["key"]), r["values"]) for r in shown]
    if rest:
        series.append(("Diğer / other", [sum(v) for v in zip(*(r["values"] for r in rest))]))
    table = [[w, *(vals[i] for _, vals in series)] for i, w in enumerate(labels)]
    return line_chart(labels, series, title=title, chart_id=chart_id), [n for n, _ in series], table


def analytics_figures(charts: dict[str, Any]) -> dict[str, Any]:
    from ..web.charts import line_chart, scale_class
    from ..web.render import CHANNEL_LABELS, department_labels

    weeks = charts["weeks"]
    short = [w.split("-W")[1] for w in weeks]
    ch_name = lambda c: CHANNEL_LABELS.get(c, ("", c))[1].split(" / ")[0]  # noqa: E731
    dep_name = lambda d: department_labels().get(d, d).replace(" Müdürlüğü", "")  # noqa: E731
    ch_svg, ch_keys, ch_rows = _line(short, charts["channel_weekly"], ch_name,
                                     "Kanallara göre haftalık talep / weekly requests per channel", "chart-channels")
    dep_svg, dep_keys, dep_rows = _line(short, charts["department_weekly"], dep_name,
                                        "Müdürlüklere göre haftalık talep / weekly requests per department",
                                        "chart-departments")
    sla = charts["sla_weekly"]
    sla_svg = line_chart(short, [("Süresinde / on time", [r["ratio"] for r in sla])], percent=True,
                         title="Süresinde çözülenlerin oranı / SLA compliance per week", chart_id="chart-sla")
    m = charts["matrix"]
    heat = [[ch_name(c), *[(v := m["cells"].get(f"{c}|{d}", 0), scale_class(v, m["top"]) if v else None)
                           for d in m["departments"]]] for c in m["channels"]]
    return {
        "channels": {"svg": ch_svg, "headers": ["Hafta / week", *ch_keys], "rows": ch_rows},
        "departments": {"svg": dep_svg, "headers": ["Hafta / week", *dep_keys], "rows": dep_rows},
        "sla": {"svg": sla_svg, "headers": ["Hafta / week", "Süresinde / on time", "Çözülen / resolved (SLA)"],
                "rows": [[w, f"%{r['ratio'] * 100:.0f}" if r["ratio"] is not None else None, r["n"]]
                         for w, r in zip(weeks, sla)]},
        "matrix": {"departments": [dep_name(d) for d in m["departments"]], "rows": heat},
    }


@endpoint(bp, "/console/analytics", cookie_auth=True, on_error=page_error)
def analytics_page(principal, request):
    from ..usecases import analytics
    from ..web.render import map_choropleth
    from .analytics_api import filters_from

    params = query_params(request)
    data = analytics.dashboard_with_charts(container.analytics_store(), principal, filters_from(params))
    matrix = {(r["neighbourhood"], r["category"]): r for r in data["matrix"]}
    cats = [c["category"] for c in data["categories"]][:12]
    nbhs = [n["neighbourhood"] for n in data["neighbourhoods"]]
    qs = urlencode({k: v for k, v in data["filters"].items() if v})
    mode = "overdue" if params.get("map") == "overdue" else "volume"
    counts = {n["neighbourhood"]: n["count"] for n in data["neighbourhoods"]}
    if mode == "overdue":
        values = {n["neighbourhood"]: (n["overdue"] / n["open"] if n["open"] else None) for n in data["neighbourhoods"]}
        the_map = map_choropleth({k: v for k, v in values.items() if v is not None}, percent=True, counts=counts,
                                 what="Açık taleplerde gecikmiş oranı / overdue share of open requests")
    else:
        the_map = map_choropleth(counts, counts=None, what="Talep sayısı / number of requests")
    return html(render("analytics.html", **context(
        principal, request, active="analytics", d=data, matrix=matrix, matrix_cats=cats, matrix_nbhs=nbhs,
        qs=qs, map=the_map, map_mode=mode, fig=analytics_figures(data["charts"]))))


# -- public transparency page ---------------------------------------------------------------------------
@endpoint(bp, "/seffaf", auth=False, on_error=page_error)
def seffaf(principal, request):
    from ..usecases import analytics
    from ..web.charts import line_chart
    from ..web.render import map_choropleth

    data, charts = analytics.public_page(container.analytics_store())
    shown = [n for n in data["neighbourhoods"] if not n["suppressed"]]
    the_map = map_choropleth({n["neighbourhood"]: n["count"] for n in shown},
                             suppressed=frozenset(n["neighbourhood"] for n in data["neighbourhoods"] if n["suppressed"]),
                             what="Talep sayısı (5'ten az gizli) / requests (under 5 hidden)")
    short = [w.split("-W")[1] for w in charts["weeks"]]
    weekly = line_chart(short, [("Talep / requests", [w["count"] for w in charts["weekly"]])],
                        title="Haftalık talep sayısı / weekly requests", chart_id="pub-weekly")
    resolved = line_chart(short, [("Çözülen / resolved", [w["resolved_ratio"] for w in charts["weekly"]])],
                          percent=True, title="Haftalık çözülme oranı / weekly resolved share", chart_id="pub-resolved")
    from ..web.render import fmt_ratio

    body = render("seffaf.html", principal=None, d=data, days=90, map=the_map, charts=charts,
                  weekly=weekly, resolved=resolved,
                  weekly_rows=[[w["week"], "< 5" if w["count"] is None else w["count"]] for w in charts["weekly"]],
                  resolved_rows=[[w["week"], fmt_ratio(w["resolved_ratio"])] for w in charts["weekly"]])
    return html(body, headers={"Cache-Control": "public, max-age=300"})


# -- CİMER / e-Devlet upload (agent, admin) ----------------------------------------------------------------
IMPORT_KINDS = {"cimer": ("CİMER", "cimer"), "e-devlet": ("e-Devlet", "e_devlet")}
MAX_UPLOAD_BYTES = 5 * 1024 * 1024 + 64 * 1024  # the 5 MB file and the form around it


def multipart(request) -> tuple[dict[str, str], dict[str, tuple[str, bytes]]]:
    """multipart/form-data → (text fields, files as (file name, bytes)); bytes stay exact (no decoding)."""
    from email.parser import BytesParser
    from email.policy import HTTP

    ctype = request.headers.get("content-type") or ""
    if not ctype.lower().startswith("multipart/form-data") or "boundary=" not in ctype or any(
            c in ctype for c in "\r\n"):
        raise InvalidInput("Form multipart/form-data olmalı / the form must be multipart/form-data")
    raw = request.raw_body or b""
    raw = raw if isinstance(raw, bytes) else raw.encode("utf-8", "surrogateescape")
    msg = BytesParser(policy=HTTP).parsebytes(f"Content-Type: {ctype}\r\n\r\n".encode("latin-1", "replace") + raw)
    if not msg.is_multipart():
        raise InvalidInput("Form okunamadı / the form could not be read")
    fields: dict[str, str] = {}
    files: dict[str, tuple[str, bytes]] = {}
    for part in msg.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not name or name in fields or name in files:
            continue
        payload = part.get_payload(decode=True) or b""
        filename = part.get_filename()
        if filename is not None:
            files[str(name)] = (str(filename), payload)
        else:
            fields[str(name)] = payload.decode("utf-8", "replace")
    return fields, files


def _import_page(principal, request, **extra: Any) -> Response:
    return html(render("imports.html", **context(principal, request, active="imports", kinds=IMPORT_KINDS,
                                                 **extra)))


@endpoint(bp, "/console/imports", cookie_auth=True, on_error=page_error)
def imports_page(principal, request):
    principal.require("agent", "admin")
    return _import_page(principal, request, kind="cimer", report=None, rows=[])


@endpoint(bp, "/console/imports", ["POST"], cookie_auth=True, on_error=page_error,
          content_types=["multipart/form-data"], max_body=MAX_UPLOAD_BYTES)
def imports_upload(principal, request):
    """Upload a CİMER / e-Devlet export (.xlsx, CSV, JSON); `mode=dry_run` previews, `mode=import` imports."""
    from ..usecases.imports import import_file
    from .imports_api import file_format

    principal.require("agent", "admin")
    fields, files = multipart(request)
    check_csrf(request, fields)
    kind = fields.get("kind", "")
    if kind not in IMPORT_KINDS:
        raise InvalidInput("Kaynak CİMER ya da e-Devlet olmalı / the source must be CİMER or e-Devlet")
    filename, content = files.get("file", ("", b""))
    if not content:
        raise InvalidInput("Dosya seçilmedi ya da boş / no file chosen, or the file is empty")
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    fmt = suffix if suffix in ("xlsx", "csv", "json") else None
    dry_run = fields.get("mode") != "import"
    report = import_file(content, fmt, models.Channel(IMPORT_KINDS[kind][1]), container.repository(),
                         actor=principal.actor, dry_run=dry_run)
    rows = sorted([*report["items"], *({**e, "result": "error"} for e in report["errors"])], key=lambda r: r["row"])
    return _import_page(principal, request, kind=kind, report=report, rows=rows, filename=filename[:200])

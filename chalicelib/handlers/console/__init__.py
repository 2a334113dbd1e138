"""The staff console (/console): sign-in, unified inbox, request view with actions, analytics page; and the public
transparency page (/seffaf).

Server-rendered HTML over the same use cases as the JSON API. The session cookie carries the same bearer
token the API accepts (HttpOnly, SameSite=Strict, Secure except on 127.0.0.1/localhost); every form carries a
CSRF token bound to the session (an HMAC of the session token, which page scripts cannot read).

    page.py             the blueprint, HTML responses, CSRF, forms, template context
    signin.py           sign-in (dev token or the user pool's hosted UI with PKCE) and sign-out
    assets.py           static files
    inbox.py            the inbox and its poll for new requests
    pickers.py          staff pickers and conversation labels
    bulk.py             bulk actions on selected inbox rows
    request_view.py     one request's page
    request_actions.py  the forms on a request's page, wired to their use cases
    analytics_page.py   the staff analytics page
    transparency.py     the public /seffaf page
    imports_upload.py   CİMER / e-Devlet export upload

Importing this package registers every console route on `bp` (app.py registers it).
"""
from . import (  # noqa: F401  (each module registers its routes on bp)
    analytics_page, assets, bulk, imports_upload, inbox, request_actions, request_view, signin, transparency,
)
from .page import bp, csrf_for

__all__ = ["bp", "csrf_for"]

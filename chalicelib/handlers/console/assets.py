"""The console's static files (CSS, the page script), served from chalicelib/web/static."""
from __future__ import annotations

from chalice import Response

from ...domain.texts import both  # every user-facing text: domain/strings.yaml
from ..http import endpoint
from .page import bp, page_error


@endpoint(bp, "/console/static/{name}", auth=False, on_error=page_error)
def static(principal, request, name):
    from ...domain.errors import NotFound
    from ...web.render import STATIC, STATIC_TYPES

    path = STATIC / name
    ctype = STATIC_TYPES.get(path.suffix)
    if "/" in name or name.startswith(".") or ctype is None or not path.is_file():
        raise NotFound(both("err.no_file_static"))
    return Response(body=path.read_text(encoding="utf-8"), status_code=200,
                    headers={"Content-Type": ctype, "Cache-Control": "public, max-age=300",
                             "X-Content-Type-Options": "nosniff"})

from __future__ import annotations

from chalice import Blueprint

from .. import container
from .http import endpoint

bp = Blueprint(__name__)


@endpoint(bp, "/health", auth=False)
def health(principal, request):
    return {"status": "ok", "service": "ulakbel", "stage": container.settings().stage}

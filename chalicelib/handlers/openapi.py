"""GET /openapi.json: the whole HTTP API, generated on request from the routes of the Chalice app and the
pydantic models given to `endpoint(body=, response=, query=)`. Nothing is built at import (cold start).

Routes registered without models (or outside `endpoint`) still appear, with a generic schema, so the
description always covers every route a client can call.
"""
from __future__ import annotations

import re
from typing import Any

from chalice import Blueprint

from .http import ENDPOINTS, EndpointSpec, endpoint, resolve_model

bp = Blueprint(__name__)

ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {"error": {"type": "object", "required": ["code", "message"], "properties": {
        "code": {"type": "string"}, "message": {"type": "string"}, "details": {}}}},
}
# Open311 GeoReport v2 answers errors in its own shape (a list), as existing civic clients expect.
OPEN311_ERROR_SCHEMA = {
    "type": "array",
    "items": {"type": "object", "required": ["code", "description"],
              "properties": {"code": {"type": "integer"}, "description": {"type": "string"}}},
}
# Errors Chalice answers before our code runs (e.g. 415 for an undeclared content type).
CHALICE_ERROR_SCHEMA = {"type": "object", "required": ["Code", "Message"],
                        "properties": {"Code": {"type": "string"}, "Message": {"type": "string"}}}
def error_statuses() -> dict[str, str]:
    """Each error status the API answers, described from the string catalogue (api.status_*)."""
    from ..domain.texts import both

    return {"400": both("api.status_400"), "401": both("api.status_401"), "403": both("api.status_403"),
            "404": both("api.status_404"), "405": both("api.status_405"), "409": both("api.status_409"),
            "413": both("api.status_413"), "415": both("api.status_415"), "429": both("api.status_429"),
            "503": both("api.status_503")}


_CACHE: dict[str, Any] = {}


def _op_id(spec: EndpointSpec | None, method: str, path: str) -> str:
    if spec is not None:
        group = spec.module.removeprefix("chalicelib.handlers.").split(".")[0]  # the console package → "console"
        return f"{group}.{spec.view}" + ("" if len(spec.methods) == 1 else f".{method}")
    return method.lower() + re.sub(r"[^A-Za-z0-9]+", "_", path).rstrip("_")


def _json_content(schema: dict[str, Any]) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


def build(routes: dict[str, dict[str, Any]], endpoints: list[EndpointSpec] | None = None,
          *, title: str = "ulakbel", version: str = "0.1.0") -> dict[str, Any]:
    """OpenAPI 3.1 from chalice's route table ({path: {method: RouteEntry}}) and the endpoint registry."""
    from pydantic.json_schema import models_json_schema

    specs = {(e.path, m.upper()): e for e in (ENDPOINTS if endpoints is None else endpoints) for m in e.methods}
    wanted: dict[tuple[type, str], None] = {}
    for spec in specs.values():
        for ref, mode in ((spec.body, "validation"), (spec.response, "serialization")):
            if ref is not None:
                wanted[(resolve_model(ref), mode)] = None
    refs, defs = models_json_schema(list(wanted), ref_template="#/components/schemas/{model}") if wanted \
        else ({}, {})
    schemas: dict[str, Any] = {**defs.get("$defs", {}), "Error": ERROR_SCHEMA, "Open311Error": OPEN311_ERROR_SCHEMA,
                               "ChaliceError": CHALICE_ERROR_SCHEMA}

    paths: dict[str, Any] = {}
    statuses = error_statuses()
    for path in sorted(routes):
        for method, entry in sorted(routes[path].items()):
            spec = specs.get((path, method.upper()))
            op: dict[str, Any] = {"operationId": _op_id(spec, method, path), "tags": [path.strip("/").split("/")[0]
                                                                                     or "root"]}
            if spec is not None and spec.doc:
                op["summary"] = spec.doc.splitlines()[0]
            params = [{"name": p, "in": "path", "required": True, "schema": {"type": "string", "minLength": 1}}
                      for p in re.findall(r"{(\w+)}", path)]
            query = spec.query if spec is not None else None
            if query is not None and not isinstance(query, (tuple, list)):
                model = resolve_model(query)
                params += [{"name": name, "in": "query", "required": False, "schema": {"type": "string"}}
                           for name in model.model_fields]
            elif query:
                params += [{"name": name, "in": "query", "required": False, "schema": {"type": "string"}}
                           for name in query]
            if params:
                op["parameters"] = params
            if method.upper() in ("POST", "PUT", "PATCH"):
                if spec is not None and spec.body is not None:
                    op["requestBody"] = {"required": True, "content": _json_content(
                        refs[(resolve_model(spec.body), "validation")])}
                else:
                    types = (spec.content_types if spec is not None else None) or entry.content_types
                    op["requestBody"] = {"required": False, "content": {t: {"schema": {}} for t in types}}
            # A POST with a body may create (201) or find the same thing again (200, e.g. a redelivery).
            ok = "201" if spec is not None and spec.body is not None and method.upper() == "POST" else "200"
            if spec is not None and spec.response is not None:
                body = refs[(resolve_model(spec.response), "serialization")]
                responses: dict[str, Any] = {ok: {"description": "OK", "content": _json_content(body)}}
                if ok == "201":
                    responses["200"] = {"description": "OK (nothing created, e.g. same channel_ref again)",
                                        "content": _json_content(body)}
            else:
                responses = {"200": {"description": "OK"}}
                if ok == "201":
                    responses["201"] = {"description": "Created"}
            error_ref = "Open311Error" if path.startswith("/open311/") else "Error"
            error = {"description": "", "content": _json_content({"$ref": f"#/components/schemas/{error_ref}"})}
            for status, text in statuses.items():
                if spec is not None:  # `endpoint` answers every error in the one JSON shape
                    responses[status] = {**error, "description": text}
            if spec is not None:  # a content type the route does not declare is refused by Chalice itself
                responses["415"] = {"description": statuses["415"], "content": _json_content({"anyOf": [
                    error["content"]["application/json"]["schema"], {"$ref": "#/components/schemas/ChaliceError"}]})}
            op["responses"] = responses
            if (spec.auth if spec is not None else entry.authorizer is not None):
                op["security"] = [{"bearerAuth": []}]
            paths.setdefault(path, {})[method.lower()] = op
    return {
        "openapi": "3.1.0",
        "info": {"title": title, "version": version,
                 "description": "ulakbel HTTP API — generated from the code (pydantic models and routes)."},
        "paths": paths,
        "components": {"schemas": schemas,
                       "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}}},
    }


@endpoint(bp, "/openapi.json", auth=False)
def openapi_json(principal, request):
    """The OpenAPI 3.1 description of this API."""
    routes = bp.current_app.routes
    key = str(len(routes))
    if key not in _CACHE:
        _CACHE.clear()
        _CACHE[key] = build(routes)
    return _CACHE[key]

"""A small Open311 GeoReport v2 client written only from the spec (wiki.open311.org/GeoReport_v2).

Why not a PyPI client: `georeport` 0.3.1 is read-only (no POST) and `three` 0.8.0 is Python 2 only
(`from itertools import ifilter`), so neither can drive the journey.
This client is discovery-driven like the SeeClickFix validator: it reads the endpoint URL and the formats
from discovery, then only uses the documented paths and form encoding. The transport is injectable
(Chalice's test client in integration tests, urllib against `ulakbel dev` elsewhere).
"""
from __future__ import annotations

import json
from typing import Any, Callable
from urllib.parse import urlencode, urlsplit
from xml.etree import ElementTree

Transport = Callable[[str, str, dict[str, str], bytes | None], tuple[int, dict[str, str], bytes]]


class Open311Error(Exception):
    def __init__(self, status: int, errors: list[dict[str, Any]]):
        super().__init__(f"{status}: {errors}")
        self.status = status
        self.errors = errors


def chalice_transport(client) -> Transport:
    def send(method: str, path: str, headers: dict[str, str], body: bytes | None):
        r = getattr(client.http, method.lower())(path, headers=headers, body=body or b"")
        return r.status_code, {k.lower(): v for k, v in r.headers.items()}, r.body

    return send


class Open311Client:
    def __init__(self, transport: Transport, discovery_path: str, api_key: str | None = None, fmt: str = "json"):
        self.send = transport
        self.api_key = api_key
        self.fmt = fmt
        self.discovery = self._get_json(f"{discovery_path}.json")
        endpoint = next(e for e in self.discovery["endpoints"] if "GeoReport_v2" in e["specification"])
        if "application/json" not in endpoint["formats"]:
            raise AssertionError("server does not offer JSON")
        self.base = urlsplit(endpoint["url"]).path.rstrip("/")

    def _get_json(self, path: str) -> Any:
        status, headers, body = self.send("GET", path, {}, None)
        return self._decode(status, headers, body)

    @staticmethod
    def _decode(status: int, headers: dict[str, str], body: bytes) -> Any:
        assert headers["content-type"].startswith("application/json"), headers
        data = json.loads(body)
        if status >= 400:
            raise Open311Error(status, data)
        return data

    def get(self, resource: str, **params: str) -> Any:
        query = ("?" + urlencode(params)) if params else ""
        return self._get_json(f"{self.base}/{resource}.json{query}")

    def services(self) -> list[dict]:
        return self.get("services")

    def service_definition(self, code: str) -> dict:
        return self.get(f"services/{code}")

    def post_request(self, service_code: str, **fields: Any) -> list[dict]:
        form: list[tuple[str, str]] = [("api_key", self.api_key or ""), ("service_code", service_code)]
        for key, value in fields.items():
            if key == "attribute":
                for code, v in value.items():
                    form += [(f"attribute[{code}][]", x) for x in v] if isinstance(v, list) \
                        else [(f"attribute[{code}]", str(v))]
            elif value is not None:
                form.append((key, str(value)))
        status, headers, body = self.send(
            "POST", f"{self.base}/requests.json",
            {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}, urlencode(form).encode())
        return self._decode(status, headers, body)

    def request(self, service_request_id: str) -> dict:
        return self.get(f"requests/{service_request_id}")[0]

    def requests(self, **params: str) -> list[dict]:
        return self.get("requests", **params)

    def updates(self, **params: str) -> list[dict]:
        return self.get("servicerequestupdates", **params)


def xml_records(body: bytes, item: str) -> list[dict[str, str | None]]:
    root = ElementTree.fromstring(body)
    return [{child.tag: child.text for child in el} for el in root.iter(item)]

"""Open311 XML rendering: schemaless, no namespace, UTF-8 with the XML declaration the spec asks for."""
from __future__ import annotations

from typing import Any
from xml.etree.ElementTree import Element, SubElement, tostring

# Plural container -> element name of each item (the Spark convention the JSON mirrors).
ITEM_NAMES = {
    "services": "service",
    "service_requests": "request",
    "attributes": "attribute",
    "values": "value",
    "errors": "error",
    "endpoints": "endpoint",
    "formats": "format",
    "service_requests_updates": "request_update",
}


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _fill(parent: Element, tag: str, value: Any) -> None:
    if isinstance(value, list):
        box = SubElement(parent, tag)
        item_tag = ITEM_NAMES.get(tag, "item")
        for item in value:
            _fill(box, item_tag, item)
        return
    el = SubElement(parent, tag)
    if isinstance(value, dict):
        for k, v in value.items():
            _fill(el, k, v)
    elif value is not None:
        el.text = _scalar(value)


def render(root: str, body: Any) -> bytes:
    """`render("services", [{...}])` -> <services><service>…</service></services>."""
    top = Element(root)
    if isinstance(body, list):
        item_tag = ITEM_NAMES.get(root, "item")
        for item in body:
            _fill(top, item_tag, item)
    else:
        for k, v in body.items():
            _fill(top, k, v)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + tostring(top, encoding="unicode").encode("utf-8")

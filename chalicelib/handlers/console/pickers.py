"""The choices a console form offers: who work can be assigned to, and the labels the conversation uses."""
from __future__ import annotations

from ... import container


def bulk_staff(principal) -> list[tuple[str, list[dict[str, str]]]]:
    """The bulk-assign picker: the caller's department's staff, or every department's for Beyaz Masa/admins."""
    from ...web.render import department_labels

    if principal.role == "viewer":
        return []
    codes = [principal.department] if principal.role == "department" else list(department_labels())
    directory = container.staff_directory()
    return [(department_labels().get(c, c), m) for c in codes if c and (m := directory.members(c))]


def conversation_labels() -> dict[str, dict[str, str]]:
    """Turkish names for the conversation's sentences."""
    from ...web.render import CHANNEL_LABELS, STATUS_LABELS, category_labels, department_labels

    return {"departments": department_labels(), "categories": category_labels(),
            "statuses": {k: v.split(" / ")[0] for k, v in STATUS_LABELS.items()},
            "channels": {k: v[1].split(" / ")[0] for k, v in CHANNEL_LABELS.items()}}

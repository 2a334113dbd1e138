"""Reading stored items back into models: what a past bug wrote must not make a request unreadable."""
from __future__ import annotations

import json
from typing import Any


def _drop(doc: Any, loc: tuple) -> bool:
    """Remove the value at `loc` (the deepest key or list element that exists); False when nothing to drop."""
    parents = [doc]
    for part in loc[:-1]:
        cur = parents[-1]
        if isinstance(cur, dict) and part in cur:
            parents.append(cur[part])
        elif isinstance(cur, list) and isinstance(part, int) and 0 <= part < len(cur):
            parents.append(cur[part])
        else:
            break
    path = list(loc[:len(parents)])
    while path:
        holder, key = parents[len(path) - 1], path[-1]
        if isinstance(holder, dict) and key in holder:
            del holder[key]
            return True
        if isinstance(holder, list) and isinstance(key, int) and 0 <= key < len(holder):
            del holder[key]
            return True
        path.pop()
    return False


def validate_stored(model, doc: dict[str, Any]):
    """What is stored must stay readable: a value a past bug wrote (a survey score of 0, an empty string
    where a date belongs, a phone that no longer validates) is left out of the answer instead of making the
    request unreadable (400) for good. Required fields still fail. Logged by field name only (no values)."""
    from pydantic import ValidationError

    from ...observability import count, logger

    try:
        return model.model_validate(doc)  # the normal case: nothing to prune, nothing copied
    except ValidationError:
        pass
    doc = json.loads(json.dumps(doc, default=str))  # a private copy to prune
    dropped: list[str] = []
    for _ in range(20):
        try:
            result = model.model_validate(doc)
        except ValidationError as exc:
            progress = False
            for error in exc.errors():
                loc = tuple(error.get("loc") or ())
                if loc and loc[0] in model.model_fields and model.model_fields[loc[0]].is_required() \
                        and len(loc) == 1:
                    raise
                if loc and _drop(doc, loc):
                    dropped.append(".".join(str(p) for p in loc))
                    progress = True
            if not progress:
                raise
            continue
        if dropped:
            count("StoredFieldInvalid", model=model.__name__)
            logger().warning("stored data failed validation; left out", extra={"fields": sorted(set(dropped))})
        return result
    return model.model_validate(doc)

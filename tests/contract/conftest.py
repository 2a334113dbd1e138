"""One suite, two repositories: every test here runs on the in-memory twin and on the DynamoDB adapter
(moto), so the twin the use-case unit tests trust cannot drift from the real thing."""
from __future__ import annotations

import pytest


@pytest.fixture(params=["memory", "dynamo"])
def repo(request):
    if request.param == "memory":
        from chalicelib.adapters.memory import InMemoryRepository

        yield InMemoryRepository()
        return
    request.getfixturevalue("aws")
    from chalicelib import container

    yield container.repository()

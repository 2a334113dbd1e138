"""Console tests: one chromium (browser tests only); the real `ulakbel dev` fixtures are the session's own
(tests/e2e/servers.py, through tests/conftest.py)."""
from tests.console.browser_support import browser  # noqa: F401  (fixture)

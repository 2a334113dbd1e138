"""Console tests reuse the e2e fixture that starts the real `ulakbel dev`, and one chromium (browser tests only)."""
from tests.console.browser_support import browser  # noqa: F401  (fixture)
from tests.e2e.conftest import dev_servers, dev_system  # noqa: F401  (fixtures)

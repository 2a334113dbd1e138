"""Console tests reuse the e2e fixture that starts the real `ulakbel dev` (browser tests only)."""
from tests.e2e.conftest import dev_system  # noqa: F401  (fixture)

"""`python -m chalicelib.adapters.schema [path]`: rewrite the generated table in docs/data-model.md."""
from __future__ import annotations

import sys
from pathlib import Path

from . import splice

path = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/data-model.md")
path.write_text(splice(path.read_text(encoding="utf-8") if path.exists() else ""), encoding="utf-8")
print(f"wrote {path}")

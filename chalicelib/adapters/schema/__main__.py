"""`python -m chalicelib.adapters.schema [doc path] [readme path]`: rewrite the generated tables in
docs/data-model.md (every item type in full) and README.md (the compact item → PK, SK table)."""
from __future__ import annotations

import sys
from pathlib import Path

from . import splice

args = sys.argv[1:]
for path, readme in ((Path(args[0] if args else "docs/data-model.md"), False),
                     (Path(args[1] if len(args) > 1 else "README.md"), True)):
    path.write_text(splice(path.read_text(encoding="utf-8") if path.exists() else "", readme=readme), encoding="utf-8")
    print(f"wrote {path}")

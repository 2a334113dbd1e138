"""docs/data-model.md lists every item type the schema module writes, exactly as the code says."""
from __future__ import annotations

import re
from pathlib import Path

from chalicelib.adapters import schema

DOC = Path(__file__).resolve().parents[2] / "docs" / "data-model.md"


def test_committed_data_model_matches_the_schema_module():
    text = DOC.read_text(encoding="utf-8")
    assert schema.splice(text) == text, "docs/data-model.md is stale: run `python -m chalicelib.adapters.schema`"


def test_every_key_prefix_in_the_code_is_documented():
    root = Path(schema.__file__).parent
    written = set()
    for module in root.glob("*.py"):  # the key builders (the catalog itself is items.json)
        written |= set(re.findall(r'f?"([A-Z0-9]{3,})#', module.read_text(encoding="utf-8")))
    documented = {p for kind in schema.REGISTRY for text in (kind.pk, kind.sk, *kind.indexes)
                  for p in re.findall(r"([A-Z0-9]{3,})#", text)}
    assert written and written <= documented, sorted(written - documented)  # nothing written undocumented
    assert documented <= written, sorted(documented - written)  # nothing documented that no code writes
    assert len(schema.REGISTRY) >= 25


def test_no_key_prefix_is_written_outside_the_schema_module():
    """Keys are built only in chalicelib/adapters/schema/: nowhere else in the code writes `PREFIX#`."""
    base = Path(__file__).resolve().parents[2]
    prefixes = {p for kind in schema.REGISTRY for text in (kind.pk, kind.sk, *kind.indexes)
                for p in re.findall(r"([A-Z0-9]{3,})#", text)}
    pattern = re.compile(r'["\'](' + "|".join(sorted(prefixes)) + r')#')
    offenders = []
    for folder in ("chalicelib", "ulakbel_cli", "bench"):
        for path in (base / folder).rglob("*.py"):
            if "schema" in path.relative_to(base).parts:
                continue
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if pattern.search(line):
                    offenders.append(f"{path.relative_to(base)}:{n}: {line.strip()}")
    assert not offenders, "\n".join(offenders)


def test_readme_data_model_table_is_generated_from_the_schema_module():
    readme = (DOC.parents[1] / "README.md").read_text(encoding="utf-8")
    assert schema.README_BEGIN in readme, "README.md lost its generated data-model table"
    assert schema.splice(readme, readme=True) == readme, \
        "README.md's data-model table is stale: run `python -m chalicelib.adapters.schema`"
    rows = [line for line in schema.render_readme_table().splitlines() if line.startswith("| ") and "`" in line]
    assert len(rows) == len(schema.REGISTRY) and all(f"`{kind.pk}`" in readme for kind in schema.REGISTRY)

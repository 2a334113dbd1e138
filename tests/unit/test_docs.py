"""The README fits on a screen and the docs do not rot: every relative link resolves, and every file path the
docs name in backticks exists in the repository (issue 20). A renamed module or a moved fixture fails here."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
DOCS = sorted((ROOT / "docs").glob("*.md"))
PAGES = [README, *DOCS]

# Files the system writes at run time (never in git): naming them in the docs is right.
GENERATED = (".ulakbel/", "cdk.out/", "test-artifacts/", "bench/results/", "requirements.txt", ".venv/")
# Top-level folders of the repository: a token in a code block that starts with one of them is a repo path.
REPO_DIRS = ("app.py", "chalicelib/", "ulakbel_cli/", "infra/", "tests/", "bench/", "scripts/", "docs/", ".chalice/",
             ".ci/")
FILE_SUFFIXES = (".py", ".md", ".yaml", ".yml", ".json", ".toml", ".geojson", ".txt", ".csv", ".xlsx", ".xml",
                 ".j2", ".html", ".js", ".css", ".png", ".svg")

# Bare names (no folder) are checked only when they are source or data files of the repo.
SOURCE_SUFFIXES = (".py", ".md", ".yaml", ".yml", ".toml", ".geojson", ".j2", ".html", ".js", ".css")

FENCE = re.compile(r"^```.*?^```", re.S | re.M)
INLINE = re.compile(r"`([^`\n]+)`")
LINK = re.compile(r"\]\(([^)\s]+)\)")


def _rel(page: Path) -> str:
    return str(page.relative_to(ROOT))


def _expand_braces(token: str) -> list[str]:
    """`chalicelib/channels/{meta,x}/inbound.py` names two files."""
    match = re.search(r"\{([^{}]*)\}", token)
    if not match:
        return [token]
    head, tail = token[: match.start()], token[match.end():]
    return [path for part in match.group(1).split(",") for path in _expand_braces(head + part + tail)]


def _as_repo_path(token: str) -> str | None:
    """The repository path a code span names, or None when it is a URL, a command, a module or a placeholder."""
    token = token.strip().split("::")[0].rstrip(".,;:")
    if not token or any(c in token for c in " <>*…$=?&|\"'") or "://" in token or token.startswith(("/", "-", "~")):
        return None
    if token.startswith(GENERATED):
        return None
    if not re.fullmatch(r"[\w.,/\-]+", token) or not (token.startswith(REPO_DIRS) or token.endswith(FILE_SUFFIXES)):
        return None  # `60/600`, `PUBLIC_BASE_URL/webhooks/youtube`, `location.lat/long` are not files
    if token.startswith(".") and not token.startswith((".chalice/", ".ci/")):
        return None  # a suffix (`.xlsx`) or a dotfile the system writes
    return token


def _exists(path: str) -> bool:
    if (ROOT / path).exists():
        return True
    if path.startswith(REPO_DIRS):
        return False
    if "/" not in path and not path.endswith(SOURCE_SUFFIXES):
        return True  # a bare `requests.json` / `export.csv` is a URL or a download name, not a repository file
    # a bare name (`departments.yaml`) or a path inside a package the page is about (`data/taxonomy.yaml`):
    # somewhere in the tree, outside the virtualenv
    return any(".venv" not in hit.parts and "node_modules" not in hit.parts for hit in ROOT.rglob(path))


def backticked_paths(page: Path) -> list[str]:
    text = page.read_text(encoding="utf-8")
    fenced = "\n".join(FENCE.findall(text))
    prose = FENCE.sub("", text)
    tokens = [t for span in INLINE.findall(prose) for t in _expand_braces(span)]
    # in code blocks only tokens that clearly start at a repository folder (commands, outputs and made-up file
    # names such as `rapor.json` are not paths of the repo)
    tokens += [t for t in re.findall(r"[\w./{},\-]+", fenced) if t.startswith(REPO_DIRS)]
    return [p for t in tokens for e in _expand_braces(t) if (p := _as_repo_path(e))]


def test_readme_fits_on_a_screen() -> None:
    lines = README.read_text(encoding="utf-8").count("\n")
    assert lines <= 250, f"README.md has {lines} lines; move detail to docs/ (issue 20)"


def test_the_readme_shows_the_three_console_screenshots() -> None:
    """issue 19: inbox, request view and analytics from a seeded demo, committed small and embedded."""
    text = README.read_text(encoding="utf-8")
    for name in ("console-inbox", "console-request", "console-analytics"):
        image = ROOT / "docs" / "images" / f"{name}.png"
        assert image.is_file(), f"docs/images/{name}.png is missing (scripts/readme_screenshots.py)"
        assert image.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", name
        assert image.stat().st_size < 200_000, f"{name}.png is {image.stat().st_size} bytes: optimise it"
        assert f"](docs/images/{name}.png)" in text, f"README.md does not embed docs/images/{name}.png"


def test_the_docs_named_by_issue_20_exist() -> None:
    for name in ("channels", "workflow", "performance", "reliability", "deploy", "formats", "data-model", "kvkk"):
        assert (ROOT / "docs" / f"{name}.md").is_file(), f"docs/{name}.md is missing"


@pytest.mark.parametrize("page", PAGES, ids=_rel)
def test_relative_links_resolve(page: Path) -> None:
    broken = []
    for target in LINK.findall(FENCE.sub("", page.read_text(encoding="utf-8"))):
        if re.match(r"[a-z]+:", target) or target.startswith("#"):
            continue
        path = target.split("#")[0]
        if path and not (page.parent / path).exists():
            broken.append(target)
    assert not broken, f"{_rel(page)} links to files that do not exist: {broken}"


@pytest.mark.parametrize("page", PAGES, ids=_rel)
def test_backticked_paths_exist(page: Path) -> None:
    missing = sorted({path for path in backticked_paths(page) if not _exists(path)})
    assert not missing, f"{_rel(page)} names files that do not exist: {missing}"


def test_the_path_check_catches_a_stale_path(tmp_path: Path) -> None:
    page = tmp_path / "x.md"
    page.write_text("See `chalicelib/routing/classifier.py` and `app.py`; run `make run`; GET `/health`.\n"
                    "```sh\ncurl -d @tests/fixtures/nope.json http://x\n```\n", encoding="utf-8")
    found = backticked_paths(page)
    assert found == ["chalicelib/routing/classifier.py", "app.py", "tests/fixtures/nope.json"]
    assert [p for p in found if not _exists(p)] == ["chalicelib/routing/classifier.py", "tests/fixtures/nope.json"]

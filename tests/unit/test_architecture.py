"""The layering rules, checked on every import (absolute, relative, and lazy ones inside functions, plus the
`lazy("module")` strings of the handlers), and zero import circles; nothing touches AWS at import.

Layers (chalicelib/):
    domain         imports only domain
    understanding  imports only domain and understanding (the Turkish text understanding)
    routing        imports only domain, understanding and routing (what decides the queue)
    usecases       never adapters, container, boto3, botocore or chalice
    adapters       never use cases, never the composition root (container)
    handlers       reach adapters only through the composition root (container)
"""
from __future__ import annotations

import ast
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = "chalicelib"
AWS_OR_WEB = {"boto3", "botocore", "chalice"}

# Use cases that still build DynamoDB keys with the adapters' key builders. Empty since issue 20 (house-core):
# keys live only in chalicelib/adapters/schema/ and use cases ask intention-named repository methods. Kept so
# that nothing new is added; the test fails when a listed one is gone, so the list only shrinks.
PENDING_SCHEMA: set[tuple[str, str]] = set()


@dataclass(frozen=True)
class Import:
    target: str  # a chalicelib module, or the top-level name of a third-party one
    line: int


def _modules() -> dict[str, Path]:
    out = {}
    for path in (ROOT / PACKAGE).rglob("*.py"):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


MODULES = _modules()


def _resolve(name: str) -> str | None:
    """The chalicelib module a dotted name lives in (a module, or an attribute of one)."""
    parts = name.split(".")
    while parts:
        if ".".join(parts) in MODULES:
            return ".".join(parts)
        parts.pop()
    return None


def _imports(module: str) -> list[Import]:
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: list[Import] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                stem = ".".join(base + ([node.module] if node.module else []))
            else:
                stem = node.module or ""
            names = [f"{stem}.{a.name}" for a in node.names] or [stem]
            if not stem.startswith(PACKAGE):
                names = [stem]
        elif isinstance(node, ast.Call) and getattr(node.func, "id", None) == "lazy" and node.args and \
                isinstance(node.args[0], ast.Constant) and str(node.args[0].value).startswith(PACKAGE + "."):
            names = [str(node.args[0].value)]  # handlers' lazy("chalicelib.usecases.x"): imported on first use
        for name in names:
            if name.startswith(PACKAGE + ".") or name == PACKAGE:
                target = _resolve(name)
                if target and target != module:
                    found.append(Import(target, node.lineno))
            elif name:
                found.append(Import(name.split(".")[0], node.lineno))
    return found


def _graph() -> dict[str, set[str]]:
    """Module → the chalicelib modules it imports; importing a module also runs its packages' __init__."""
    graph: dict[str, set[str]] = {}
    for module in MODULES:
        deps = {i.target for i in _imports(module) if i.target in MODULES}
        for dep in list(deps):
            parts = dep.split(".")
            deps |= {".".join(parts[:n]) for n in range(2, len(parts)) if ".".join(parts[:n]) in MODULES}
        deps.discard(module)
        graph[module] = {d for d in deps if not module.startswith(d + ".")}  # a module's own packages: no edge
    return graph


def _layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and (ROOT / PACKAGE / parts[1]).is_dir()) else module


def _forbidden(module: str, target: str) -> str | None:
    """Why `module` may not import `target`, or None."""
    layer, other = _layer(module), _layer(target)
    internal = target.startswith(PACKAGE + ".")
    if layer == "domain" and (other != "domain" if internal else target in AWS_OR_WEB):
        return "domain imports only domain"
    if layer == "understanding" and (other not in ("domain", "understanding") if internal else target in AWS_OR_WEB):
        return "understanding imports only domain and understanding"
    if layer == "routing" and (other not in ("domain", "understanding", "routing") if internal
                               else target in AWS_OR_WEB):
        return "routing imports only domain, understanding and routing"
    if layer == "usecases" and (other == "adapters" or target == f"{PACKAGE}.container" or target in AWS_OR_WEB):
        return "use cases never import adapters, the container, boto3, botocore or chalice"
    if layer == "adapters" and (other == "usecases" or target == f"{PACKAGE}.container"):
        return "adapters never import use cases or the composition root"
    if layer == "handlers" and other == "adapters":
        return "handlers reach adapters only through the composition root (chalicelib.container)"
    return None


def test_every_layer_imports_only_what_it_may():
    offenders, pending = [], set()
    for module in sorted(MODULES):
        for imp in _imports(module):
            why = _forbidden(module, imp.target)
            if why and (module, imp.target) in PENDING_SCHEMA:
                pending.add((module, imp.target))
            elif why:
                offenders.append(f"{MODULES[module].relative_to(ROOT)}:{imp.line} imports {imp.target}: {why}")
    assert offenders == [], "\n".join(offenders)
    assert pending == PENDING_SCHEMA, f"no longer imported, remove from PENDING_SCHEMA: {PENDING_SCHEMA - pending}"


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan), each as one concrete cycle."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10 * len(graph)))
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return [_one_cycle(graph, set(c)) for c in components]


def _one_cycle(graph: dict[str, set[str]], component: set[str]) -> list[str]:
    start = min(component)
    paths = {start: [start]}
    frontier = [start]
    while frontier:  # breadth-first back to start, inside the component
        nxt = []
        for v in frontier:
            for w in sorted(graph[v] & component):
                if w == start:
                    return paths[v] + [start]
                if w not in paths:
                    paths[w] = paths[v] + [w]
                    nxt.append(w)
        frontier = nxt
    return sorted(component)


def test_nothing_imports_in_circles():
    cycles = _cycles(_graph())
    assert cycles == [], "import circles:\n" + "\n".join(" → ".join(c) for c in cycles)


def test_the_checks_see_relative_lazy_and_string_imports():
    """The rules above would pass vacuously if the parser missed imports: check it on known ones."""
    stream = {i.target for i in _imports("chalicelib.handlers.stream.route")}
    assert {"chalicelib.container", "chalicelib.usecases.route", "chalice"} <= stream  # `from ... import x`, lazy
    assert "chalicelib.usecases.requests" in {i.target for i in _imports("chalicelib.handlers.workflow_api")}
    assert _forbidden("chalicelib.usecases.intake", "chalicelib.adapters.schema.requests")
    assert _forbidden("chalicelib.domain.models", "chalicelib.settings")
    assert _forbidden("chalicelib.handlers.privacy_api", "chalicelib.adapters.privacy_store")
    assert not _forbidden("chalicelib.handlers.privacy_api", "chalicelib.container")
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c", "a"]]


def test_importing_the_app_creates_no_aws_client_and_loads_no_boto3():
    code = ("import sys, app; print('boto3' in sys.modules, 'moto' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True,
                         env={"PATH": "/usr/bin:/bin", "AWS_DEFAULT_REGION": "eu-central-1"})
    assert out.stdout.split() == ["False", "False"], out.stdout + out.stderr

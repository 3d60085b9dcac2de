"""The packages layer downwards and nothing imports in a circle: read from every import statement in the source
(module level, inside functions, under TYPE_CHECKING), so a new arrow the wrong way fails here."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("clio", "privacy", "domains", "dashboard")
# who may import whom (first-party packages only): privacy sits at the bottom and imports none of the others
LAYERS = {"privacy": set(), "domains": {"privacy"}, "dashboard": {"privacy"},
          "clio": {"privacy", "domains", "dashboard"}}


def modules() -> dict[str, Path]:
    out = {}
    for pkg in PACKAGES:
        for path in sorted((ROOT / pkg).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            out[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return out


MODULES = modules()


def imported(path: Path) -> set[str]:
    """First-party modules `path` imports anywhere in its source (`from pkg import sub` counts as pkg.sub)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.update(f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in MODULES else node.module
                         for a in node.names)
    out = set()
    for name in names:
        while name and name not in MODULES:
            name = name.rpartition(".")[0]
        if name:
            out.add(name)
    return out


GRAPH = {m: imported(p) - {m} for m, p in MODULES.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one node (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_the_graph_sees_every_package_and_known_arrows():
    assert {m.split(".")[0] for m in MODULES} == set(PACKAGES)
    assert "privacy.scrub" in GRAPH["clio.pipeline"] and "privacy.raw" in GRAPH["privacy.scrub"]


@pytest.mark.parametrize("package", PACKAGES)
def test_package_imports_only_the_layers_below_it(package):
    wrong = sorted(f"{m} -> {t}" for m, targets in GRAPH.items() if m.split(".")[0] == package
                   for t in targets if t.split(".")[0] != package and t.split(".")[0] not in LAYERS[package])
    assert not wrong, wrong


def test_no_import_cycle_between_packages():
    graph = {p: {t.split(".")[0] for m, ts in GRAPH.items() if m.split(".")[0] == p for t in ts} - {p}
             for p in PACKAGES}
    assert cycles(graph) == []


def test_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_cycle_between_modules():
    assert cycles(GRAPH) == []


STAGES = ("clio.ingest", "clio.facets", "clio.embed", "clio.cluster", "clio.coverage")
WORKSPACE_IO = ("clio.workspace", "clio.pipeline", "clio.components", "privacy.door", "privacy.files", "privacy.ids")
WRITES = {"write_text", "write_bytes", "save", "savez", "savez_compressed", "mkdir", "unlink", "rmdir", "touch"}
FILE_MODULES = {"os", "shutil", "tempfile"}  # any call on these writes, moves or creates files
RETRAIN_TOOL = "clio.facets.quizask.model"  # `python -m clio.facets.quizask.model` rewrites the shipped model file


def test_stage_packages_neither_import_the_workspace_nor_write_files():
    """Stages are functions over batches: pipeline.py alone reads and writes the workspace."""
    wrong = []
    for m, path in MODULES.items():
        if not m.startswith(STAGES):
            continue
        wrong += [f"{m} imports {t}" for t in GRAPH[m] if t.startswith(WORKSPACE_IO)]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and m != RETRAIN_TOOL:
                name = getattr(node.func, "attr", getattr(node.func, "id", ""))
                on = getattr(getattr(node.func, "value", None), "id", "")
                mode = node.args[1] if name == "open" and len(node.args) > 1 else None
                if name in WRITES or on in FILE_MODULES or (isinstance(mode, ast.Constant)
                                                            and set(str(mode.value)) & set("wax+")):
                    wrong.append(f"{m}:{node.lineno} calls {name}")
    assert not wrong, wrong

"""The dashboard reads the public release only: no pipeline, ingest, scrub or release-gate imports."""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import dashboard

PACKAGE = Path(dashboard.__file__).parent
FORBIDDEN = ("clio.pipeline", "clio.ingest", "privacy.scrub", "privacy.release")
PATHS = ("/", "/map", "/explorer", "/coverage", "/suites", "/audit", "/cluster/b3", "/cluster/nope")
MODULES = sorted(PACKAGE.rglob("*.py"))


def _imported(tree: ast.AST) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
            names.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) in {
                "import_module", "__import__"}:
            names.update(a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str))
    return names


def test_contract_finds_the_modules():
    assert {"app.py", "auth.py", "data.py", "filters.py", "figures.py"} <= {p.name for p in MODULES}
    assert any(p.parent.name == "pages" for p in MODULES)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_module_imports_nothing_that_reads_non_public_data(path):
    source = path.read_text(encoding="utf-8")
    bad = {n for n in _imported(ast.parse(source)) for f in FORBIDDEN if n == f or n.startswith(f + ".")}
    assert not bad, f"{path.name} imports {sorted(bad)}"
    assert "private/" not in source and '"private"' not in source and "'private'" not in source


def test_importing_and_running_the_app_loads_no_forbidden_module(release_dir):
    code = (
        "import sys\nimport dashboard, dashboard.app\n"
        "heavy = {'dash', 'plotly', 'dash_auth', 'flask'} & set(sys.modules)\n"
        "assert not heavy, f'heavy import at module level: {heavy}'\n"
        f"from dashboard.app import create_app, route\napp = create_app({str(release_dir)!r}, users={{'a': 'b'}})\n"
        f"[route(p, {str(release_dir)!r}) for p in {PATHS!r}]\n"
        f"bad = [m for m in sys.modules if m.startswith({FORBIDDEN!r})]\nassert not bad, bad\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=PACKAGE.parent, capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stderr

"""The dashboard reads the public release only: it imports the public types, Dash and plotly, and nothing else
(an allow-list, so a new import of the pipeline, of a private table or of any other package fails here)."""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import dashboard

PACKAGE = Path(dashboard.__file__).parent
# first party: the dashboard itself and the public types; third party: Dash with its auth plugin and its server
# (flask, werkzeug: requests, password hashes; waitress: the production WSGI server) and plotly; plus the standard
# library
ALLOWED = {"dashboard", "privacy.public", "dash", "dash_auth", "flask", "werkzeug", "waitress", "plotly"}
PATHS = ("/", "/map", "/explorer", "/coverage", "/suites", "/audit", "/cluster/b3", "/cluster/nope")
MODULES = sorted(PACKAGE.rglob("*.py"))


def _imported(tree: ast.AST) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) in {
                "import_module", "__import__"}:
            names.update(a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str))
    return names


def allowed(name: str) -> bool:
    return (name.split(".")[0] in sys.stdlib_module_names
            or any(name == a or name.startswith(a + ".") for a in ALLOWED))


def test_contract_finds_the_modules():
    assert {"app.py", "auth.py", "data.py", "filters.py", "figures.py"} <= {p.name for p in MODULES}
    assert any(p.parent.name == "pages" for p in MODULES)
    assert not allowed("privacy.scrub") and not allowed("clio.pipeline") and not allowed("numpy")
    assert allowed("privacy.public") and allowed("dash.dash_table") and allowed("urllib.parse")


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_module_imports_only_the_public_types_dash_and_plotly(path):
    source = path.read_text(encoding="utf-8")
    bad = sorted(n for n in _imported(ast.parse(source)) if not allowed(n))
    assert not bad, f"{path.name} imports {bad}"
    assert "private/" not in source and '"private"' not in source and "'private'" not in source


def test_importing_and_running_the_app_loads_no_other_first_party_module(release_dir):
    code = (
        "import sys\nimport dashboard, dashboard.app\n"
        "heavy = {'dash', 'plotly', 'dash_auth', 'flask', 'waitress'} & set(sys.modules)\n"
        "assert not heavy, f'heavy import at module level: {heavy}'\n"
        f"from dashboard.app import create_app, route\napp = create_app({str(release_dir)!r}, users={{'a': 'b'}})\n"
        f"[route(p, {str(release_dir)!r}) for p in {PATHS!r}]\n"
        "ours = {m for m in sys.modules if m.split('.')[0] in ('clio', 'privacy', 'domains', 'dashboard')}\n"
        "bad = sorted(m for m in ours if not m.startswith('dashboard') and m not in ('privacy', 'privacy.public'))\n"
        "assert not bad, bad\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=PACKAGE.parent, capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stderr

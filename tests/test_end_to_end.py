"""Real models end to end, as a user runs them: `clio demo` in a fresh process (Presidio + MiniLM + UMAP)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fakes.planted import norm, planted_values

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    ws = tmp_path_factory.mktemp("demo") / "ws"
    clio = Path(sys.executable).parent / "clio"
    env = {**os.environ, "CI": "1"}
    proc = subprocess.run([str(clio), "demo", "--workspace", str(ws), "--n", "500", "--seed", "3"],
                          capture_output=True, text=True, env=env, timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return ws, proc.stdout + proc.stderr


def test_demo_prints_summary_and_dashboard_hint(demo):
    ws, out = demo
    for words in ("read 500", "PII removed", "clusters: released", "quizzing", "coverage:", "clio dashboard"):
        assert words in out
    summary = json.loads((ws / "release" / "summary.json").read_text())
    assert summary["clusters_released"] > 0 and summary["coverage"]


def test_shares_add_up_with_the_other_bucket_and_base_names_lead_with_a_task(demo):
    ws, _ = demo
    from clio.cluster.naming.labels import load_labels

    summary = json.loads((ws / "release" / "summary.json").read_text())
    clusters = json.loads((ws / "release" / "clusters.json").read_text())["clusters"]
    base = [c for c in clusters if c["level"] == 0]
    other = summary["other"]
    assert sum(c["conversations"] for c in base) + other["conversations"] == summary["accepted"]
    assert other["share"] == pytest.approx(1 - summary["released_conversation_share"], abs=2e-4)
    assert other["unclustered_share"] <= other["share"]
    tasks = {t.label for t in load_labels().tasks}
    led = [c for c in base if c["name"].split(":")[0] in tasks]
    assert len(led) >= 0.8 * len(base), [c["name"] for c in base]


def test_no_planted_pii_in_release_private_tier_or_output(demo):
    ws, out = demo
    labels = ws / "input" / "synthetic-sample.labels.jsonl"
    planted = planted_values(labels)
    assert len(planted) > 100
    places = {"output": out}
    for sub in ("release", "private"):
        for f in (ws / sub).rglob("*"):
            if f.is_file() and f.suffix in (".json", ".jsonl", ".md", ".txt"):
                places[str(f.relative_to(ws))] = f.read_text(errors="ignore")
    leaks = [(where, v) for where, text in places.items() for v in planted if norm(v) in norm(text)]
    assert not leaks, leaks[:5]


def test_audit_passes_and_canary_check_works(demo, tmp_path):
    ws, _ = demo
    clio = Path(sys.executable).parent / "clio"
    ok = subprocess.run([str(clio), "audit", "--workspace", str(ws)], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stdout
    name = json.loads((ws / "release" / "clusters.json").read_text())["clusters"][0]["name"]
    canaries = tmp_path / "c.txt"
    canaries.write_text(name.upper() + "\n")
    bad = subprocess.run([str(clio), "audit", "--workspace", str(ws), "--canaries", str(canaries)],
                         capture_output=True, text=True)
    assert bad.returncode == 1 and "FAIL canaries" in bad.stdout


def test_medical_suite_is_built_from_released_text_only(demo):
    ws, _ = demo
    suite = ws / "release" / "suites" / "medical" / "suite.jsonl"
    assert suite.exists()
    released = json.loads((ws / "release" / "clusters.json").read_text())["clusters"]
    strings = {s for c in released for s in [c["name"], c["description"], *c["exemplars"]]}
    items = [json.loads(line) for line in suite.read_text().splitlines()]
    assert items and all(i["input"] in strings for i in items)


def test_quickstart_notebook_executes_on_the_release(demo):
    import nbformat
    from nbclient import NotebookClient

    ws, _ = demo
    nb = nbformat.read(ROOT / "notebooks" / "quickstart.ipynb", as_version=4)
    os.environ["CLIO_WORKSPACE"] = str(ws)
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}).execute()
    outputs = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))
    assert "quizzing clusters" in outputs

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


def test_medical_suite_is_built_from_released_text_and_the_public_pool_only(demo):
    ws, _ = demo
    suite = ws / "release" / "suites" / "medical" / "suite.jsonl"
    assert suite.exists()
    released = json.loads((ws / "release" / "clusters.json").read_text())["clusters"]
    strings = {s for c in released for s in [c["name"], c["description"], *c["exemplars"]]}
    pool = {(r.get("prompt") or r.get("question")).split("\n")[0]
            for r in _jsonl(ws / "input" / "pool" / "demo_pool.jsonl")}
    items = _jsonl(suite)
    assert items
    for it in items:
        assert it["source"] in ("release", "pool") and it["provenance"], it
        if it["source"] == "release":
            assert it["input"] in strings, it
        else:  # a pool item: its question, with its options appended for multiple choice
            assert it["input"].split("\n")[0] in pool, it


def test_medical_suite_is_distinct_graded_and_holds_no_off_domain_cluster(demo, tmp_path):
    """Done-means of issue 14 on the demo: >= 95% distinct inputs, grading material on every item, and every suite
    cluster medical by the synthetic labels (most of its conversations come from a medical topic)."""
    ws, _ = demo
    items = _jsonl(ws / "release" / "suites" / "medical" / "suite.jsonl")
    assert len({it["input"].strip().casefold() for it in items}) / len(items) >= 0.95
    assert all(it["rubric"] and it["grading"] in ("choice", "exact", "reference", "rubric") for it in items)
    assert all(it["target"] in "ABCDE" and it["choices"] for it in items if it["grading"] == "choice")
    clio = Path(sys.executable).parent / "clio"
    out = tmp_path / "assignments.jsonl"
    subprocess.run([str(clio), "export-assignments", "--workspace", str(ws), "--out", str(out)], check=True,
                   capture_output=True)
    domain = {r["id"]: r["domain"] for r in _jsonl(ws / "input" / "synthetic-sample.labels.jsonl")}
    members: dict[str, list[bool]] = {}
    for r in _jsonl(out):
        if r["levels"][0] is not None:
            members.setdefault(r["levels"][0], []).append(domain.get(r["id"]) == "medical")
    medical_share = {c: sum(v) / len(v) for c, v in members.items()}
    in_suite = {it["cluster_id"] for it in items}
    assert in_suite and all(medical_share[c] >= 0.5 for c in in_suite), {c: medical_share[c] for c in in_suite}


def test_demo_suite_exports_run_in_their_harnesses(demo, tmp_path, monkeypatch):
    """The demo's medical suite, exported in the three formats, runs in Inspect AI, lm-eval and HELM offline, and a
    wrong answer scores lower than the reference wherever the item has an answer key."""
    from tests.fakes.harness import load_helm, run_inspect, run_lm_eval

    ws, _ = demo
    clio = Path(sys.executable).parent / "clio"
    pool = ws / "input" / "pool" / "demo_pool.jsonl"
    for fmt in ("inspect", "lm-eval", "helm"):
        proc = subprocess.run([str(clio), "suite", "medical", "--workspace", str(ws), "--out", str(tmp_path / fmt),
                               "--format", fmt, "--n", "100", "--pool", str(pool)], capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr[-2000:]
    run_dir = tmp_path / "elsewhere"
    run_dir.mkdir()
    monkeypatch.chdir(run_dir)
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    good, _ = run_inspect(tmp_path / "inspect", True, run_dir / "logs")
    bad, _ = run_inspect(tmp_path / "inspect", False, run_dir / "logs")
    assert good and all(good[t] > bad[t] for t in good), (good, bad)
    ref, dummy = run_lm_eval(tmp_path / "lm-eval", "reference"), run_lm_eval(tmp_path / "lm-eval", "dummy")
    assert ref["clio_medical_choice"]["acc,none"] == 1.0 > dummy["clio_medical_choice"]["acc,none"]
    yamls = sorted((tmp_path / "helm").glob("*.yaml"))
    assert yamls
    for y in yamls:
        spec, instances = load_helm(y, run_dir)
        assert instances and spec.metric_specs


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


def test_quickstart_notebook_executes_on_the_release(demo):
    import nbformat
    from nbclient import NotebookClient

    ws, _ = demo
    nb = nbformat.read(ROOT / "notebooks" / "quickstart.ipynb", as_version=4)
    os.environ["CLIO_WORKSPACE"] = str(ws)
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}).execute()
    outputs = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))
    assert "quizzing clusters" in outputs

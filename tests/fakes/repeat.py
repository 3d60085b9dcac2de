"""The issue's repeated-release experiment on files: a corpus, the same corpus plus one new user's conversations, and
the same corpus less one user; and the published figures of a release, to compare two releases."""
from __future__ import annotations

import json
from pathlib import Path

FIGURES = ("level", "conversations", "users", "share", "quizzing_share", "languages", "domains", "mean_turns",
           "mean_concern")
TOTALS = ("read", "accepted", "quarantined", "quizzing_share", "asking_share", "unclustered_share",
          "pii_removed_by_type")


def _rows(corpus: Path) -> list[dict]:
    return [json.loads(x) for x in Path(corpus).read_text().splitlines() if x.strip()]


def _write(rows: list[dict], out: Path) -> Path:
    out.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return out


def with_new_user(corpus: Path, out: Path, n: int = 5, topic_of: int = 0, seed: int = 99) -> Path:
    """`corpus` plus `n` new two-turn asking conversations of one new user, on the topic of the corpus's conversation
    number `topic_of` (so they join its cluster): drawn from another synthetic corpus (seed `seed`), new text."""
    from clio.synth.corpus import SynthConfig, write_corpus

    rows = _rows(corpus)
    labels = {r["id"]: r for r in _rows(Path(corpus).with_suffix(".labels.jsonl"))}
    topic = labels[rows[topic_of]["id"]]["topic"]
    other, other_labels, _ = write_corpus(out.with_name(out.stem + ".pool.jsonl"), SynthConfig(n=600, seed=seed))
    kinds = {r["id"]: r for r in _rows(other_labels)}
    seen = {r["messages"][0]["content"] for r in rows}
    pool = [r for r in _rows(other) if kinds[r["id"]]["topic"] == topic and kinds[r["id"]]["quiz_ask"] == "asking"
            and r["messages"][0]["content"] not in seen]
    picked, texts = [], set()
    for r in pool:  # distinct texts: five copies of one message would be a cluster of their own
        if r["messages"][0]["content"] not in texts:
            texts.add(r["messages"][0]["content"])
            picked.append(r)
    assert len(picked) >= n, f"only {len(picked)} new {topic} conversations to draw from"
    new = [{**r, "id": f"newcomer-{i}", "user_id": "newcomer", "messages": r["messages"][:2]}
           for i, r in enumerate(picked[:n])]
    return _write(rows + new, out)


def without_user(corpus: Path, out: Path, like: int = 0) -> tuple[Path, int]:
    """`corpus` without every conversation of the user of conversation number `like`; and how many those were."""
    rows = _rows(corpus)
    user = rows[like]["user_id"]
    kept = [r for r in rows if r["user_id"] != user]
    return _write(kept, out), len(rows) - len(kept)


def figures(release: Path) -> list[tuple]:
    """Every released cluster's figures (not its id, name or map position), sorted: what a reader can subtract."""
    doc = json.loads((Path(release) / "clusters.json").read_text())
    return sorted(tuple(json.dumps(c[k], sort_keys=True) for k in FIGURES) for c in doc["clusters"])


def totals(release: Path) -> dict:
    doc = json.loads((Path(release) / "summary.json").read_text())
    return {k: doc[k] for k in TOTALS}


def moved(before: Path, after: Path) -> dict:
    """What changed between two releases: totals that differ, and clusters whose figures are not in the other."""
    a, b = figures(before), figures(after)
    ta, tb = totals(before), totals(after)
    return {"totals_changed": {k: [ta[k], tb[k]] for k in TOTALS if ta[k] != tb[k]},
            "clusters_only_before": [dict(zip(FIGURES, map(json.loads, f))) for f in a if f not in b],
            "clusters_only_after": [dict(zip(FIGURES, map(json.loads, f))) for f in b if f not in a]}

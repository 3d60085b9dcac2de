"""Repeated releases: the difference between two releases of one workspace never rests on fewer than k users.

The issue's experiment at the gate: a cluster of 15 conversations / 14 users, released; one new user adds five
two-turn asking conversations to it. Released alone, each release passes its thresholds, and subtracting them gave
20 / 15 and the new user's exact quizzing and turn figures, and totals that moved by exactly five. With the previous
release's ledger the cluster and the totals repeat their figures until k users have changed behind them."""
from __future__ import annotations

import dataclasses

from clio.cluster.naming.compose import COMPOSER
from privacy.release import CandidateCluster, ClusterText, ReleasePolicy, gate, release_artifacts
from privacy.repeat import ReleaseLedger, load_ledger, write_pending
from tests.fakes.rows import facet_rows
from tests.fakes.scanners import NoFindings

POLICY = ReleasePolicy(min_users=10, min_conversations=10)
FIGURES = ("conversations", "users", "share", "quizzing_share", "languages", "domains", "mean_turns", "mean_concern")
TOTALS = ("read", "accepted", "quarantined", "quizzing_share", "asking_share", "pii_removed_by_type")


def corpus():
    """Cluster A: 15 conversations of 14 users, some quizzing, 4 turns; cluster B: 30 conversations of 20 users."""
    a = facet_rows([f"a{i % 14}" for i in range(15)], quiz_label="quizzing", turns=4)
    b = facet_rows([f"b{i % 20}" for i in range(30)], turns=3)
    rows = [dataclasses.replace(r, id=f"A{i}") for i, r in enumerate(a)] + \
           [dataclasses.replace(r, id=f"B{i}") for i, r in enumerate(b)]
    return rows


def with_user(rows, user, n, cluster="A", **fields):
    """`rows` plus `n` two-turn asking conversations of `user` in `cluster`."""
    new = facet_rows([user] * n, turns=2, **fields)
    return rows + [dataclasses.replace(r, id=f"{cluster}-{user}-{i}") for i, r in enumerate(new)]


def release(rows, previous=None, pii=44):
    a = tuple(i for i, r in enumerate(rows) if r.id.startswith("A"))
    b = tuple(i for i, r in enumerate(rows) if r.id.startswith("B"))
    cands = [CandidateCluster("bA", 0, "t0", a, ClusterText("A", "", ("alpha",), ())),
             CandidateCluster("bB", 0, "t0", b, ClusterText("B", "", ("beta",), ())),
             CandidateCluster("t0", 1, None, a + b, ClusterText("T", "", ("tau",), ()))]
    res = gate(rows, cands, POLICY, NoFindings(), COMPOSER, previous=previous)
    counts = {"read": len(rows), "accepted": len(rows), "quarantined": 0, "pii_removed_by_type": {"PERSON": pii}}
    public, _, summary, ledger = release_artifacts(res, rows, POLICY, counts, ("base", "top"), 0, embedding_model="x",
                                                   facet_backend="none", clustering={}, previous=previous)
    return {c.id: c for c in public.clusters}, summary, ledger


def figures(c):
    return {k: getattr(c, k) for k in FIGURES}


def test_one_new_user_moves_no_published_figure():
    rows = corpus()
    first, s1, ledger = release(rows)
    assert (first["bA"].conversations, first["bA"].users) == (15, 14)
    grown = with_user(rows, "newcomer", 5)
    alone, s_alone, _ = release(grown, pii=46)  # what the old gate published: the difference singles them out
    assert (alone["bA"].conversations, alone["bA"].users) == (20, 15) and s_alone.read == 50
    second, s2, _ = release(grown, previous=ledger, pii=46)
    for cid in ("bA", "bB", "t0"):
        assert figures(second[cid]) == figures(first[cid]), cid
    assert {k: getattr(s2, k) for k in TOTALS} == {k: getattr(s1, k) for k in TOTALS}
    assert s2.repeat["totals"] == "held" and s2.repeat["clusters_held"] == 3


def test_one_user_removed_moves_no_published_figure_and_the_cluster_does_not_vanish():
    rows = corpus()
    first, s1, ledger = release(rows)
    gone = [r for r in rows if r.user != "a3"]  # cluster A drops to 13 users: below no threshold, still held
    second, s2, _ = release(gone, previous=ledger, pii=43)
    assert figures(second["bA"]) == figures(first["bA"]) and s2.read == s1.read
    fewer = [r for r in rows if r.user not in {f"a{i}" for i in range(5)}]  # 9 users left: below min_users
    third, _, _ = release(fewer, previous=ledger)
    assert figures(third["bA"]) == figures(first["bA"])  # held: its disappearance would reveal who left


def test_figures_move_once_k_users_changed_even_one_at_a_time():
    rows = corpus()
    first, _, ledger = release(rows)
    for k in range(1, POLICY.min_users + 1):
        rows = with_user(rows, f"n{k}", 1)
        now, summary, ledger = release(rows, previous=ledger)
        if k < POLICY.min_users:  # changes accumulate against the basis of the published figures
            assert figures(now["bA"]) == figures(first["bA"]) and summary.repeat["totals"] == "held", k
    assert (now["bA"].conversations, now["bA"].users) == (25, 24) and summary.repeat["totals"] == "updated"
    assert summary.accepted == 55


def test_a_parent_counts_its_childrens_published_figures_and_shares_use_the_published_total():
    rows = corpus()
    _, _, ledger = release(rows)
    grown = with_user(rows, "newcomer", 5)  # A held (1 user) ...
    grown = [*grown, *[dataclasses.replace(r, id=f"B-new{i}") for i, r in  # ... B grows by 12 users: updated
                       enumerate(facet_rows([f"nb{i}" for i in range(12)], turns=3))]]
    now, summary, _ = release(grown, previous=ledger)
    assert now["bA"].conversations == 15 and now["bB"].conversations == 42
    assert now["t0"].conversations == 57  # the sum of what the children publish, not 62
    assert summary.repeat["totals"] == "updated" and summary.accepted == len(grown)
    assert all(c.share == round(c.conversations / summary.accepted, 4) for c in now.values())


def test_a_suppressed_cluster_is_not_released_by_fewer_than_k_new_users():
    rows = [r for r in corpus() if r.user not in {"a0", "a1", "a2", "a3", "a4"}]  # A: 9 users, suppressed
    first, _, ledger = release(rows)
    assert "bA" not in first
    second, _, _ = release(with_user(rows, "tipping", 2), previous=ledger)  # 10 users now, but 1 changed
    assert "bA" not in second


def test_a_changed_conversation_counts_as_its_user_changing():
    rows = corpus()
    first, _, ledger = release(rows)
    edited = [dataclasses.replace(r, turns=9) if r.id in ("A0", "A1") else r for r in rows]  # one user, a0
    same, _, _ = release(edited, previous=ledger)
    assert figures(same["bA"]) == figures(first["bA"])


def test_the_ledger_is_used_only_for_the_release_it_describes(tmp_path):
    rows = corpus()
    public_clusters, _, ledger = release(rows)
    private, rel = tmp_path / "private", tmp_path / "release"
    private.mkdir()
    rel.mkdir()
    write_pending(private, ledger)
    assert load_ledger(private, rel) is None and not (private / "release_ledger.pending.json").exists()
    write_pending(private, ledger)  # published: the pending ledger becomes the ledger
    (rel / "clusters.json").write_text(_clusters_text(rows))
    loaded = load_ledger(private, rel)
    assert isinstance(loaded, ReleaseLedger) and loaded.created_at == ledger.created_at
    (rel / "clusters.json").write_text("{}")  # a release the ledger does not describe
    assert load_ledger(private, rel) is None


def _clusters_text(rows) -> str:
    a = tuple(i for i, r in enumerate(rows) if r.id.startswith("A"))
    b = tuple(i for i, r in enumerate(rows) if r.id.startswith("B"))
    cands = [CandidateCluster("bA", 0, "t0", a, ClusterText("A", "", ("alpha",), ())),
             CandidateCluster("bB", 0, "t0", b, ClusterText("B", "", ("beta",), ())),
             CandidateCluster("t0", 1, None, a + b, ClusterText("T", "", ("tau",), ()))]
    res = gate(rows, cands, POLICY, NoFindings(), COMPOSER)
    counts = {"read": len(rows), "accepted": len(rows), "quarantined": 0, "pii_removed_by_type": {"PERSON": 44}}
    public, _, _, _ = release_artifacts(res, rows, POLICY, counts, ("base", "top"), 0, embedding_model="x",
                                        facet_backend="none", clustering={})
    return public.files()["clusters.json"]

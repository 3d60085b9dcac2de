from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clio.cluster.naming.compose import COMPOSER
from clio.facets.stage import dp_categories
from privacy.release import CandidateCluster, ClusterText, ReleasePolicy, gate
from tests.fakes.noise import seeded_laplace
from tests.fakes.rows import facet_rows
from tests.fakes.scanners import FlagsWord, NoFindings


def text(name="Python help"):
    return ClusterText(name=name, description="Requests about python.", keywords=("python",), exemplars=())


def test_cluster_below_user_threshold_is_suppressed_and_counted():
    rows = facet_rows([f"u{i % 3}" for i in range(40)])
    cands = [CandidateCluster("b0", 0, "t0", tuple(range(40)), text()),
             CandidateCluster("t0", 1, None, tuple(range(40)), text())]
    res = gate(rows, cands, ReleasePolicy(min_users=10, min_conversations=25), NoFindings(), COMPOSER)
    assert res.released == [] and res.suppressed["below_min_users"] == 1


def test_unknown_users_count_as_one_unless_operator_says_otherwise():
    rows = facet_rows([None] * 30)
    cands = [CandidateCluster("b0", 0, None, tuple(range(30)), text())]
    assert gate(rows, cands, ReleasePolicy(), NoFindings(), COMPOSER).released == []
    res = gate(rows, cands, ReleasePolicy(one_user_per_conversation=True), NoFindings(), COMPOSER)
    assert [c.id for c in res.released] == ["b0"]


def test_flagged_keyword_is_dropped_and_never_reappears_in_name_or_description():
    rows = facet_rows([f"u{i}" for i in range(30)])
    flagged = ClusterText(name="Garcia (python)", description="Requests about garcia, python.",
                          keywords=("garcia", "python"), exemplars=("ask garcia about python", "python help"))
    res = gate(rows, [CandidateCluster("b0", 0, None, tuple(range(30)), flagged)], ReleasePolicy(), FlagsWord("garcia"),
               COMPOSER)
    (c,) = res.released
    assert "garcia" not in json.dumps(c.to_json()).lower()
    assert c.keywords == ("python",) and c.exemplars == ("python help",)
    assert res.strings_dropped["pii_rescan"] == 2


def test_a_flagged_name_keeps_its_head_with_fewer_keywords_before_another_leads():
    rows = facet_rows([f"u{i}" for i in range(30)])
    kws = ("Chemistry questions", "water", "temperature")  # the three together read as a place; each alone does not
    cand = ClusterText(name="Chemistry questions: water, temperature", description="", keywords=kws, exemplars=())

    class FlagsTheTrio(NoFindings):
        def find(self, texts, threshold):
            return [["LOCATION"] if "water, temperature" in t else [] for t in texts]

    (c,) = gate(rows, [CandidateCluster("b0", 0, None, tuple(range(30)), cand)], ReleasePolicy(), FlagsTheTrio(),
                COMPOSER).released
    assert c.name == "Chemistry questions: water"

    class FlagsAfterTheHead(NoFindings):  # any name with a keyword after the label: the label alone is left
        def find(self, texts, threshold):
            return [["LOCATION"] if "questions: " in t else [] for t in texts]

    (c,) = gate(rows, [CandidateCluster("b0", 0, None, tuple(range(30)), cand)], ReleasePolicy(), FlagsAfterTheHead(),
                COMPOSER).released
    assert c.name == "Chemistry questions"


@settings(max_examples=60, deadline=None)
@given(sizes=st.lists(st.integers(1, 60), min_size=1, max_size=8),
       users_per=st.lists(st.integers(1, 30), min_size=8, max_size=8),
       min_users=st.integers(1, 12), min_conv=st.integers(1, 40), groups=st.integers(1, 3))
def test_no_released_aggregate_below_thresholds_even_by_differencing(sizes, users_per, min_users, min_conv, groups):
    users, cands, start = [], [], 0
    for k, n in enumerate(sizes):
        users += [f"u{k}-{i % users_per[k]}" for i in range(n)]
        cands.append(CandidateCluster(f"b{k}", 0, f"t{k % groups}", tuple(range(start, start + n)), text()))
        start += n
    for g in range(groups):
        members = tuple(i for c in cands if c.parent == f"t{g}" for i in c.members)
        cands.append(CandidateCluster(f"t{g}", 1, None, members, text()))
    rows = facet_rows(users)
    policy = ReleasePolicy(min_users=min_users, min_conversations=min_conv)
    res = gate(rows, cands, policy, NoFindings(), COMPOSER)
    by_id = {c.id: c for c in res.released}
    for c in res.released:
        assert c.users >= min_users and c.conversations >= min_conv
        if c.level == 1:
            # a parent equals the sum of its released children: differencing reveals nothing withheld
            assert c.conversations == sum(by_id[k].conversations for k in c.children)
    released_base = sum(c.level == 0 for c in res.released)
    assert released_base + res.suppressed["below_min_users"] + res.suppressed["below_min_conversations"] == len(sizes)


@pytest.fixture
def seeded_noise(monkeypatch):
    """DP noise from a seeded generator: the assertions below see the same draws on every run."""
    import privacy.dp

    monkeypatch.setattr(privacy.dp, "_laplace", seeded_laplace(0))


def test_the_real_opendp_mechanism_is_what_the_gate_uses_and_its_counts_are_clamped():
    """OpenDP's draws cannot be seeded: this asserts only what holds for every draw."""
    from privacy.dp import NoisyCounter

    nc = NoisyCounter(0.5)
    draws = [nc.count(0) for _ in range(20)] + [nc.users(0) for _ in range(20)]
    assert all(isinstance(d, int) and d >= 0 for d in draws)
    assert nc.total([99, -3], cap=10) >= 0 and set(nc.histogram(["x"], ["a"])) == {"a", "other"}


def test_with_dp_counts_are_noisy_thresholded_and_parents_sum_children(seeded_noise):
    users = [f"u{i % 40}" for i in range(200)]
    rows = facet_rows(users)
    cands = [CandidateCluster(f"b{k}", 0, "t0", tuple(range(k * 50, k * 50 + 50)), text()) for k in range(4)]
    cands.append(CandidateCluster("t0", 1, None, tuple(range(200)), text()))
    policy = ReleasePolicy(min_users=5, min_conversations=10, dp_epsilon=0.5)
    runs = [gate(rows, cands, policy, NoFindings(), COMPOSER, categories=dp_categories()).released for _ in range(5)]
    counts = {tuple(c.conversations for c in r) for r in runs}
    assert len(counts) > 1  # noise is random
    for r in runs:
        by_id = {c.id: c for c in r}
        for c in r:
            assert c.users >= 5 and c.conversations >= 10
        if "t0" in by_id:
            assert by_id["t0"].conversations == sum(by_id[k].conversations for k in by_id["t0"].children)
    assert policy.describe()["differential_privacy"]["epsilon_per_count"] == 0.5


def test_with_dp_a_cluster_below_the_exact_thresholds_is_never_released(seeded_noise):
    rows = facet_rows([f"u{i % 3}" for i in range(30)])  # 3 people, 30 conversations
    small = [CandidateCluster("b0", 0, None, tuple(range(30)), text())]
    policy = ReleasePolicy(min_users=5, min_conversations=10, dp_epsilon=1.0)
    released = sum(len(gate(rows, small, policy, NoFindings(), COMPOSER, categories=dp_categories()).released)
                   for _ in range(200))
    assert released == 0  # the noisy user count alone crossed 5 in about 1 run in 10


def test_with_dp_shares_and_means_come_from_noisy_queries_over_public_categories(seeded_noise):
    import dataclasses

    from clio.facets.language import known_languages
    from privacy.dp import NoisyCounter

    rows = [dataclasses.replace(f, quiz_label="quizzing" if i % 4 == 0 else "asking", turns=2 + i % 3,
                                language="xx-secret" if i == 7 else "en", domain="coding")
            for i, f in enumerate(facet_rows([f"u{i % 40}" for i in range(200)]))]
    cands = [CandidateCluster("b0", 0, None, tuple(range(200)), text())]
    exact = gate(rows, cands, ReleasePolicy(min_users=5, min_conversations=10), NoFindings(), COMPOSER).released[0]
    assert exact.quizzing_share == 0.25 and exact.languages["xx-secret"] == 0.005
    policy = ReleasePolicy(min_users=5, min_conversations=10, dp_epsilon=0.5)
    runs = [gate(rows, cands, policy, NoFindings(), COMPOSER, categories=dp_categories()).released[0]
            for _ in range(6)]
    assert len({r.quizzing_share for r in runs}) > 1 and len({r.mean_turns for r in runs}) > 1
    public = set(known_languages()) | {"other"}
    for r in runs:
        assert 0 <= r.quizzing_share <= 1 and 1 <= r.mean_turns <= 10 and 1 <= r.mean_concern <= 5
        assert set(r.languages) <= public and "xx-secret" not in r.languages  # never a data-made key
        assert r.domains.get("coding", 0) > 0.5  # 200 true against noise of scale 10 and a floor near 49
    # each noisy share has a spread near 0.07 (scale 10 on 50 of 200); six runs' mean is 5 spreads inside 0.15
    assert abs(sum(r.quizzing_share for r in runs) / len(runs) - 0.25) < 0.15
    assert policy.describe()["differential_privacy"]["counts_per_cluster"] == 7
    nc = NoisyCounter(1.0, max_conversations_per_user=2)
    assert nc.keep(["a", "a", "a", "b", "a", "b"]) == [0, 1, 3, 5]


def test_groups_are_named_by_their_released_childrens_heads_never_a_suppressed_one():
    from clio.cluster.naming.compose import compose_name

    users = [f"u{i % 50}" for i in range(230)]
    rows = facet_rows(users)

    def kw(*words):
        return ClusterText(name="", description="", keywords=words, exemplars=())

    cands = [CandidateCluster("b0", 0, "t0", tuple(range(0, 100)), kw("SQL query", "joins")),
             CandidateCluster("b1", 0, "t0", tuple(range(100, 160)), kw("sad poem", "cat")),
             CandidateCluster("b2", 0, "t0", tuple(range(160, 165)), kw("secret topic", "rare")),  # too small
             CandidateCluster("b3", 0, "t0", tuple(range(165, 200)), kw("SQL joins", "tables")),  # overlaps b0
             CandidateCluster("b4", 0, "t1", tuple(range(200, 230)), kw("tax return", "forms")),
             CandidateCluster("t0", 1, None, tuple(range(0, 200)), kw("python", "writing")),
             CandidateCluster("t1", 1, None, tuple(range(200, 230)), kw("money", "tax"))]
    res = gate(rows, cands, ReleasePolicy(min_users=5, min_conversations=10), NoFindings(), COMPOSER)
    by_id = {c.id: c for c in res.released}
    assert "b2" not in by_id and by_id["t0"].children == ("b0", "b1", "b3")
    t0 = by_id["t0"]
    assert t0.name == "SQL query, sad poem and python"  # largest first; b3's head overlaps b0's
    assert "secret" not in json.dumps(t0.to_json())
    assert t0.description.startswith("Group of 3 clusters about SQL query, sad poem")
    assert compose_name(t0.keywords, 3) == t0.name  # the gate can recompose it
    assert by_id["t1"].name == "Money: tax" and by_id["t1"].description.startswith("Group of 1 cluster ")
    llm = ClusterText(name="Database and poetry help", description="d", keywords=("python",), exemplars=(),
                      free_text=("name",))
    cands[5] = CandidateCluster("t0", 1, None, tuple(range(0, 200)), llm)
    assert {c.id: c for c in gate(rows, cands, ReleasePolicy(min_users=5, min_conversations=10),
                                     NoFindings(), COMPOSER).released}["t0"].name == "Database and poetry help"


class RatesPythonPrivate:
    name = "fake-rater"

    def rate(self, texts):
        return [4 if "python" in t.lower() else 1 for t in texts]


def test_llm_rater_can_only_remove_strings_never_add():
    rows = facet_rows([f"u{i}" for i in range(30)])
    t = ClusterText(name="", description="", keywords=("python", "loops"), exemplars=("python loops", "fix loops"))
    cands = [CandidateCluster("b0", 0, None, tuple(range(30)), t)]
    without = gate(rows, cands, ReleasePolicy(), NoFindings(), COMPOSER).released[0]
    res = gate(rows, cands, ReleasePolicy(), NoFindings(), COMPOSER, RatesPythonPrivate())
    (c,) = res.released
    assert "python" in json.dumps(without.to_json()).lower() and "python" not in json.dumps(c.to_json()).lower()
    assert c.keywords == ("loops",) and c.exemplars == ("fix loops",)


def test_model_written_text_needs_supported_words_and_content_word_pairs():
    from privacy.phrases import PhraseSupport

    texts = ["help with python code", "fix python errors", "maria wants a garcia poem", "garcia maria"]
    sup = PhraseSupport([(f"u{i}", t) for i in range(3) for t in texts[:3]] + [("u9", texts[3])], k=3)
    assert sup.free_text_ok("Python code for errors")  # "code for" is no user's pair, but it joins common words
    assert not sup.text_ok("Python code for errors")
    assert not sup.free_text_ok("Help fix python code")  # "help fix": two content words no user wrote together
    assert not sup.free_text_ok("Poem for maria garcia")  # a rare pair of content words: a name
    assert not sup.free_text_ok("Help with <PERSON_1> code") and not sup.free_text_ok("")

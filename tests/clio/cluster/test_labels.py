"""Offline names led by the project's task and domain labels: the label file, picking, composing, and the gate."""
from __future__ import annotations

import numpy as np
import pytest

from clio.cluster.naming.compose import compose_description, compose_name, group_keywords
from clio.cluster.naming.labelled import LabelledNamer
from clio.cluster.naming.labels import Label, LabelVectors, Labels, load_labels, pick, shared_domain
from privacy.phrases import PhraseSupport
from privacy.release import ClusterText


def test_label_file_loads_and_every_task_has_a_known_domain():
    labels = load_labels()
    assert len(labels.tasks) >= 40 and len(labels.domains) >= 10
    domains = {d.label for d in labels.domains}
    assert all(t.domain in domains for t in labels.tasks)
    assert "debugging code" in labels.phrases()


def test_label_file_errors_name_the_problem(tmp_path):
    bad = tmp_path / "labels.yaml"
    bad.write_text("domains: [{label: A, text: a}]\ntasks: [{label: T, domain: B, text: t}]\n")
    with pytest.raises(ValueError, match="unknown domain"):
        load_labels(bad)


def test_pick_contrasts_a_label_that_fits_everything():
    # label 0 is close to every centroid, label 1 only to centroid 1, label 2 only to centroid 0
    C = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
    L = np.array([[0.7, 0.7, 0.1], [0.0, 0.6, 0.8], [0.8, 0.0, 0.6]])
    L = L / np.linalg.norm(L, axis=1, keepdims=True)
    assert pick(C, L, contrast=0.0, margin=1.0)[1] == 0  # without contrast the generic label wins cluster 1
    assert pick(C, L, margin=1.0) == [2, 1]
    # only labels near a cluster's most similar one compete: label 1 is 0.1 below label 0 for cluster 1
    assert pick(C, L, margin=0.03) == [2, 0]


def test_names_lead_with_the_label_and_keep_the_clusters_own_keywords():
    assert compose_name(["Debugging code", "python", "flask", "error"]) == "Debugging code: python, flask"
    assert compose_description(["Debugging code", "python"]) == "Debugging code: requests about python."
    # keywords that share a content word with one kept are skipped
    assert compose_name(["Writing code", "python code", "flask"]) == "Writing code: flask"


def test_a_group_is_named_for_the_domain_its_children_share():
    kws = group_keywords(["Debugging code", "Web development", "Writing stories"], ["own word"])
    assert kws[0] == "Software development"
    assert compose_name(kws, listing=3) == "Software development: Debugging code, Web development"
    # no domain has half the children: the group lists their domains
    mixed = group_keywords(["Marketing copy", "Cooking and recipes", "Writing stories"], [])
    assert compose_name(mixed, listing=3) == "Marketing and business, Everyday life and Creative writing"
    # ... unless the namer put the area nearest the group's centroid first: then the area and the children's tasks
    themed = group_keywords(["Marketing copy", "Cooking and recipes", "Writing stories"], ["Writing and editing"])
    assert compose_name(themed, listing=3) == "Writing and editing: Marketing copy, Cooking and recipes"
    # an area ending in a stop word keeps it ("Technical help" was released as "Technical, Writing code and ...")
    tech = group_keywords(["Writing code", "General knowledge questions", "Cooking and recipes"], ["Technical help"])
    assert compose_name(tech, listing=3) == "Technical help: Writing code, General knowledge questions"
    # a group of groups keeps its children's domains listed
    assert group_keywords(["Creative writing", "Mathematics"], ["Writing and editing"])[0] != "Writing and editing"
    # without labels, the old rule: children's heads listed
    assert compose_name(group_keywords(["sql query", "poem"], []), listing=2) == "Sql query and poem"


def test_shared_domain_needs_half_of_the_children():
    labels = load_labels()
    assert shared_domain(["Debugging code", "Writing code", "Writing stories"], labels) == "Software development"
    assert shared_domain(["Debugging code", "Writing stories", "Cooking and recipes"], labels) is None
    assert shared_domain(["Creative writing", "Mathematics"], labels) is None  # a group of groups


def test_labels_are_public_phrases_for_the_k_user_rule():
    support = PhraseSupport([("u1", "fix my flask error")], k=5, public=load_labels().phrases())
    assert support.word_ok("Debugging code") and not support.unsupported("Debugging code")
    assert not support.word_ok("flask error") and support.unsupported("flask error")


class _Inner:
    def name(self, groups, central=None, n_children=None, cover=None, centroids=None, child_names=None):
        return [ClusterText(name="x", description="", keywords=("python", "code review"), exemplars=("e",))
                for _ in groups]


def test_labelled_namer_picks_the_nearest_task_in_the_embedding_space():
    labels = Labels(tasks=load_labels().tasks[:3], domains=load_labels().domains)

    def encode(texts):  # one axis per label description, so the nearest label is known
        out = np.zeros((len(texts), 8), dtype=np.float32)
        for i, _ in enumerate(texts):
            out[i, i] = 1.0
        return out

    namer = LabelledNamer(_Inner(), LabelVectors(encode, labels))
    centroids = np.zeros((2, 8), dtype=np.float32)
    centroids[0, 2], centroids[1, 0] = 1.0, 1.0
    names = namer.name([["a python script"], ["b"]], centroids=centroids)
    assert [n.keywords[0] for n in names] == [labels.tasks[2].label, labels.tasks[0].label]
    assert names[0].name.startswith(labels.tasks[2].label) and "python" in names[0].name
    assert names[0].exemplars == ("e",)


def test_default_encoder_is_multilingual_and_the_quiz_form_model_keeps_minilm():
    from clio.cluster.base import ClusterConfig, language_groups
    from clio.components import quiz_embedder
    from clio.embed.embedders import EmbedConfig, make_embedder

    default = make_embedder(EmbedConfig())
    assert default.name == "universal-sentence-encoder-multilingual-v3+all-MiniLM-L6-v2"
    # one space for all languages: the default never splits clusters by script
    assert list(language_groups(["en"] * 50 + ["ru"] * 50, 100, 5, ClusterConfig(), default.name)) == ["all"]
    assert quiz_embedder(default) is default.parts[1]  # one MiniLM serves both
    minilm = make_embedder(EmbedConfig("all-MiniLM-L6-v2"))
    assert quiz_embedder(minilm) is minilm


@pytest.mark.slow
def test_every_label_passes_the_release_rescan():
    """A label the gate's stricter Presidio re-scan flags would be dropped from every name it leads."""
    from clio.config import PipelineConfig
    from privacy.scrub import Scrubber

    labels = load_labels()
    strings = [x.label for x in (*labels.tasks, *labels.domains)]
    policy = PipelineConfig().release
    found = Scrubber(PipelineConfig().scrub).find(strings, policy.rescan_threshold)
    assert not [(s, f) for s, f in zip(strings, found) if f]


def test_label_view_reads_a_non_english_cluster_in_the_first_part_only():
    from clio.cluster.naming.labelled import english_shares

    first = np.array([[1.0, 0.0, 0.0, 0.0], [0.0, 1.0, 0.0, 0.0]], dtype=np.float32)
    minilm = np.array([[0.0, 0.0, 1.0, 0.0], [0.0, 0.0, 0.0, 1.0]], dtype=np.float32)
    C = (first + 0.6 * minilm) / np.linalg.norm(first + 0.6 * minilm, axis=1, keepdims=True)
    lv = LabelVectors(lambda texts: np.ones((len(texts), 4), dtype=np.float32), first_dim=2)
    V = lv.view(C, [1.0, 0.0])
    assert np.allclose(V[0], C[0], atol=1e-6)  # English: unchanged
    assert np.allclose(V[1], [0.0, 1.0, 0.0, 0.0], atol=1e-6)  # not English: the first part alone, unit length
    assert np.array_equal(LabelVectors(lv._encode).view(C, [0.0, 0.0]), C)  # one encoder: nothing to read apart
    assert english_shares([["How do I fix this error in my code?", "Напиши рассказ о зиме"], []]) == [0.5, 1.0]


def test_a_base_name_may_lead_with_any_pair_of_its_first_four_keywords():
    from clio.cluster.naming.labelled import _keyword_orders

    phrases = load_labels().phrases()
    orders = _keyword_orders(("Casual conversation", "paragraph", "English", "greeting", "hello", "story"),
                             "Casual conversation", phrases)
    assert orders[0] == ("Casual conversation", "paragraph", "English", "greeting", "hello", "story")
    assert len(orders) == 6 and len(set(orders)) == 6  # the c-TF-IDF order, then the other 5 of 6 pairs
    assert ("greeting", "hello", "Casual conversation", "paragraph", "English", "story") in orders
    assert all(sorted(o) == sorted(orders[0]) for o in orders)  # reordered, never dropped or added


def test_a_label_is_followed_only_by_keywords_a_fair_share_of_its_cluster_holds():
    from clio.cluster.naming.labelled import MIN_KEYWORD_SHARE, representative

    docs = ["fix my flask app"] * 3 + ["a question about time zones in flask"] + ["hello there"] * 66
    assert 3 / len(docs) < MIN_KEYWORD_SHARE < 4 / len(docs)
    # "flask" is in 4 of 70 summaries, "app" in 3 (below the share), "time" is generic alone, "time zones" is not
    assert representative(["flask", "app", "time", "time zones"], docs) == ("flask",)
    assert representative(["flask", "app", "time", "time zones"], docs, share=0.01) == ("flask", "app", "time zones")


def test_a_candidate_label_whose_name_fits_another_cluster_yields_to_a_spare_that_fits_this_one():
    domain = load_labels().domains[0].label
    labels = Labels(tasks=(Label("Alpha task", "alpha text", domain), Label("Beta task", "beta text", domain),
                           Label("Gamma task", "gamma text", domain)), domains=load_labels().domains)
    e = np.eye(4, dtype=np.float32)
    # alpha's description is nearest cluster 0 (its first candidate), but the name "Alpha task" embeds at cluster 1;
    # beta's description is further from cluster 0 (a spare) and its name embeds at cluster 0
    table = {"alpha text": e[0], "beta text": 0.8 * e[0] + 0.6 * e[2], "gamma text": e[1],
             "Alpha task": e[1], "Beta task": e[0], "Gamma task": e[1]}

    def encode(texts):
        return np.stack([table.get(t, np.zeros(4, dtype=np.float32)) for t in texts])

    namer = LabelledNamer(_Inner(), LabelVectors(encode, labels))
    names = namer.name([["a"], ["b"]], centroids=e[:2].copy())
    assert [n.name for n in names] == ["Beta task", "Gamma task"]


def test_two_clusters_that_would_share_a_name_are_told_apart_by_their_own_keywords():
    """One label fits both and no keyword passes the share rule: each gets its own first keyword below the rule
    that the other's name lacks; a cluster left with nothing of its own keeps the plain label, still unique."""
    domain = load_labels().domains[0].label
    labels = Labels(tasks=(Label("Alpha task", "alpha text", domain),), domains=load_labels().domains)

    class Inner:
        def name(self, groups, central=None, n_children=None, cover=None, centroids=None, child_names=None):
            kws = [("noodles", "broth"), ("dumplings", "broth"), ("broth",)]
            return [ClusterText(name="x", description="", keywords=k, exemplars=()) for k in kws[:len(groups)]]

    def encode(texts):
        return np.ones((len(texts), 4), dtype=np.float32)

    namer = LabelledNamer(Inner(), LabelVectors(encode, labels))
    docs = [["hello there"] * 40] * 3  # no keyword is held by any summary: all fall below the share rule
    names = [n.name for n in namer.name(docs, centroids=np.eye(4, dtype=np.float32)[:3])]
    assert len(set(names)) == 3 and all(n.startswith("Alpha task") for n in names)
    assert names[0] == "Alpha task: noodles" and names[1] == "Alpha task: dumplings"
    two = [n.name for n in namer.name(docs[:2], centroids=np.eye(4, dtype=np.float32)[:2])]
    assert two == ["Alpha task: noodles", "Alpha task: dumplings"]


def test_a_shared_domain_is_weighed_by_the_childrens_conversations():
    """Two small money clusters do not name a group whose larger children are physics and maths."""
    labels = load_labels()
    heads = ["Physics and chemistry", "Personal finance", "Legal questions", "Solving math problems"]
    assert shared_domain(heads, labels) == "Money and law"  # 2 of 4 children
    assert shared_domain(heads, labels, [88, 54, 47, 26]) is None  # 101 of 215 conversations
    assert shared_domain(heads, labels, [20, 54, 47, 26]) == "Money and law"
    kws = group_keywords(heads, ["Seeking information"], [88, 54, 47, 26])
    assert kws[0] == "Seeking information" and kws[1] == "Physics and chemistry"


def test_a_group_area_is_the_plainly_nearest_one_not_the_most_distinctive():
    """Two groups both nearest "Seeking information" are both named so: an area is what a group is, and a
    contrast would hand the second group an area that fits it worse ("Images and prompts" on medicine)."""
    areas = (Label("Seeking information", "facts"), Label("Images and prompts", "images"))
    labels = Labels(tasks=load_labels().tasks[:1], domains=load_labels().domains, areas=areas)
    table = {"facts": np.array([1.0, 0.0], dtype=np.float32), "images": np.array([0.0, 1.0], dtype=np.float32)}
    lv = LabelVectors(lambda texts: np.stack([table.get(t, np.zeros(2, dtype=np.float32)) for t in texts]), labels)
    C = np.array([[0.95, 0.31], [0.62, 0.60]], dtype=np.float32)  # the second within the margin of both
    assert lv.area_candidates(C) == [["Seeking information"], ["Seeking information"]]

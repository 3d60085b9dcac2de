"""Unit tests of single stages on tiny inputs."""
from __future__ import annotations

import numpy as np

from clio.classify import classify_turns
from clio.cluster import ClusterConfig, HdbscanClusterer, IdentityReducer, cluster_vectors
from clio.coverage import coverage_table, js_divergence
from clio.facets import request_summary
from clio.language import detect_language
from clio.hierarchy import build_hierarchy
from clio.naming import name_groups


def test_summary_skips_pii_sentences_and_code():
    s = request_summary(["Hi, my name is <PERSON_1>. My Python loop fails.\n```python\nx = 1\n```\nHow do I fix it?"])
    assert "<PERSON" not in s and "x = 1" not in s and "Python loop" in s


def test_language_detection_on_a_few_scripts():
    assert detect_language("How do I fix my code?") == "en"
    assert detect_language("Comment puis-je réparer le code pour les tests?") == "fr"
    assert detect_language("Как мне исправить этот код?") == "ru"


def test_classifier_separates_quiz_forms_from_needs():
    assert classify_turns(["Which of the following is a statin? A) metformin B) atorvastatin C) aspirin D) none. "
                           "Answer with the letter."]).label == "quizzing"
    assert classify_turns(["Can I take ibuprofen with metformin? My doctor prescribed both."]).label == "asking"
    r = classify_turns(["Trivia: in which year did the French Revolution begin?"])
    assert r.label == "quizzing" and "exam_framing" in r.cues


def blobs(k=4, n=40, d=16, seed=0):
    rng = np.random.default_rng(seed)
    centers = np.eye(d)[:k]
    X = np.vstack([c + 0.05 * rng.standard_normal((n, d)) for c in centers])
    return X / np.linalg.norm(X, axis=1, keepdims=True), np.repeat(np.arange(k), n)


def test_clusters_recover_separated_blobs_and_noise_is_reassigned_when_close():
    X, y = blobs()
    base = cluster_vectors(X, IdentityReducer(), HdbscanClusterer(10), ClusterConfig())
    assert len(base.centroids) == 4 and (base.labels >= 0).all()
    for c in range(4):
        assert len(set(y[base.labels == c])) == 1


def test_far_points_stay_unclustered():
    X, _ = blobs()
    far = np.zeros((1, X.shape[1]))
    far[0, -1] = 1.0
    base = cluster_vectors(np.vstack([X, far]), IdentityReducer(), HdbscanClusterer(10), ClusterConfig())
    assert base.labels[-1] == -1


def test_hierarchy_groups_similar_centroids():
    c = np.array([[1, 0, 0], [0.9, 0.1, 0], [0, 1, 0], [0, 0.95, 0.05]], dtype=np.float32)
    h = build_hierarchy(c / np.linalg.norm(c, axis=1, keepdims=True), 2)
    assert h.parent_of[0] == h.parent_of[1] != h.parent_of[2] == h.parent_of[3]
    assert h.coords.shape == (4, 2)


def test_names_use_only_allowed_words():
    groups = [["python error in loop", "python error again"], ["cover letter for nurse", "cover letter please"]]
    texts = name_groups(groups, lambda w: "again" not in w, lambda t: True, central=groups)
    assert "python" in texts[0].name.lower() and "again" not in texts[0].keywords
    assert "cover letter" in texts[1].keywords


def test_js_divergence_bounds():
    p = np.array([0.5, 0.5, 0.0])
    assert js_divergence(p, p) == 0.0
    assert js_divergence(np.array([1.0, 0.0]), np.array([0.0, 1.0])) == 1.0


def test_coverage_marks_clusters_no_benchmark_reaches():
    C = np.eye(3, dtype=np.float32)
    bench = {"b": np.array([[1, 0, 0], [0.9, 0.1, 0]], dtype=np.float32)}
    doc = coverage_table({"x": 50, "y": 30, "z": 20}, C, ["x", "y", "z"], {"x": "X", "y": "Y", "z": "Z"}, bench,
                         {"b": 1.0})
    assert doc["uncovered_usage_share"] == 0.5
    assert doc["overlooked"] == ["y", "z"]
    assert doc["clusters"][0]["benchmark_shares"]["b"] == 1.0


def test_follow_up_that_grades_the_answer_marks_a_quiz_and_turn_shares_are_reported():
    quiz = classify_turns(["Who wrote Hamlet?", "Correct! And who wrote Faust?"])
    assert quiz.label == "quizzing" and "grades_answer" in quiz.cues
    turned = classify_turns(["Trivia: in which year did the French Revolution begin?",
                             "Thanks. Now please help me write my history essay, I'm stuck on the intro.",
                             "Can you make my intro shorter?"])
    assert 0 < turned.turn_share_quizzing < 1

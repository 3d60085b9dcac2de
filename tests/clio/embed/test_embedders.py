"""Embedders and the cheap paths of embedding and UMAP: they compute what the slow ones did."""
from __future__ import annotations

import numpy as np

from clio.cluster.base import exact_cosine_knn
from clio.machine import usable_cpus


def test_usable_cpus_follows_affinity_and_omp_num_threads(monkeypatch):
    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    n = usable_cpus()
    assert 1 <= n <= (len(__import__("os").sched_getaffinity(0)))
    monkeypatch.setenv("OMP_NUM_THREADS", "1")
    assert usable_cpus() == 1
    monkeypatch.setenv("OMP_NUM_THREADS", "not-a-number")
    assert usable_cpus() == n


def test_exact_knn_matches_brute_force_and_puts_each_point_first():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 16)).astype(np.float32)
    X[7] = X[3]  # an exact duplicate: each keeps itself first
    idx, dist = exact_cosine_knn(X, 10, block=64)
    U = X / np.linalg.norm(X, axis=1, keepdims=True)
    D = 1.0 - U.astype(np.float64) @ U.T.astype(np.float64)
    assert (idx[:, 0] == np.arange(300)).all() and np.allclose(dist[:, 0], 0.0)
    assert idx[3, 1] == 7 and idx[7, 1] == 3
    for i in range(300):
        want = np.sort(D[i])[:10]
        want[0] = 0.0
        assert np.allclose(dist[i], np.maximum(want, 0.0), atol=1e-6)
        assert (np.diff(dist[i]) >= -1e-12).all()


def test_combined_embedder_joins_unit_parts_with_the_second_weighted():
    from clio.embed.embedders import CombinedEmbedder, EmbedConfig, HashEmbedder, make_embedder

    texts = ["fix my python error", "write a poem about rain", "fix my python error please"]
    a, b = HashEmbedder(64), HashEmbedder(32)
    emb = CombinedEmbedder(a, b, weight=0.6)
    V = emb.encode(texts)
    assert V.shape == (3, 96) and np.allclose(np.linalg.norm(V, axis=1), 1.0, atol=1e-5)
    A, B = a.encode(texts), b.encode(texts)
    want = (A @ A.T + 0.36 * (B @ B.T)) / 1.36
    assert np.allclose(V @ V.T, want, atol=1e-5)
    assert emb.name == "hash-64+hash-32"
    named = make_embedder(EmbedConfig(model="hash+hash"))
    assert isinstance(named, CombinedEmbedder) and named.encode(texts).shape == (3, 512)


def test_the_second_encoder_counts_only_for_english_conversations(tmp_path):
    """MiniLM reads English only: left in, its part grouped real Russian, Chinese and Turkish requests of every
    topic into one WildChat cluster. A combined vector keeps it for English rows and drops it elsewhere."""
    from clio.config import PipelineConfig
    from clio.embed.embedders import CombinedEmbedder, HashEmbedder
    from clio.pipeline import stage_embed
    from clio.workspace import Workspace
    from privacy.private import PrivateFacets

    ws = Workspace(tmp_path / "w").create()
    rows = [PrivateFacets(id=str(i), user=None, summary=s, language=lang, turns=2, user_turns=1,
                          quiz_label="asking", quiz_score=0.1, quiz_turn_share=0.0)
            for i, (s, lang) in enumerate([("fix my python error", "en"), ("исправь ошибку в коде", "ru")])]
    emb = CombinedEmbedder(HashEmbedder(64), HashEmbedder(32), weight=0.6)
    stage_embed("prev", ws, PipelineConfig().replace(embed={"model": "hash-64+hash-32", "text": "summary"}), emb,
                rows)
    X = np.load(ws.private_path("vectors.npy"))
    assert np.allclose(np.linalg.norm(X, axis=1), 1.0, atol=1e-5)
    assert np.abs(X[0, 64:]).sum() > 0 and np.allclose(X[1, 64:], 0.0)
    assert np.allclose(X[1, :64], emb.parts[0].encode([rows[1].summary])[0], atol=1e-5)

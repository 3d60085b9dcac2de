"""The stages are functions over batches of typed rows with their models passed in: they compose in memory, with
no workspace (what lets another engine run them on workers)."""
from __future__ import annotations

import numpy as np

from clio.cluster.naming.compose import COMPOSER
from clio.cluster.naming.levels import name_levels
from clio.cluster.naming.tagger import PhraseTagger
from clio.cluster.stage import cluster_batch
from clio.cluster.table import PrivateClusters
from clio.components import Components
from clio.embed.stage import embed_batch
from clio.facets.stage import facet_batch
from clio.ingest.readers import read_records
from clio.pipeline import phrase_support
from clio.synth.corpus import SynthConfig, write_corpus
from privacy.private import PrivateConversation, PrivateFacets
from privacy.public import PublicCluster
from privacy.release import CandidateCluster, gate
from privacy.scrub import ScrubStats, scrub_conversations


def test_stage_functions_compose_on_batches_without_a_workspace(tmp_path, monkeypatch, scrubber, fast_config):
    corpus, _, _ = write_corpus(tmp_path / "s.jsonl", SynthConfig(n=200, seed=5, users=40))
    before = sorted(tmp_path.rglob("*"))
    monkeypatch.chdir(tmp_path)
    parts = Components(scrubber=scrubber).complete(fast_config)
    scrubbed = list(scrub_conversations(read_records([corpus]), scrubber, b"k" * 32, ScrubStats()))
    facets = facet_batch(scrubbed[:120], parts.facetizer) + facet_batch(scrubbed[120:], parts.facetizer)
    X = np.vstack([embed_batch([f.summary for f in facets[:50]], parts.embedder),
                   embed_batch([f.summary for f in facets[50:]], parts.embedder)])
    clusters, report = cluster_batch(facets, X, fast_config)
    support = phrase_support(facets, fast_config.release)
    namer = parts.namer(fast_config, support, PhraseTagger(fast_config.scrub.nlp_model, scrubber.spacy_pipeline))
    candidates = name_levels(facets, X, clusters, namer)
    result = gate(facets, candidates, fast_config.release, scrubber, COMPOSER)
    assert isinstance(scrubbed[0], PrivateConversation) and isinstance(facets[0], PrivateFacets)
    assert [f.id for f in facets] == [c.id for c in scrubbed] and X.shape == (200, 256)
    assert isinstance(clusters, PrivateClusters) and len(clusters.labels) == 200 and report["base_clusters"] > 0
    assert all(isinstance(c, CandidateCluster) for c in candidates)
    assert result.released and all(isinstance(c, PublicCluster) for c in result.released)
    assert sorted(tmp_path.rglob("*")) == before  # nothing read from or written to any workspace

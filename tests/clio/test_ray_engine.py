"""`clio run --engine ray`: the same stage functions on Ray actor pools give the same workspace and release as the
local engine (a local Ray of 2 CPUs; real Presidio and MiniLM in the actors)."""
from __future__ import annotations

import dataclasses
import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("ray")
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]


def _compare_release():
    spec = importlib.util.spec_from_file_location("compare_release", ROOT / "bench" / "compare_release.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _workspace(path: Path, secret: bytes) -> Path:
    (path / "private").mkdir(parents=True)
    (path / "private" / "secret.key").write_text(secret.hex())  # one secret: the same hashed user ids
    return path


def test_when_engine_is_ray_then_release_equals_local(tmp_path, capsys, monkeypatch):
    from clio.config import PipelineConfig
    from clio.engines import make_engine
    from clio.pipeline import run
    from clio.synth.corpus import SynthConfig, write_corpus

    corpus, _, _ = write_corpus(tmp_path / "s.jsonl", SynthConfig(n=240, seed=5))
    with corpus.open("a") as f:  # a record to quarantine, so its counts travel too
        f.write('{"id": "bad", "messages": []}\n')
    config = PipelineConfig().replace(cluster={"reducer": "pca"}, release={"min_users": 3, "min_conversations": 5})
    secret = bytes(range(32))
    # the local run with the BLAS threads a Ray actor gets (one per CPU it holds): USE's numpy forward pass sums in
    # another order with 2 threads, and its vectors move by ~1e-7 (the README's "Ray engine" says what that means)
    monkeypatch.setenv("OMP_NUM_THREADS", "1")
    local = run([corpus], _workspace(tmp_path / "local", secret), config)
    engine = make_engine("ray", num_cpus=2)
    try:
        remote = run([corpus], _workspace(tmp_path / "ray", secret), config, engine=engine)
    finally:
        engine.close()
    assert local.clusters_released > 0
    assert dataclasses.replace(remote, created_at=local.created_at) == local
    for name in ("conversations.jsonl", "quarantine.jsonl", "ingest.json", "facets.jsonl"):
        a, b = (tmp_path / w / "private" / name for w in ("local", "ray"))
        assert a.read_bytes() == b.read_bytes(), name
    assert np.array_equal(*(np.load(tmp_path / w / "private" / "vectors.npy") for w in ("local", "ray")))
    capsys.readouterr()
    assert _compare_release().main(tmp_path / "local" / "release", tmp_path / "ray" / "release") == 0, \
        json.loads(capsys.readouterr().out)["problems"]

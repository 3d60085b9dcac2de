"""`clio demo`: synthetic sample -> full pipeline -> coverage on demo benchmarks -> medical suite (released exemplars
and a public prompt pool the demo writes)."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from clio.workspace import Workspace
from privacy.public import PublicSummary, read_artifact


def run_demo(workspace: Path, n: int = 1200, seed: int = 7, say: Callable[[str], None] = print) -> PublicSummary:
    from clio.commands.coverage import run_coverage
    from clio.commands.suite import make_suite
    from clio.config import PipelineConfig
    from clio.embed.embedders import make_embedder
    from clio.pipeline import Components, run
    from clio.synth.benchmarks import write_demo_benchmarks, write_demo_pool
    from clio.synth.corpus import SynthConfig, write_corpus
    from privacy.scrub import Scrubber

    ws = Workspace(workspace).create()
    # The sample is the demo's INPUT (raw tier, fake PII by design); it sits beside, not in, private/.
    inputs = ws.root / "input"
    corpus = inputs / "synthetic-sample.jsonl"
    if not corpus.exists() or sum(1 for _ in open(corpus)) != n:
        say(f"generating {n} synthetic conversations ...")
        write_corpus(corpus, SynthConfig(n=n, seed=seed))
    cfg = PipelineConfig()  # one scrubber (Presidio + spaCy) and one MiniLM for every step below
    scrubber, embedder = Scrubber(cfg.scrub), make_embedder(cfg.embed)
    run([corpus], ws.root, cfg, Components(scrubber=scrubber, embedder=embedder), say=say)
    say("coverage against the demo benchmarks ...")
    benches = write_demo_benchmarks(inputs / "benchmarks")
    run_coverage(ws.root, benches, embedder=embedder, scrubber=scrubber)
    say("medical suite ...")
    try:  # released strings and public pool items only, so it joins the release (and its audit) through the door
        from domains.gate import SUITE_MODEL

        make_suite("medical", ws.root, ws.release / "suites" / "medical", "jsonl", 100,
                   embedder=embedder if embedder.name == SUITE_MODEL else None,  # the suite's own space
                   scrubber=scrubber, pools=[write_demo_pool(inputs / "pool")])
    except ValueError as e:  # no released cluster maps to the domain
        say(f"no medical suite: {e}")
    return read_artifact(PublicSummary, ws.release_path(PublicSummary.FILE))

"""`clio suite`: a usage-weighted eval suite for a domain, from the release, public pools and optionally an LLM.

Written to any folder in any harness format; a suite aimed at the workspace's own release/suites/NAME/ joins the
release through the release door (jsonl, audited with the release), which is how `clio demo` adds its medical suite.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class SuiteResult:
    paths: list[Path]
    build: object  # domains.suite.SuiteBuild
    report: dict


def make_suite(domain: str, workspace: Path, out: Path, fmt: str = "jsonl", n_items: int = 200,
               seed: int = 0, embedder=None, scrubber=None, pools: Sequence[Path] = (), pool_field: str | None = None,
               llm=None, max_cost: float | None = None, exemplars: bool = True,
               judges: Sequence[dict] = (), say: Callable[[str], None] = lambda s: None) -> SuiteResult:
    """Build and write a suite. `pools`: public files whose items may serve (their vectors cached by content); `llm`:
    an `clio.llm.LLMConfig` to write what the release and pools cannot supply (its answers cached in the workspace,
    spending stopped before `max_cost`)."""
    import numpy as np

    from clio.coverage.forms import forms_of
    from clio.embed.embedders import EmbedConfig, make_embedder
    from clio.pipeline import config_from_manifest, public_items, publish_suite
    from clio.workspace import Workspace
    from domains.export import build_report, check_format, suite_artifact
    from domains.gate import SUITE_MODEL
    from domains.registry import get_taxonomy
    from domains.sources import PoolItem
    from domains.suite import build_suite, load_release_clusters, write_suite
    from privacy.scrub import Scrubber

    release = Path(workspace) / "release"
    if not (release / "clusters.json").exists():
        raise FileNotFoundError(f"{workspace}: no release yet; run `clio run` first")
    out = Path(out)
    check_format(fmt)
    into_release = out.resolve().is_relative_to(release.resolve())
    if into_release and (out.resolve().parent != (release / "suites").resolve() or fmt != "jsonl"):
        raise ValueError(f"{out}: inside the release, a suite goes to {release / 'suites'}/NAME as jsonl "
                         "(or choose a folder outside the release)")
    taxonomy = get_taxonomy(domain)
    # the gate's and the pool's thresholds were measured in SUITE_MODEL's space, whatever the workspace clusters with
    embedder = embedder or make_embedder(EmbedConfig(model=SUITE_MODEL))
    cfg = config_from_manifest(Workspace(workspace))
    scrubber = scrubber or Scrubber(cfg.scrub)
    threshold = cfg.release.rescan_threshold

    def has_pii(texts):
        return [bool(f) for f in scrubber.find(list(texts), threshold)]

    pool, vecs = [], []
    for path in pools:
        items, V, _ = public_items(workspace, Path(path), pool_field, embedder)
        pool += [PoolItem(it.text, it.provenance, it.reference, it.target, it.choices) for it in items]
        vecs.append(np.asarray(V, dtype=np.float32))
        say(f"pool {Path(path).name}: {len(items)} items")
    writer = None
    if llm is not None:
        from clio.llm.context import LLMContext
        from clio.llm.suite_writer import LLMItemWriter

        ctx = LLMContext.create(llm, Workspace(workspace).private_path("cache/llm.jsonl"), max_cost,
                                scan=lambda text: scrubber.scrub_texts([text])[0])
        writer = LLMItemWriter(ctx, say=say)
    build = build_suite(taxonomy, load_release_clusters(release / "clusters.json"), embedder, n_items=n_items,
                        seed=seed, pool=pool, pool_vectors=np.concatenate(vecs) if vecs else None, writer=writer,
                        form_of=lambda texts: forms_of(texts, embedder.encode(list(texts)), embedder),
                        has_pii=has_pii, exemplars=exemplars)
    report = build_report(build)
    meta = {"seed": seed, "embedder": embedder.name, "release": "release/clusters.json",
            "pools": [Path(p).name for p in pools], "llm": writer.name if writer else None,
            **({"writer": build.writer} if build.writer else {})}
    if into_release:
        publish_suite(workspace, suite_artifact(out.name, build.items, taxonomy, meta, report), scrubber)
        paths = [out / "suite.jsonl", out / "manifest.json"]
    else:
        paths = write_suite(build.items, out, fmt, taxonomy=taxonomy, build=meta, report=report, judges=judges)
    return SuiteResult(paths, build, report)

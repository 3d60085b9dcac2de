"""`clio suite`: a usage-weighted eval suite for a domain, built from the release only.

Written to any folder in any harness format; a suite aimed at the workspace's own release/suites/NAME/ joins the
release through the release door (jsonl, audited with the release), which is how `clio demo` adds its medical suite.
"""
from __future__ import annotations

from pathlib import Path


def make_suite(domain: str, workspace: Path, out: Path, fmt: str = "jsonl", n_items: int = 200,
               seed: int = 0, embedder=None, scrubber=None) -> tuple[list[Path], int]:
    from clio.embed.embedders import EmbedConfig, make_embedder
    from clio.pipeline import embedding_model, publish_suite
    from domains.export import check_format, suite_artifact
    from domains.registry import get_taxonomy
    from domains.suite import build_suite, load_release_clusters, write_suite

    release = Path(workspace) / "release"
    if not (release / "clusters.json").exists():
        raise FileNotFoundError(f"{workspace}: no release yet; run `clio run` first")
    out = Path(out)
    into_release = out.resolve().is_relative_to(release.resolve())
    if into_release and (out.resolve().parent != (release / "suites").resolve() or check_format(fmt) != "jsonl"):
        raise ValueError(f"{out}: inside the release, a suite goes to {release / 'suites'}/NAME as jsonl "
                         "(or choose a folder outside the release)")
    taxonomy = get_taxonomy(domain)
    embedder = embedder or make_embedder(EmbedConfig(model=embedding_model(workspace)))
    items = build_suite(taxonomy, load_release_clusters(release / "clusters.json"), embedder, n_items=n_items,
                        seed=seed)
    build = {"seed": seed, "embedder": embedder.name, "release": "release/clusters.json"}
    if into_release:
        publish_suite(workspace, suite_artifact(out.name, items, taxonomy, build), scrubber)
        return [out / "suite.jsonl", out / "manifest.json"], len(items)
    return write_suite(items, out, fmt, taxonomy=taxonomy, build=build), len(items)

"""Write a suite to disk for an eval harness, plus a manifest.json describing what was written.

Formats: `jsonl` (our items as-is), `inspect` (Inspect AI dataset JSONL), `lm-eval` (data.jsonl plus
a task YAML for lm-evaluation-harness). `helm` is recognised but not supported yet. A suite that joins the release
itself is a `privacy.public.PublicSuite` (see `suite_artifact`), written by the release door, not here.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from privacy.files import atomic_write_json, atomic_write_jsonl, atomic_write_text
from privacy.public import PublicSuite, SuiteCluster, SuiteItem, SuiteManifest

if TYPE_CHECKING:
    from domains.taxonomy import Taxonomy

FORMATS = ("jsonl", "inspect", "lm-eval")
PLANNED_FORMATS = ("helm",)


class UnsupportedFormatError(ValueError, NotImplementedError):
    """Unknown or not-yet-implemented output format; catchable as either ValueError or NotImplementedError."""


def check_format(fmt: str) -> str:
    """Return fmt if writable, else raise UnsupportedFormatError listing the supported formats."""
    supported = ", ".join(FORMATS)
    if fmt in PLANNED_FORMATS:
        raise UnsupportedFormatError(f"format {fmt!r} is not supported yet; supported formats: {supported}")
    if fmt not in FORMATS:
        raise UnsupportedFormatError(f"unknown format {fmt!r}; supported formats: {supported}")
    return fmt


def _metadata(item: SuiteItem) -> dict[str, Any]:
    d = item.to_dict()
    for key in ("id", "input"):
        d.pop(key)
    return d


def _write_jsonl(items: Sequence[SuiteItem], out: Path) -> list[Path]:
    path = out / "suite.jsonl"
    atomic_write_jsonl(path, (it.to_dict() for it in items))
    return [path]


def _write_inspect(items: Sequence[SuiteItem], out: Path) -> list[Path]:
    """Inspect AI `json_dataset` records: id, input, target (empty: open-ended, score with a judge), metadata."""
    path = out / "dataset.jsonl"
    rows = ({"id": it.id, "input": it.input, "target": "", "metadata": _metadata(it)} for it in items)
    atomic_write_jsonl(path, rows)
    return [path]


def lm_eval_task_name(domain: str) -> str:
    return "clio_" + re.sub(r"[^a-z0-9_]", "_", domain.lower())


def _write_lm_eval(items: Sequence[SuiteItem], out: Path, domain: str) -> list[Path]:
    """data.jsonl plus <task>.yaml; `bypass` metric because targets are empty (score outputs elsewhere)."""
    import yaml

    data = out / "data.jsonl"
    atomic_write_jsonl(data, ({"id": it.id, "input": it.input, **_metadata(it)} for it in items))
    task = lm_eval_task_name(domain)
    config = {
        "task": task,
        "dataset_path": "json",
        "dataset_kwargs": {"data_files": {"test": data.name}},
        "test_split": "test",
        "output_type": "generate_until",
        "doc_to_text": "{{input}}",
        "doc_to_target": "",
        # Empty `until`: stop at end-of-sequence, not at the default blank line, for open-ended answers.
        "generation_kwargs": {"until": [], "do_sample": False, "max_gen_toks": 1024},
        "metric_list": [{"metric": "bypass"}],
        "metadata": {"version": 1.0, "domain": domain, "source": "release"},
    }
    header = (
        f"# lm-evaluation-harness task for the {domain!r} usage-weighted suite.\n"
        "# data_files is resolved from the working directory: run from this folder, e.g.\n"
        f"#   lm_eval --include_path . --tasks {task} --log_samples --output_path out ...\n"
        "# Targets are empty (open-ended prompts), so the `bypass` metric just records the generations.\n"
    )
    path = out / f"{task}.yaml"
    atomic_write_text(path, header + yaml.safe_dump(config, sort_keys=False, allow_unicode=True))
    return [data, path]


def suite_domain(items: Sequence[SuiteItem], taxonomy: Taxonomy | None = None) -> str:
    """The one domain all items share (the taxonomy's name for an empty suite)."""
    domains = sorted({it.domain for it in items})
    if len(domains) > 1:
        raise ValueError(f"items mix several domains: {', '.join(domains)}")
    if taxonomy is not None and domains and domains[0] != taxonomy.name:
        raise ValueError(f"items are for domain {domains[0]!r}, taxonomy is {taxonomy.name!r}")
    return domains[0] if domains else (taxonomy.name if taxonomy else "suite")


def manifest(
    items: Sequence[SuiteItem],
    fmt: str,
    files: Sequence[Path],
    taxonomy: Taxonomy | None = None,
    build: Mapping[str, Any] | None = None,
) -> SuiteManifest:
    """What a suite contains: domain, taxonomy, item count, per-node and per-cluster weights, files."""
    from domains.taxonomy import node_label

    domain = suite_domain(items, taxonomy)
    clusters: dict[str, dict[str, Any]] = {}
    for it in items:
        entry = clusters.setdefault(it.cluster_id, {
            "id": it.cluster_id, "node": node_label(it.category, it.subcategory, it.task),
            "weight": it.weight, "items": 0, "quizzing_share": it.quizzing_share,
        })
        entry["items"] += 1
    node_weights: dict[str, float] = {}
    for c in clusters.values():
        node_weights[c["node"]] = node_weights.get(c["node"], 0.0) + c["weight"]
    tax = {"name": taxonomy.name, "title": taxonomy.title, "source": taxonomy.source} if taxonomy else {
        "name": domain}
    return SuiteManifest(
        domain=domain,
        taxonomy=tax,
        format=fmt,
        items=len(items),
        source="release",
        node_weights=dict(sorted(node_weights.items(), key=lambda kv: (-kv[1], kv[0]))),
        clusters=tuple(SuiteCluster(**c) for c in sorted(clusters.values(), key=lambda c: (-c["weight"], c["id"]))),
        files=tuple(p.name for p in files),
        build=dict(build or {}),
    )


def suite_artifact(name: str, items: Sequence[SuiteItem], taxonomy: Taxonomy | None = None,
                   build: Mapping[str, Any] | None = None) -> PublicSuite:
    """The suite as a release artifact (release/suites/NAME/: suite.jsonl and manifest.json), for the door."""
    return PublicSuite(name, manifest(items, "jsonl", [Path("suite.jsonl")], taxonomy, build), tuple(items))


def write_suite(
    items: Sequence[SuiteItem],
    out_dir: str | Path,
    fmt: str = "jsonl",
    *,
    taxonomy: Taxonomy | None = None,
    build: Mapping[str, Any] | None = None,
) -> list[Path]:
    """Write `items` in `fmt` plus manifest.json into out_dir; returns every path written.

    `build` (e.g. seed, n_items, embedder name) is copied into the manifest for reproducibility.
    """
    check_format(fmt)
    domain = suite_domain(items, taxonomy)  # both checks run before anything touches the disk
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    writers: dict[str, Callable[[], list[Path]]] = {
        "jsonl": lambda: _write_jsonl(items, out),
        "inspect": lambda: _write_inspect(items, out),
        "lm-eval": lambda: _write_lm_eval(items, out, domain),
    }
    files = writers[fmt]()
    path = out / "manifest.json"
    atomic_write_json(path, manifest(items, fmt, files, taxonomy, build).to_json())
    return [*files, path]

"""Write a suite for an eval harness, plus a manifest.json describing what was written and how to run it.

Formats (every item keeps its grading material; see `privacy.public.SuiteItem`):

    jsonl    suite.jsonl: our items as they are
    inspect  dataset.jsonl + tasks.py for Inspect AI: one task per grading kind present; `choice` items run
             `multiple_choice()` and score with `choice()`, `exact` items score with `match()`, `reference` and
             `rubric` items with `model_graded_qa()` whose criterion is the item's target (reference or rubric)
    lm-eval  data.jsonl + one task YAML per kind lm-eval can score (acc for choice, exact_match for exact, chrF
             against the reference answer) + utils.py that loads data.jsonl beside it, so the tasks run from any
             working directory; rubric-only items need a judge and are left to the inspect and helm exports (the
             manifest says how many)
    helm     MedHELM's configurable-benchmark form: per kind a CSV (question, correct_answer), a prompt template and
             a benchmark YAML; `exact` with exact_match, `judged` with jury_score and a judge prompt whose
             <rubric_criteria> block HELM reads, the reference answer or rubric as the gold response

A suite that joins the release itself is a `privacy.public.PublicSuite` (see `suite_artifact`), written by the release
door, not here.
"""
from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from privacy.files import atomic_write_json, atomic_write_jsonl, atomic_write_text
from privacy.public import LeftOutCluster, PublicSuite, SuiteCluster, SuiteItem, SuiteManifest

if TYPE_CHECKING:
    from domains.taxonomy import Taxonomy

FORMATS = ("jsonl", "inspect", "lm-eval", "helm")
GRADINGS = ("choice", "exact", "reference", "rubric")
LM_EVAL_KINDS = {"choice": "choice", "exact": "exact", "reference": "reference"}  # rubric needs a judge


class UnsupportedFormatError(ValueError, NotImplementedError):
    """Unknown output format; catchable as either ValueError or NotImplementedError."""


def check_format(fmt: str) -> str:
    """Return fmt if writable, else raise UnsupportedFormatError listing the supported formats."""
    if fmt not in FORMATS:
        raise UnsupportedFormatError(f"unknown format {fmt!r}; supported formats: {', '.join(FORMATS)}")
    return fmt


def task_name(domain: str) -> str:
    return "clio_" + re.sub(r"[^a-z0-9_]", "_", domain.lower())


lm_eval_task_name = task_name


def rubric_text(item: SuiteItem) -> str:
    return "\n".join(f"- {c}" for c in item.rubric)


def judge_criterion(item: SuiteItem) -> str:
    """What a judge grades against: the reference answer (with the rubric) or the rubric alone."""
    if item.reference:
        return f"Reference answer:\n{item.reference}\n\nA good answer also meets these criteria:\n{rubric_text(item)}"
    return f"A good answer meets these criteria:\n{rubric_text(item)}"


def stem(item: SuiteItem) -> str:
    """The question without its lettered options (for harnesses that present the choices themselves)."""
    tail = "\n" + "\n".join(f"{chr(65 + i)}) {c}" for i, c in enumerate(item.choices))
    return item.input[: -len(tail)] if item.choices and item.input.endswith(tail) else item.input


def _metadata(item: SuiteItem) -> dict[str, Any]:
    d = item.to_dict()
    for key in ("id", "input"):
        d.pop(key)
    return d


def _write_jsonl(items: Sequence[SuiteItem], out: Path, domain: str) -> list[Path]:
    path = out / "suite.jsonl"
    atomic_write_jsonl(path, (it.to_dict() for it in items))
    return [path]


# ---- Inspect AI ------------------------------------------------------------------------------------------------

def _inspect_record(it: SuiteItem) -> dict[str, Any]:
    kind = "judged" if it.grading in ("reference", "rubric") else it.grading
    row: dict[str, Any] = {"id": it.id, "input": stem(it) if kind == "choice" else it.input}
    if kind == "choice":
        row["choices"] = list(it.choices)
        row["target"] = it.target
    elif kind == "exact":
        row["target"] = it.target
    else:
        row["target"] = judge_criterion(it)
    row["metadata"] = {**_metadata(it), "kind": kind}
    return row


INSPECT_TASKS = '''"""Inspect AI tasks for the {domain!r} suite written by clio-usage (one task per grading kind).

    inspect eval {file} --model <provider/model>                       # every task in this file
    inspect eval {file}@{name}_judged --model <m> --model-role grader=<judge>

The dataset is read from dataset.jsonl beside this file, whatever the working directory. Each sample's metadata
holds its cluster, taxonomy node, usage weight, source and provenance.
"""
from pathlib import Path

from inspect_ai import Task, task
from inspect_ai.dataset import json_dataset
from inspect_ai.scorer import choice, match, model_graded_qa
from inspect_ai.solver import generate, multiple_choice

DATASET = Path(__file__).resolve().parent / "dataset.jsonl"


def _samples(kind):
    return json_dataset(str(DATASET)).filter(lambda s: s.metadata["kind"] == kind)
{tasks}'''

INSPECT_TASK = {
    "choice": '''

@task
def {name}_choice():
    """Multiple choice items: the model picks a letter, scored against the answer key."""
    return Task(dataset=_samples("choice"), solver=multiple_choice(), scorer=choice())
''',
    "exact": '''

@task
def {name}_exact():
    """Items with a short answer (a number, a word): scored by match() against it."""
    return Task(dataset=_samples("exact"), solver=generate(), scorer=match(numeric=True))
''',
    "judged": '''

@task
def {name}_judged():
    """Open requests: a grader model scores the answer against the item's reference answer or rubric."""
    return Task(dataset=_samples("judged"), solver=generate(), scorer=model_graded_qa(partial_credit=True))
''',
}


def _write_inspect(items: Sequence[SuiteItem], out: Path, domain: str) -> list[Path]:
    data = out / "dataset.jsonl"
    rows = [_inspect_record(it) for it in items]
    atomic_write_jsonl(data, rows)
    name = task_name(domain)
    kinds = [k for k in ("choice", "exact", "judged") if any(r["metadata"]["kind"] == k for r in rows)]
    tasks = "".join(INSPECT_TASK[k].format(name=name) for k in kinds)
    code = INSPECT_TASKS.format(domain=domain, file="tasks.py", name=name, tasks=tasks)
    path = out / "tasks.py"
    atomic_write_text(path, code)
    return [data, path]


# ---- lm-evaluation-harness -------------------------------------------------------------------------------------

LM_EVAL_UTILS = '''"""Loads the suite written by clio-usage from data.jsonl beside this file (any working directory)."""
import json
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data.jsonl"


def load(kind=None, **kwargs):
    import datasets

    rows = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = [r for r in rows if kind is None or r["kind"] == kind]
    return datasets.DatasetDict({"test": datasets.Dataset.from_list(rows)})
'''


def _lm_eval_config(name: str, kind: str, domain: str) -> dict[str, Any]:
    config: dict[str, Any] = {
        "task": f"{name}_{kind}",
        "tag": [name],
        "custom_dataset": "!function utils.load",
        "test_split": "test",
        "doc_to_text": "{{input}}",
        "metadata": {"version": 2.0, "domain": domain, "source": "clio-usage suite"},
    }
    if kind == "choice":
        config.update({"output_type": "multiple_choice", "doc_to_text": "{{input}}\nAnswer:",
                       "doc_to_choice": "{{letters}}", "doc_to_target": "{{answer_index}}",
                       "metric_list": [{"metric": "acc", "aggregation": "mean", "higher_is_better": True}]})
    elif kind == "exact":
        config.update({"output_type": "generate_until", "doc_to_target": "{{target}}",
                       "generation_kwargs": {"until": ["\n\n"], "do_sample": False, "max_gen_toks": 64},
                       "filter_list": [{"name": "strip", "filter": [{"function": "remove_whitespace"},
                                                                     {"function": "take_first"}]}],
                       "metric_list": [{"metric": "exact_match", "aggregation": "mean", "higher_is_better": True,
                                        "ignore_case": True, "ignore_punctuation": True}]})
    else:
        config.update({"output_type": "generate_until", "doc_to_target": "{{target}}",
                       "generation_kwargs": {"until": [], "do_sample": False, "max_gen_toks": 1024},
                       "metric_list": [{"metric": "chrf", "aggregation": "chrf", "higher_is_better": True}]})
    return config


def _dump_lm_eval_yaml(config: dict[str, Any]) -> str:
    import yaml

    text = yaml.safe_dump(config, sort_keys=False, allow_unicode=True)
    # `!function` is a YAML tag lm-eval resolves against the files beside the YAML; safe_dump would quote it
    return text.replace("'!function utils.load'", "!function utils.load")


def _write_lm_eval(items: Sequence[SuiteItem], out: Path, domain: str) -> list[Path]:
    name = task_name(domain)
    rows = []
    for it in items:
        kind = LM_EVAL_KINDS.get(it.grading)
        if kind is None:
            continue
        row = {"id": it.id, "input": it.input, "kind": kind, **_metadata(it)}
        if kind == "choice":
            row["letters"] = [chr(65 + i) for i in range(len(it.choices))]
            row["answer_index"] = ord(it.target.strip().upper()[0]) - 65
        elif kind == "reference":
            row["target"] = it.reference
        rows.append(row)
    data = out / "data.jsonl"
    atomic_write_jsonl(data, rows)
    utils = out / "utils.py"
    atomic_write_text(utils, LM_EVAL_UTILS)
    paths = [data, utils]
    for kind in ("choice", "exact", "reference"):
        n = sum(r["kind"] == kind for r in rows)
        if not n:
            continue
        config = _lm_eval_config(name, kind, domain)
        config["dataset_kwargs"] = {"kind": kind}
        header = (f"# lm-evaluation-harness task: {n} {kind} items of the {domain!r} suite written by clio-usage.\n"
                  f"# Runs from any working directory:  lm_eval --include_path {out.name} --tasks {name} ...\n"
                  f"# ({name} is the tag of every task in this folder.)\n")
        path = out / f"{name}_{kind}.yaml"
        atomic_write_text(path, header + _dump_lm_eval_yaml(config))
        paths.append(path)
    return paths


# ---- HELM (MedHELM configurable benchmark) ---------------------------------------------------------------------

HELM_PROMPT = "{question}\n"
JUDGE_CRITERIA = {"accuracy": ["score", "explanation"], "completeness": ["score", "explanation"],
                  "clarity": ["score", "explanation"]}
HELM_JUDGE = """You are grading an AI assistant's answer to a user's request.

The request:
<request>
{QUESTION}
</request>

The answer to grade:
<response>
{RESPONSE}
</response>

Grade it against this reference material (a reference answer and/or the criteria a good answer meets):
<gold>
{GOLD_RESPONSE}
</gold>

Score each criterion from 1 (poor) to 5 (excellent):
- accuracy: is the answer correct and consistent with the reference material?
- completeness: does it meet every criterion and cover what the request needs?
- clarity: is it clear, well organised and suited to the person asking?

<rubric_criteria>
""" + json.dumps(JUDGE_CRITERIA) + """
</rubric_criteria>

Reply with one JSON object only, in this shape:
{"accuracy": {"score": 0, "explanation": "..."}, "completeness": {"score": 0, "explanation": "..."},
 "clarity": {"score": 0, "explanation": "..."}}
"""


def _csv(rows: list[dict[str, str]], columns: Sequence[str]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(columns), lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue()


def _write_helm(items: Sequence[SuiteItem], out: Path, domain: str, judges: Sequence[Mapping[str, str]] = ()
                ) -> list[Path]:
    import yaml

    name = task_name(domain)
    judges = list(judges) or [{"name": "openai/gpt-4o-2024-05-13", "model_name": "openai/gpt-4o-2024-05-13"}]
    paths = []
    prompt = out / "prompt.txt"
    atomic_write_text(prompt, HELM_PROMPT)
    paths.append(prompt)
    groups = {"exact": [it for it in items if it.grading in ("choice", "exact")],
              "judged": [it for it in items if it.grading in ("reference", "rubric")]}
    for kind, group in groups.items():
        if not group:
            continue
        rows = [{"question": it.input, "correct_answer": it.target if kind == "exact" else judge_criterion(it)}
                for it in group]
        data = out / f"{name}_{kind}.csv"
        atomic_write_text(data, _csv(rows, ("question", "correct_answer")))
        config: dict[str, Any] = {"name": f"{name}_{kind}",
                                  "description": f"clio-usage {domain} suite, {kind} items ({len(group)})",
                                  "prompt_file": str(prompt.resolve()), "dataset_file": str(data.resolve()),
                                  "max_tokens": 64 if kind == "exact" else 1024}
        if kind == "exact":
            config["metrics"] = [{"name": "exact_match"}]
        else:
            judge = out / "judge_prompt.txt"
            atomic_write_text(judge, HELM_JUDGE)
            paths.append(judge)
            config["metrics"] = [{"name": "jury_score", "prompt_file": str(judge.resolve()), "judges": judges}]
        cfg = out / f"{name}_{kind}.yaml"
        header = (f"# MedHELM configurable benchmark: {len(group)} {kind} items of the {domain!r} suite.\n"
                  f"#   helm-run --run-entries medhelm_configurable_benchmark:config_path={cfg.name},"
                  "model=<model> --suite <suite> --max-eval-instances 1000\n"
                  "# Paths below are absolute (HELM reads them as given); re-export after moving the folder.\n")
        atomic_write_text(cfg, header + yaml.safe_dump(config, sort_keys=False, allow_unicode=True))
        paths += [data, cfg]
    return paths


# ---- manifest --------------------------------------------------------------------------------------------------

def suite_domain(items: Sequence[SuiteItem], taxonomy: Taxonomy | None = None) -> str:
    """The one domain all items share (the taxonomy's name for an empty suite)."""
    domains = sorted({it.domain for it in items})
    if len(domains) > 1:
        raise ValueError(f"items mix several domains: {', '.join(domains)}")
    if taxonomy is not None and domains and domains[0] != taxonomy.name:
        raise ValueError(f"items are for domain {domains[0]!r}, taxonomy is {taxonomy.name!r}")
    return domains[0] if domains else (taxonomy.name if taxonomy else "suite")


def distinct_share(items: Sequence[SuiteItem]) -> float:
    from domains.sources import normalise

    return round(len({normalise(it.input) for it in items}) / len(items), 4) if items else 1.0


def manifest(
    items: Sequence[SuiteItem],
    fmt: str,
    files: Sequence[Path],
    taxonomy: Taxonomy | None = None,
    build: Mapping[str, Any] | None = None,
    report: Mapping[str, Any] | None = None,
) -> SuiteManifest:
    """What a suite contains: domain, taxonomy, items, per-node and per-cluster weights, what the gate left out,
    items per source and grading kind, what each source dropped, files. `report` comes from `SuiteBuild`
    (see `build_report`)."""
    from domains.taxonomy import node_label

    report = dict(report or {})
    domain = suite_domain(items, taxonomy)
    planned: Mapping[str, Any] = report.get("planned", {})
    figures: Mapping[str, Any] = report.get("clusters", {})
    clusters: dict[str, dict[str, Any]] = {}
    for cid, fig in figures.items():  # every admitted cluster, even one no source could supply
        clusters[cid] = {"id": cid, "node": fig["node"], "weight": fig["weight"], "items": 0,
                         "quizzing_share": fig["quizzing_share"], "requested": planned.get(cid, 0),
                         "domain_share": fig["domain_share"], "similarity": fig["similarity"]}
    for it in items:
        entry = clusters.setdefault(it.cluster_id, {
            "id": it.cluster_id, "node": node_label(it.category, it.subcategory, it.task),
            "weight": it.weight, "items": 0, "quizzing_share": it.quizzing_share,
            "requested": planned.get(it.cluster_id, 0), "domain_share": None, "similarity": None})
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
        source=report.get("source", "release"),
        node_weights=dict(sorted(node_weights.items(), key=lambda kv: (-kv[1], kv[0]))),
        clusters=tuple(SuiteCluster(**c) for c in sorted(clusters.values(), key=lambda c: (-c["weight"], c["id"]))),
        files=tuple(p.name for p in files),
        build=dict(build or {}),
        requested=int(report.get("requested", len(items))),
        gate=dict(report.get("gate", {})),
        left_out=tuple(report.get("left_out", ())),
        sources=dict(Counter(it.source for it in items)),
        dropped={k: dict(v) for k, v in report.get("dropped", {}).items()},
        grading=dict(Counter(it.grading for it in items)),
        distinct_input_share=distinct_share(items),
        notes=tuple(report.get("notes", ())),
    )


def build_report(build) -> dict[str, Any]:
    """The manifest's view of a `domains.suite.SuiteBuild`."""
    from domains.taxonomy import node_label

    by_id = {m.cluster_id: m for m in build.gate.admitted}
    weights = {it.cluster_id: it.weight for it in build.items}
    total = sum(m.share for m in build.gate.admitted) or 1.0
    clusters = {cid: {"node": node_label(m.category, m.subcategory, m.task),
                      "weight": weights.get(cid, m.share / total), "quizzing_share": None,
                      "domain_share": m.domain_share, "similarity": round(m.similarity, 4)}
                for cid, m in by_id.items()}
    for it in build.items:
        clusters[it.cluster_id]["quizzing_share"] = it.quizzing_share
    left: Sequence[LeftOutCluster] = build.gate.left_out
    sources = sorted({it.source for it in build.items}) or ["release"]
    return {"requested": build.requested, "gate": build.gate.thresholds, "left_out": tuple(left),
            "planned": dict(build.planned), "clusters": clusters, "dropped": build.dropped,
            "notes": build.notes(), "source": "+".join(sources)}


def suite_artifact(name: str, items: Sequence[SuiteItem], taxonomy: Taxonomy | None = None,
                   build: Mapping[str, Any] | None = None, report: Mapping[str, Any] | None = None) -> PublicSuite:
    """The suite as a release artifact (release/suites/NAME/: suite.jsonl and manifest.json), for the door."""
    return PublicSuite(name, manifest(items, "jsonl", [Path("suite.jsonl")], taxonomy, build, report), tuple(items))


def write_suite(
    items: Sequence[SuiteItem],
    out_dir: str | Path,
    fmt: str = "jsonl",
    *,
    taxonomy: Taxonomy | None = None,
    build: Mapping[str, Any] | None = None,
    report: Mapping[str, Any] | None = None,
    judges: Sequence[Mapping[str, str]] = (),
) -> list[Path]:
    """Write `items` in `fmt` plus manifest.json into out_dir; returns every path written.

    `build` (e.g. seed, n_items, embedder name) is copied into the manifest for reproducibility; `report` is
    `build_report(SuiteBuild)`. `judges` (HELM): the jury's model deployments, [{"name", "model_name"}].
    """
    check_format(fmt)
    domain = suite_domain(items, taxonomy)  # both checks run before anything touches the disk
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    writers: dict[str, Callable[[], list[Path]]] = {
        "jsonl": lambda: _write_jsonl(items, out, domain),
        "inspect": lambda: _write_inspect(items, out, domain),
        "lm-eval": lambda: _write_lm_eval(items, out, domain),
        "helm": lambda: _write_helm(items, out, domain, judges),
    }
    files = writers[fmt]()
    report = dict(report or {})
    if fmt == "lm-eval":
        left = sum(1 for it in items if it.grading not in LM_EVAL_KINDS)
        if left:
            report["notes"] = [*report.get("notes", ()), f"{left} rubric-only items need a judge: they are in the "
                               "inspect and helm exports, not in the lm-eval tasks"]
    path = out / "manifest.json"
    atomic_write_json(path, manifest(items, fmt, files, taxonomy, build, report).to_json())
    return [*files, path]

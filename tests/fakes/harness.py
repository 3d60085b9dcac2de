"""Run an exported suite in the real harnesses, offline, with a model that answers from the answer key and one that
answers wrongly; each returns the harness's own scores so a test can compare them.

Inspect AI: `mockllm/model` from Python with token usage given (its CLI mock downloads a tokenizer); as the grader of
model-graded items it also answers, and we record the grader prompts to check what criterion it was given.
lm-eval: its built-in `dummy` model (answers "lol", random log-likelihoods) and a reference model that answers from
data.jsonl. HELM: the MedHELM configurable benchmark's own loader, run spec and exact-match metric.
"""
from __future__ import annotations

import json
import os
from pathlib import Path


def _rows(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


def run_inspect(folder: Path, good: bool, log_dir: Path) -> tuple[dict[str, float], list[str]]:
    """Accuracy per task of tasks.py with a mock model answering from the target (good) or wrongly; and the grader
    prompts the model-graded task sent."""
    from inspect_ai import eval as inspect_eval
    from inspect_ai.model import ModelOutput, ModelUsage, get_model

    rows = _rows(folder / "dataset.jsonl")
    grader_prompts: list[str] = []

    def out(text: str) -> ModelOutput:
        o = ModelOutput.from_content(model="mockllm/model", content=text)
        o.usage = ModelUsage(input_tokens=10, output_tokens=5, total_tokens=15)
        return o

    def answer(messages, tools, tool_choice, config):
        prompt = messages[-1].text
        if "GRADE: C" in prompt:  # the grader of model_graded_qa
            grader_prompts.append(prompt)
            return out("GRADE: C" if good else "GRADE: I")
        row = next((r for r in rows if r["input"][:60] in prompt), None)
        if row is None:
            return out("banana")
        kind = row["metadata"]["kind"]
        if kind == "choice":
            wrong = next(chr(65 + i) for i in range(len(row["choices"])) if chr(65 + i) != row["target"])
            return out(f"ANSWER: {row['target'] if good else wrong}")
        return out(row["target"] if good and kind == "exact" else ("A full answer." if good else "banana"))

    rel = os.path.relpath(folder / "tasks.py")  # Inspect takes task files as paths relative to the working directory
    logs = inspect_eval(rel, model=get_model("mockllm/model", custom_outputs=answer), display="none",
                        log_dir=str(log_dir))
    scores = {}
    for log in logs:
        assert log.status == "success", log.error
        scores[log.eval.task] = log.results.scores[0].metrics["accuracy"].value
    return scores, grader_prompts


def run_lm_eval(folder: Path, model: str) -> dict[str, dict]:
    """Results per task of every YAML in `folder` (tag clio_<domain>), `model` "dummy" or "reference"."""
    from lm_eval import simple_evaluate
    from lm_eval.api.model import LM
    from lm_eval.tasks import TaskManager

    rows = _rows(folder / "data.jsonl")

    def row_for(context: str) -> dict:
        return next(r for r in rows if context.startswith(r["input"]))

    class Reference(LM):
        def loglikelihood(self, requests, disable_tqdm=False):
            out = []
            for r in requests:
                ctx, cont = r.arguments
                row = row_for(ctx)
                good = cont.strip() == row["letters"][row["answer_index"]]
                out.append((0.0 if good else -5.0, good))
            return out

        def generate_until(self, requests, disable_tqdm=False):
            return [row_for(r.arguments[0]).get("target") or "" for r in requests]

        def loglikelihood_rolling(self, requests, disable_tqdm=False):
            return [0.0 for _ in requests]

    tag = next(p.stem for p in folder.glob("*.yaml")).rsplit("_", 1)[0]
    tm = TaskManager(include_path=str(folder), include_defaults=False)
    res = simple_evaluate(model="dummy" if model == "dummy" else Reference(), tasks=[tag], task_manager=tm,
                          log_samples=False)
    return res["results"]


def load_helm(config: Path, out_dir: Path):
    """(run spec, instances) of a HELM configurable benchmark YAML, through HELM's own loader."""
    from helm.benchmark.run_specs.medhelm_run_specs import get_medhelm_configurable_benchmark_spec
    from helm.benchmark.scenarios.medhelm_configurable_scenario import MedHELMConfigurableScenario

    spec = get_medhelm_configurable_benchmark_spec(str(config))
    scenario = MedHELMConfigurableScenario(spec.name, str(config))
    return spec, scenario.get_instances(str(out_dir))

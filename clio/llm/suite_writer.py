"""Suite items written by an LLM from released text only: `domains.sources.ItemWriter` over the run's LLM layer.

The model sees a cluster's released, audited strings and aggregates (name, description, keywords, exemplars, share,
quizzing share, languages, turns) and the taxonomy task it maps to, never a conversation, and writes prompts a real
user of that cluster would send, in the cluster's form: asking items with a rubric, quizzing items with an answer
key. Answers go through `LLMContext.scan` (the scrubber) before they are parsed; `domains.suite` then re-scans,
drops near-duplicates and keeps an item only if it embeds nearest its own cluster. One request per cluster, through
`ask_valid` (cache, budget, re-ask with the problems stated).
"""
from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import asdict

from clio.llm import LLMRequest
from clio.llm.ask import ask_valid, estimate
from clio.llm.cache import request_key
from clio.llm.context import LLMContext
from clio.llm.parse import parse_answer
from domains.sources import ClusterBrief, Draft, short_answer

PROMPT_VERSION = "suite-items-v1"
MAX_ITEMS_PER_REQUEST = 25
SYSTEM = ("You write evaluation items for language models that mirror what real users send. You only see "
          "aggregate, privacy-reviewed descriptions of groups of conversations. Never include names of people, "
          "contact details, addresses or any other personal data. Reply with one JSON object only.")
PROMPT = """A group of real conversations with an AI assistant, described by a privacy-reviewed release:

<cluster>
{cluster}
</cluster>

This group maps to the {domain} task "{node}": {task_description}

Write {n_total} distinct prompts that a real user of this group would send, in the group's language(s) and style
(as varied in wording, detail and situation as real users are; not templates of each other):
- {n_asking} asking prompts: the user needs help they do not have. Give each a "rubric": 3-5 specific criteria a
  good answer meets (beyond these general ones: {rubric}).
- {n_quizzing} quizzing prompts: the user already knows the answer and tests the assistant (exam or trivia style).
  Give each an "answer" (the correct answer; for multiple choice put the options in "choices" and the correct
  letter in "answer") and a "rubric".
{avoid}
Reply with JSON only:
{{"items": [{{"input": "...", "form": "asking" or "quizzing", "answer": "..." or null, "choices": [...] or null,
"rubric": ["...", "..."]}}]}}"""


def _cluster_block(b: ClusterBrief) -> str:
    doc = {"name": b.name, "description": b.description, "keywords": list(b.keywords),
           "example requests (verbatim, released)": list(b.exemplars[:8]), "share of all conversations": b.share,
           "quizzing share": b.quizzing_share, "languages": b.languages, "mean turns": b.mean_turns}
    return json.dumps(doc, ensure_ascii=False, indent=1)


def prompt_for(b: ClusterBrief) -> str:
    avoid = ""
    if b.avoid:
        avoid = "Do not repeat or paraphrase these prompts, already in the suite:\n" + "\n".join(
            f"- {a[:200]}" for a in b.avoid[:20]) + "\n"
    return PROMPT.format(cluster=_cluster_block(b), domain=b.domain, node=b.node, task_description=b.task_description,
                         n_total=b.n_asking + b.n_quizzing, n_asking=b.n_asking, n_quizzing=b.n_quizzing,
                         rubric="; ".join(b.rubric), avoid=avoid)


def parse_items(text: str) -> tuple[list[dict] | None, list[str]]:
    """The items of an answer, or the problems that make it unusable (stated back to the model on a re-ask)."""
    obj = parse_answer(text)
    if not isinstance(obj, dict) or not isinstance(obj.get("items"), list):
        return None, ['reply with one JSON object {"items": [...]}']
    items, problems = [], []
    for i, it in enumerate(obj["items"]):
        if not isinstance(it, dict) or not isinstance(it.get("input"), str) or not it["input"].strip():
            problems.append(f"item {i}: needs a non-empty string 'input'")
            continue
        form = it.get("form")
        if form not in ("asking", "quizzing"):
            problems.append(f"item {i}: 'form' must be 'asking' or 'quizzing'")
            continue
        rubric = [r.strip() for r in it.get("rubric") or [] if isinstance(r, str) and r.strip()]
        answer = it.get("answer") if isinstance(it.get("answer"), str) and it["answer"].strip() else None
        choices = [str(c) for c in it.get("choices") or [] if isinstance(c, (str, int, float))]
        if form == "quizzing" and answer is None:
            problems.append(f"item {i}: a quizzing item needs its 'answer'")
            continue
        if not rubric and answer is None:
            problems.append(f"item {i}: needs a 'rubric' (a list of criteria) or an 'answer'")
            continue
        items.append({"input": it["input"].strip(), "form": form, "answer": answer, "choices": choices,
                      "rubric": rubric})
    if not items:
        return None, problems or ["no usable items"]
    return items, []


def draft_of(it: dict, provenance: str) -> Draft:
    choices = tuple(it["choices"])
    answer = it["answer"]
    letter = answer.strip().upper()[:1] if choices and answer else None
    if choices and (not letter or not "A" <= letter <= chr(64 + len(choices))):
        choices, letter = (), None  # an answer key that names no option: keep the answer as a reference
    target = letter if choices else short_answer(answer)
    text = it["input"]
    if choices and not all(f"{chr(65 + i)})" in text for i in range(len(choices))):
        text += "\n" + "\n".join(f"{chr(65 + i)}) {c}" for i, c in enumerate(choices))
    return Draft(text=text, source="llm", provenance=provenance, form=it["form"],
                 reference=None if (choices or target) else answer, target=target, choices=choices,
                 rubric=tuple(it["rubric"]), grading_source="llm")


class LLMItemWriter:
    """Writes suite items with the run's LLM (`llm`: backend, cache, budget, scan)."""

    def __init__(self, llm: LLMContext, max_attempts: int = 2, say: Callable[[str], None] = lambda s: None):
        self.llm = llm
        self.say = say
        self.name = f"llm:{llm.backend.name}:{llm.backend.model}"
        self.max_attempts = max_attempts
        self.stats: dict = {}

    def requests(self, briefs: Sequence[ClusterBrief]) -> list[tuple[int, LLMRequest]]:
        """(brief index, request) pairs: a cluster needing many items is asked in several requests."""
        out = []
        for i, b in enumerate(briefs):
            asks, quizzes, part = b.n_asking, b.n_quizzing, 0
            while asks + quizzes > 0:
                na = min(asks, MAX_ITEMS_PER_REQUEST)
                nq = min(quizzes, MAX_ITEMS_PER_REQUEST - na)
                asks, quizzes = asks - na, quizzes - nq
                piece = ClusterBrief(**{**asdict(b), "n_asking": na, "n_quizzing": nq})
                user = prompt_for(piece) + (f"\n(part {part + 1})" if part else "")
                out.append((i, LLMRequest(key=request_key(self.llm.backend.model, PROMPT_VERSION, SYSTEM, user),
                                          system=SYSTEM, user=user, max_tokens=min(8000, 200 + 180 * (na + nq)))))
                part += 1
        return out

    def estimate(self, briefs: Sequence[ClusterBrief]) -> dict:
        reqs = [r for _, r in self.requests(briefs)]
        cached = [r for r in reqs if self.llm.cache is not None and self.llm.cache.get(r.key) is not None]
        todo = [r for r in reqs if r not in cached]
        tin, tout, usd = estimate(self.llm.budget, todo)
        return {"requests": len(reqs), "cached": len(cached), "to_send": len(todo), "input_tokens": tin,
                "output_tokens_max": tout, "usd": usd}

    def write(self, briefs: Sequence[ClusterBrief]) -> list[list[Draft]]:
        """Drafts per brief; the estimate is printed and checked against the budget before anything is sent."""
        pairs = self.requests(briefs)
        est = self.estimate(briefs)
        limit = "none" if self.llm.budget.max_usd is None else f"{self.llm.budget.max_usd:.2f} USD"
        self.say(f"LLM suite items with {self.name}: {est['requests']} requests for {len(briefs)} clusters, "
                 f"{est['cached']} cached, {est['to_send']} to send; about {est['input_tokens']:,} input tokens, up "
                 f"to {est['output_tokens_max']:,} output tokens, estimated {est['usd']:.4f} USD (limit: {limit})")
        self.llm.budget.check(est["usd"])
        answers = ask_valid(self.llm.backend, [r for _, r in pairs], parse_items, cache=self.llm.cache,
                            budget=self.llm.budget, max_attempts=self.max_attempts, stats=self.stats,
                            desc="llm suite items", scan=self.llm.scan)
        out: list[list[Draft]] = [[] for _ in briefs]
        for (i, _), items in zip(pairs, answers):
            self.stats["unusable"] = self.stats.get("unusable", 0) + (items is None)
            for it in items or []:
                out[i].append(draft_of(it, f"{self.name}:{PROMPT_VERSION}:{briefs[i].cluster_id}"))
        return out

    def report(self) -> dict:
        return {"writer": self.name, "prompt_version": PROMPT_VERSION, **self.stats,
                "spend": self.llm.budget.report()}

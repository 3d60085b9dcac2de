"""LLM facet backend: Clio-style facet questions over a scrubbed conversation, answered as JSON.

Answers are validated against the facet set; an invalid answer is asked again (with the problems) up
to `max_attempts` times, then the conversation falls back to the offline extractive facets and is
counted, never dropped. Responses are cached by hash(model, prompt version, scrubbed input); the budget
refuses any step whose estimate would exceed --max-cost.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from clio.facets.extractive import ExtractiveFacetizer
from clio.facets.spec import FacetSpec
from clio.llm import LLMRequest
from clio.llm.ask import ask_valid, estimate, unique
from clio.llm.cache import request_key
from clio.llm.context import LLMContext
from clio.llm.parse import parse_answer
from privacy.private import PrivateConversation, PrivateFacets

PROMPT_VERSION = "facets-v2"  # v2: summaries and tasks in English
MAX_CONVERSATION_CHARS = 6000
OUTPUT_TOKENS = 300
SYSTEM = """You help researchers understand how people use an AI assistant, in aggregate and without learning \
anything about any individual. You will read one conversation between a user and the assistant. Personal \
details have already been replaced by placeholders such as <PERSON_1>; never guess what they stand for and \
never repeat names, places, organisations, dates or numbers that could identify someone.

Answer these questions about the conversation:
{questions}

Reply with one JSON object and nothing else, with exactly these keys: {keys}."""


def render_conversation(conv: PrivateConversation, max_chars: int = MAX_CONVERSATION_CHARS) -> str:
    lines, used = [], 0
    for t in conv.turns:
        text = t.content.strip()
        room = max_chars - used
        if room <= 0:
            lines.append("[... conversation truncated ...]")
            break
        if len(text) > room:
            text = text[:room] + " [... truncated ...]"
        used += len(text)
        lines.append(f"{t.role.capitalize()}: {text}")
    return "<conversation>\n" + "\n\n".join(lines) + "\n</conversation>"


class LLMFacetizer:
    version = ""  # what labels quizzing/asking is the LLM (`quiz_label`), not a model file of ours

    def __init__(self, llm: LLMContext, spec: FacetSpec, max_attempts: int = 3,
                 offline: ExtractiveFacetizer | None = None):
        self.llm, self.spec = llm, spec
        self.backend, self.cache, self.budget, self.scan = llm.backend, llm.cache, llm.budget, llm.scan
        self.max_attempts = max_attempts
        self.name = f"llm:{self.backend.name}:{self.backend.model}"
        self.offline = offline or ExtractiveFacetizer()  # the base every answer is merged into, and the fallback
        self.system = SYSTEM.format(
            questions="\n".join(f"- {f.name}: {f.question}" + (f" One of: {', '.join(f.values)}." if f.values else "")
                                + (f" An integer {f.range[0]}-{f.range[1]}." if f.range else "")
                                for f in spec.facets),
            keys=", ".join(f.name for f in spec.facets))
        self.stats = {"conversations": 0, "cache_hits": 0, "requests": 0, "retries": 0, "fallbacks": 0,
                      "errors": 0, "invalid": 0}

    def _request(self, conv: PrivateConversation) -> LLMRequest:
        user = render_conversation(conv)
        return LLMRequest(key=request_key(self.backend.model, PROMPT_VERSION, self.system, user), system=self.system,
                          user=user, max_tokens=OUTPUT_TOKENS)

    def estimate(self, convs: Sequence[PrivateConversation]) -> dict:
        reqs = [self._request(c) for c in convs]
        todo = unique(r for r in reqs if self.cache.get(r.key) is None)  # same text: one request
        tin, tout, usd = estimate(self.budget, todo)
        return {"conversations": len(convs), "cached": len(reqs) - len(todo), "to_send": len(todo),
                "input_tokens": tin, "output_tokens_max": tout, "usd": round(usd, 4)}

    def report(self) -> dict:
        """Counts so far (requests, cache hits, retries, offline fallbacks, ...): aggregates only."""
        return dict(self.stats)

    def facets_many(self, convs: Sequence[PrivateConversation]) -> list[PrivateFacets]:
        def parse(text: str):
            obj = parse_answer(text)
            return obj, ["the reply was not a JSON object"] if obj is None else self.spec.validate_answer(obj)

        answers = ask_valid(self.backend, [self._request(c) for c in convs], parse, cache=self.cache,
                            budget=self.budget, max_attempts=self.max_attempts, stats=self.stats,
                            desc=f"llm facets ({self.backend.name})", scan=self.scan)
        self.stats["fallbacks"] += sum(a is None for a in answers)
        self.stats["conversations"] += len(convs)
        bases = self.offline.facets_many(convs)
        return [self._merge(base, obj) for base, obj in zip(bases, answers)]

    def _merge(self, base: PrivateFacets, obj: dict | None) -> PrivateFacets:
        if obj is None:
            return replace(base, source="offline-fallback")
        builtin = {"summary", "task", "domain", "concern", "quiz_label"}
        quiz = obj["quiz_label"]
        return replace(base, summary=obj["summary"].strip(), task=obj["task"].strip(), domain=obj["domain"],
                       concern=int(obj["concern"]), quiz_label=quiz,
                       extra={k: v for k, v in obj.items() if k not in builtin}, source=self.name)

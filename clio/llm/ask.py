"""Ask an LLM until its answers are usable: the one request loop facets, cluster naming and the privacy rater share.

Cached answers are served first; identical prompts are sent once; the budget is checked before every round
and charged after it; a transport failure is asked again as it was, an invalid answer with its problems
stated. What is still unusable after `max_attempts` rounds comes back as None for the caller's fallback.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import replace

from clio.llm import LLMBackend, LLMRequest, LLMResponse
from clio.llm.cache import LLMCache
from clio.llm.cost import Budget, estimate_tokens
from clio.progress import progress

# text -> (answer, problems); an answer with no problems is usable
Parse = Callable[[str], tuple[object, list[str]]]


def estimate(budget: Budget, reqs: Sequence[LLMRequest]) -> tuple[int, int, float]:
    """Input tokens, output tokens at most, and their price in USD for sending `reqs`."""
    tin = sum(estimate_tokens(r.system + r.user) for r in reqs)
    tout = sum(r.max_tokens for r in reqs)
    return tin, tout, budget.cost(tin, tout)


def unique(reqs) -> list[LLMRequest]:
    """Requests with distinct keys, first seen first (identical prompts cost one call)."""
    return list({r.key: r for r in reqs}.values())


def with_problems(req: LLMRequest, problems: list[str]) -> LLMRequest:
    """The re-ask after an unusable answer: the same prompt with the problems stated, under its own key."""
    tail = "the JSON object only" if req.json else "the answer only"
    user = f"{req.user}\n\nYour previous answer could not be used: {'; '.join(problems)}. Reply again with {tail}."
    return replace(req, key=hashlib.sha256(f"{req.key}\x00{user}".encode()).hexdigest()[:32], user=user)


def ask_valid(backend: LLMBackend, firsts: Sequence[LLMRequest], parse: Parse, *, cache: LLMCache | None,
              budget: Budget, max_attempts: int, stats: dict, desc: str,
              encode: Callable[[object], str] = lambda o: json.dumps(o, ensure_ascii=False),
              scan: Callable[[str], str] | None = None) -> list:
    """One usable answer per request in `firsts`, or None. Each answer text goes through `scan` (the scrubber)
    first. An invalid answer is asked again with its problems stated (`with_problems`); valid answers are cached
    under the first request's key (`encode` turns an answer into the cached text). Counts go into `stats`:
    cache_hits, requests, retries, errors, invalid."""
    for k in ("cache_hits", "requests", "retries", "errors", "invalid"):
        stats.setdefault(k, 0)
    answers: dict[int, object] = {}
    for i, r in enumerate(firsts):
        hit = cache.get(r.key) if cache is not None else None
        if hit is not None:
            obj, problems = parse(hit)
            if not problems:
                answers[i] = obj
                stats["cache_hits"] += 1
    pending = {i: r for i, r in enumerate(firsts) if i not in answers}
    for attempt in range(max_attempts):
        if not pending:
            break
        reqs = unique(pending.values())
        budget.check(estimate(budget, reqs)[2])
        stats["requests"] += len(reqs)
        stats["retries"] += len(reqs) if attempt else 0
        with progress(total=len(reqs), desc=desc) as bar:
            results = backend.complete_many(reqs, progress=bar.update)
        for r in reqs:
            res = results.get(r.key)
            if isinstance(res, LLMResponse):
                budget.add(res.input_tokens, res.output_tokens, res.batch)
        nxt = {}
        for i, req in pending.items():
            res = results.get(req.key)
            if not isinstance(res, LLMResponse):
                stats["errors"] += 1
                nxt[i] = req  # transport failure after the SDK's own retries: ask again
                continue
            obj, problems = parse(scan(res.text) if scan is not None else res.text)
            if problems:
                stats["invalid"] += 1
                nxt[i] = with_problems(firsts[i], problems)
                continue
            answers[i] = obj
            if cache is not None:
                cache.put(firsts[i].key, encode(obj))
        pending = nxt
    return [answers.get(i) for i in range(len(firsts))]

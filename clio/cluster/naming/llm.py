"""LLM naming, Clio's contrastive method: a cluster is named from its most central summaries set against those of
its nearest other clusters; a parent from its children's names. Several candidates are drawn per cluster and the
one whose embedding lies nearest the cluster centroid is kept.

The LLM sees only summaries (facets of scrubbed conversations) and names made from them, never raw text. Each name
and description it writes must pass the phrase support check (`allowed_text`, PhraseSupport.free_text_ok: every
content word, and every adjacent pair of content words, written by k users) before use; one that fails gives way to
the next candidate, then to the offline c-TF-IDF string, and is counted. Keywords and exemplars always come from the
offline namer, so the release gate can recompose a name it flags. Answers are cached like the facets' (a re-run
sends nothing) and spend counts toward --max-cost.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from clio.cluster.naming.ctfidf import CtfidfNamer
from clio.cluster.naming.namer import NamingConfig
from clio.cluster.naming.tagger import PhraseTagger
from clio.embed.embedders import Embedder
from clio.llm import LLMRequest
from clio.llm.ask import ask_valid, estimate, unique
from clio.llm.cache import request_key
from clio.llm.context import LLMContext
from clio.llm.parse import parse_answer
from clio.vectors import unit_rows
from privacy.release import ClusterText

PROMPT_VERSION = "naming-v1"
OUTPUT_TOKENS = 200
MAX_NAME_WORDS = 10
MAX_DESCRIPTION_CHARS = 400
MAX_EXAMPLE_CHARS = 300
SYSTEM = """You name groups of requests that people made to an AI assistant, for an aggregate report that must not \
reveal anything about any individual. Personal details were replaced by placeholders such as <PERSON_1>; never \
guess what they stand for, and never write names, places, organisations, dates or numbers.

Reply with one JSON object and nothing else: {"name": "...", "description": "..."}
- name: an imperative sentence of at most 10 words saying what the users asked for, specific enough to tell \
this group from the contrastive ones, such as "Help debug Python web scrapers" or "Write cover letters for job \
applications".
- description: one or two sentences saying what the requests in this group have in common and what distinguishes \
them from the contrastive examples.
Use the words the requests themselves use."""
BASE_PROMPT = """Requests in this group (most typical first):
<group>
{inside}
</group>

Requests from the nearest other groups (contrastive examples; the name must not fit these):
<contrastive>
{outside}
</contrastive>

Name the group. This is candidate {sample} of {n}."""
PARENT_PROMPT = """Names of the clusters in this group:
<children>
{inside}
</children>

Names of clusters in the nearest other groups (contrastive examples; the name must not fit these):
<contrastive>
{outside}
</contrastive>

Give one name that covers every cluster in this group, not only one of them. This is candidate {sample} of {n}."""


@dataclass(frozen=True)
class Candidate:
    name: str
    description: str


def validate(obj) -> list[str]:
    """Problems with a naming answer (empty when usable)."""
    if not isinstance(obj, dict):
        return ["the reply was not a JSON object"]
    problems = []
    name, desc = obj.get("name"), obj.get("description")
    if not isinstance(name, str) or not name.strip():
        problems.append("name: must be a non-empty string")
    elif len(name.split()) > MAX_NAME_WORDS:
        problems.append(f"name: at most {MAX_NAME_WORDS} words")
    if not isinstance(desc, str) or not desc.strip():
        problems.append("description: must be a non-empty string")
    elif len(desc) > MAX_DESCRIPTION_CHARS:
        problems.append(f"description: at most {MAX_DESCRIPTION_CHARS} characters")
    return problems


def candidate_of(obj: dict) -> Candidate:
    name = " ".join(obj["name"].split()).strip(" \"'.")
    return Candidate(name=name, description=" ".join(obj["description"].split()))


def nearest_others(centroids: np.ndarray, live: Sequence[bool], k: int) -> list[list[int]]:
    """Per group, the k nearest other non-empty groups by centroid cosine (ties by index: deterministic)."""
    C = unit_rows(np.asarray(centroids, dtype=np.float64))
    S = np.round(C @ C.T, 6)
    out = []
    for i in range(len(C)):
        others = [j for j in range(len(C)) if j != i and live[j]]
        out.append(sorted(others, key=lambda j: (-S[i, j], j))[:k])
    return out


def _unique(texts: Sequence[str]) -> list[str]:
    """Distinct non-empty texts, whitespace-normalised and shortened, first occurrence first."""
    out: dict[str, None] = {}
    for t in texts:
        t = " ".join(t.split())[:MAX_EXAMPLE_CHARS]
        if t:
            out.setdefault(t)
    return list(out)


def _bullets(texts: Sequence[str]) -> str:
    return "\n".join(f"- {t}" for t in _unique(texts)) or "- (none)"


class LLMNamer:
    """`Namer` backed by an LLM; `CtfidfNamer` supplies keywords, exemplars and every fallback string."""

    def __init__(self, llm: LLMContext, embedder: Embedder, allowed_word: Callable[[str], bool],
                 allowed_text: Callable[[str], bool], config: NamingConfig | None = None,
                 say: Callable[[str], None] = lambda s: None,
                 allowed_free_text: Callable[[str], bool] | None = None, tagger: PhraseTagger | None = None):
        # keywords and exemplars (the offline namer's) need `allowed_text`; the LLM's sentences `allowed_free_text`
        self.backend, self.embedder = llm.backend, embedder
        self.allowed_text = allowed_free_text or allowed_text
        self.cache, self.budget, self.config, self.say = llm.cache, llm.budget, config or NamingConfig(), say
        self.scan = llm.scan
        self.offline = CtfidfNamer(allowed_word, allowed_text, tagger)
        self.label = f"llm:{self.backend.name}:{self.backend.model}"
        self.stats = {"clusters": 0, "llm_named": 0, "fallbacks": 0, "description_fallbacks": 0,
                      "candidates": 0, "unsupported": 0, "requests": 0, "cache_hits": 0, "retries": 0,
                      "invalid": 0, "errors": 0}

    def report(self) -> dict:
        """Aggregate counts for the manifest and release summary (no strings)."""
        return {"backend": self.backend.name, "model": self.backend.model, **self.stats,
                "spend": self.budget.report()}

    def name(self, groups, central=None, n_children=None, cover=None, centroids=None,
             child_names=None, child_sizes=None) -> list[ClusterText]:
        offline = self.offline.name(groups, central, n_children, cover)
        if centroids is None or not len(groups):  # nothing to contrast with or pick by: the offline names
            return offline
        parent = child_names is not None
        inside = [_unique(child_names[i] if parent else central[i] if central else groups[i][:30])
                  for i in range(len(groups))]
        live = [bool(groups[i]) and bool(inside[i]) for i in range(len(groups))]
        near = nearest_others(centroids, live, self.config.contrast_clusters)
        prompts = {(i, s): self._prompt(inside[i], [inside[j] for j in near[i]], s, parent)
                   for i in range(len(groups)) if live[i] for s in range(self.config.n_samples)}
        answers = dict(zip(prompts, self._complete(list(prompts.values()), "groups" if parent else "clusters")))
        cands = {i: [candidate_of(answers[(i, s)]) for s in range(self.config.n_samples) if answers.get((i, s))]
                 for i in range(len(groups)) if live[i]}
        order = self._nearest_first(cands, centroids)
        return [self._choose(offline[i], order.get(i, [])) if live[i] else offline[i] for i in range(len(groups))]

    def _prompt(self, mine: list[str], others: list[list[str]], sample: int, parent: bool) -> str:
        """Sample 0 shows the most central examples, later samples a seeded draw from the central pool (kept in
        centrality order), so candidates differ in what they see as well as in their index. Children names are
        all shown."""
        cfg = self.config
        if not parent:
            pool = mine[:2 * cfg.examples]
            if sample and len(pool) > cfg.examples:
                pick = np.random.default_rng(sample).choice(len(pool), size=cfg.examples, replace=False)
                mine = [pool[j] for j in sorted(pick)]
            else:
                mine = pool[:cfg.examples]
        outside = [t for o in others for t in o[:cfg.contrast_examples]]
        return (PARENT_PROMPT if parent else BASE_PROMPT).format(
            inside=_bullets(mine), outside=_bullets(outside), sample=sample + 1, n=cfg.n_samples)

    def _request(self, user: str) -> LLMRequest:
        return LLMRequest(key=request_key(self.backend.model, PROMPT_VERSION, SYSTEM, user), system=SYSTEM, user=user,
                          max_tokens=OUTPUT_TOKENS)

    def _complete(self, users: list[str], what: str) -> list[dict | None]:
        """Valid answers per prompt (None after `max_attempts` invalid ones), from the cache or the backend;
        the estimate is printed and checked against the budget before anything is sent."""
        first = [self._request(u) for u in users]
        todo = unique(r for r in first if self.cache.get(r.key) is None)
        tin, tout, usd = estimate(self.budget, todo)
        limit = self.budget.max_usd if self.budget.max_usd is not None else "none"
        self.say(f"LLM naming with {self.label}: {len(users)} candidates for {len(users) // self.config.n_samples}"
                 f" {what}, {len(users) - len(todo)} cached, {len(todo)} to send; about {tin:,} input tokens, up to "
                 f"{tout:,} output tokens, estimated {usd:.4f} USD (limit: {limit})")

        def parse(text: str):
            obj = parse_answer(text)
            return obj, validate(obj)

        return ask_valid(self.backend, first, parse, cache=self.cache, budget=self.budget,
                         max_attempts=self.config.max_attempts, stats=self.stats,
                         desc=f"llm naming ({self.backend.name})", scan=self.scan)

    def _nearest_first(self, cands: dict[int, list[Candidate]], centroids: np.ndarray) -> dict[int, list[Candidate]]:
        """Each group's candidates, the one whose name embeds nearest its centroid first (ties: sample order)."""
        flat = [(i, c) for i, cs in cands.items() for c in cs]
        if not flat:
            return {}
        V = np.asarray(self.embedder.encode([c.name for _, c in flat]), dtype=np.float64)
        C = unit_rows(np.asarray(centroids, dtype=np.float64))
        sims = np.round(np.einsum("nd,nd->n", V, C[[i for i, _ in flat]]), 6)
        out: dict[int, list[Candidate]] = {}
        for pos in np.lexsort((np.arange(len(flat)), -sims)):
            i, c = flat[pos]
            out.setdefault(i, []).append(c)
        return out

    def _choose(self, offline: ClusterText, ordered: list[Candidate]) -> ClusterText:
        """The first name and description (nearest first; the chosen name's own description preferred) that pass
        phrase support; otherwise the offline strings, counted as fallbacks."""
        self.stats["clusters"] += 1
        self.stats["candidates"] += len(ordered)
        names = [c for c in ordered if self.allowed_text(c.name)]
        self.stats["unsupported"] += len(ordered) - len(names)
        chosen = names[0] if names else None
        descs = ([chosen] if chosen else []) + [c for c in ordered if c is not chosen]
        desc = next((c.description for c in descs if self.allowed_text(c.description)), None)
        self.stats["llm_named"] += chosen is not None
        self.stats["fallbacks"] += chosen is None
        self.stats["description_fallbacks"] += desc is None
        free = tuple(k for k, v in (("name", chosen), ("description", desc)) if v is not None)
        return replace(offline, name=chosen.name if chosen else offline.name,
                       description=desc if desc is not None else offline.description, free_text=free)


def make_llm_namer(llm: LLMContext, config: NamingConfig, support, tagger: PhraseTagger | None, *,
                   embedder: Embedder, say: Callable[[str], None] = lambda s: None) -> LLMNamer:
    """The LLM namer for a release: names must pass `support` (the run's phrase support); `llm` is the run's, so
    naming shares the facets' cache and budget (--max-cost covers both)."""
    return LLMNamer(llm, embedder, support.word_ok, support.text_ok, config, say,
                    allowed_free_text=support.free_text_ok, tagger=tagger)

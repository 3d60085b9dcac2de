"""One LLM setting per run: the backend, the response cache and the budget the facetizer, the cluster namer and the
privacy rater share, so `--max-cost` covers all three and a re-run is answered from the cache."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from clio.llm import LLMBackend, LLMConfig
from clio.llm.cache import LLMCache
from clio.llm.cost import Budget


@dataclass(frozen=True)
class LLMContext:
    backend: LLMBackend
    cache: LLMCache | None  # None: no cache (every answer is asked for)
    budget: Budget
    config: LLMConfig | None = None  # what `backend` was made from (to make its unbatched twin)
    # every answer passes through this before it is parsed, cached or used: the scrubber, so a name the model
    # writes (or repeats from a prompt example) is never stored
    scan: Callable[[str], str] | None = None

    @classmethod
    def create(cls, config: LLMConfig, cache_path: Path | None, max_usd: float | None = None,
               scan: Callable[[str], str] | None = None) -> LLMContext:
        """The backend `config` names, a cache at `cache_path` (in the workspace's private tier), a budget that
        stops before `max_usd`, and `scan` for every answer."""
        from clio.llm.backends import make_backend

        backend = make_backend(config)
        return cls(backend, LLMCache(cache_path), Budget(model=backend.model, max_usd=max_usd, prices=config.prices),
                   config, scan)

    def unbatched(self) -> LLMContext:
        """The same cache and budget with a backend that never uses a batch API: for few, short requests (the
        privacy rater's), where a polled batch only adds latency."""
        if self.config is None:
            return self
        from clio.llm.backends import make_backend

        return replace(self, backend=make_backend(replace(self.config, batch_threshold=10**9)))

"""Facet settings: the offline extractive backend's, and the LLM backends' (model, server, spending limits)."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class FacetConfig:
    backend: str = "none"  # none (offline extractive) | anthropic | openai
    max_summary_chars: int = 220
    model: str = ""  # LLM model; default per backend
    base_url: str | None = None  # OpenAI-compatible server (vLLM, Ollama) or an Anthropic proxy
    api_key_env: str = ""
    max_cost: float | None = None  # USD; stop before spending more
    batch_threshold: int = 200  # Anthropic Message Batches API at or above this many requests
    poll_seconds: float = 10.0
    timeout: float = 60.0
    max_retries: int = 3
    max_attempts: int = 3  # asks per conversation for a valid answer before the offline fallback
    max_fallback_share: float = 0.1  # more conversations than this falling back offline: the run is not released
    quiz_form_model: bool = True  # offline: add the MiniLM form model to the quizzing/asking cues
    extra_file: str | None = None  # YAML with more facets (name, question, type, values/range)
    prices: dict = field(default_factory=dict)  # model -> [USD per 1M input, per 1M output]

    def llm_config(self, **overrides):
        """The LLM client settings these facet settings imply (one place for facets and the privacy rater)."""
        from clio.llm import LLMConfig

        return LLMConfig(**{"backend": self.backend, "model": self.model, "base_url": self.base_url,
                            "api_key_env": self.api_key_env, "timeout": self.timeout, "max_retries": self.max_retries,
                            "batch_threshold": self.batch_threshold, "poll_seconds": self.poll_seconds,
                            "prices": self.prices, **overrides})


"""LLM backends behind one small protocol: Claude via the official SDK, any OpenAI-compatible server.

Backends only ever receive scrubbed text (they are called from the facets stage, whose input is the
private tier). `complete_many` lets a backend batch (Anthropic's Message Batches API) or loop.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True)
class LLMRequest:
    key: str  # caller's id for matching results (a content hash, never text)
    system: str
    user: str
    max_tokens: int = 400
    json: bool = True  # the reply is one JSON object (OpenAI JSON mode); False for plain answers


@dataclass(frozen=True)
class LLMResponse:
    text: str
    input_tokens: int = 0
    output_tokens: int = 0
    cache_read_tokens: int = 0
    batch: bool = False  # answered through a batch API (billed at the batch discount)


class LLMSetupError(ValueError):
    """The LLM backend cannot be used as configured (unknown backend, missing key, bad facet file)."""


class LLMError(RuntimeError):
    """A request that failed after the client's own retries."""


class LLMKeyRejected(LLMSetupError):
    """The server refused the API key (HTTP 401/403): asking again cannot help, so nothing more is sent."""


class LLMUnreliable(RuntimeError):
    """More facets fell back to the offline backend than `facets.max_fallback_share` allows: the run is not released."""


def quiet_sdk_logs() -> None:
    """The SDKs log request bodies and headers at debug level (and httpx every URL at info): keep them at warnings,
    so no prompt, answer or key reaches any log whatever the root logger's level."""
    import logging

    for name in ("anthropic", "openai", "httpx", "httpx2", "httpcore", "httpcore2"):
        logger = logging.getLogger(name)
        logger.setLevel(max(logger.getEffectiveLevel(), logging.WARNING))


def key_rejected(backend: str, env: str, status: int) -> LLMKeyRejected:
    return LLMKeyRejected(f"the {backend} API rejected the key in ${env} (HTTP {status}); nothing more was sent. "
                          "Check the key (and --base-url)")


class LLMBackend(Protocol):
    name: str
    model: str

    def complete_many(self, requests: Sequence[LLMRequest], progress=None) -> dict[str, LLMResponse | LLMError]: ...


@dataclass(frozen=True)
class LLMConfig:
    backend: str = "none"  # none | anthropic | openai
    model: str = ""  # default per backend
    base_url: str | None = None
    api_key_env: str = ""  # default per backend: ANTHROPIC_API_KEY / OPENAI_API_KEY
    timeout: float = 60.0
    max_retries: int = 3  # the SDK's own retries on 429/5xx/timeouts
    batch_threshold: int = 200  # Anthropic: use the Message Batches API at or above this many requests
    poll_seconds: float = 10.0
    prices: dict = field(default_factory=dict)  # model -> [USD per 1M input tokens, USD per 1M output tokens]


DEFAULT_MODELS = {"anthropic": "claude-haiku-4-5", "openai": "gpt-4o-mini"}

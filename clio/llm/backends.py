"""The backend a configuration names: Claude through the Anthropic SDK, or any OpenAI-compatible server."""
from __future__ import annotations

from clio.llm import LLMBackend, LLMConfig, LLMSetupError


def make_backend(config: LLMConfig) -> LLMBackend:
    if config.backend == "anthropic":
        from clio.llm.anthropic_backend import AnthropicBackend

        return AnthropicBackend(config)
    if config.backend == "openai":
        from clio.llm.openai_backend import OpenAICompatibleBackend

        return OpenAICompatibleBackend(config)
    raise LLMSetupError(f"unknown LLM backend {config.backend!r}; use none, anthropic or openai")

"""Claude through the official `anthropic` SDK: prompt caching on the shared system prompt, and the
Message Batches API (polled, with progress) when a run has at least `batch_threshold` requests."""
from __future__ import annotations

import os
import time
from collections.abc import Sequence

from clio.llm import DEFAULT_MODELS, LLMConfig, LLMError, LLMRequest, LLMResponse, LLMSetupError, key_rejected, \
    quiet_sdk_logs


class AnthropicBackend:
    name = "anthropic"

    def __init__(self, config: LLMConfig):
        self.config = config
        self.model = config.model or DEFAULT_MODELS["anthropic"]
        self._client = None

    @property
    def client(self):
        if self._client is None:
            import anthropic

            quiet_sdk_logs()
            env = self.config.api_key_env or "ANTHROPIC_API_KEY"
            key = os.environ.get(env)
            if not key:
                raise LLMSetupError(f"--llm anthropic needs an API key in ${env}")
            self._client = anthropic.Anthropic(api_key=key, base_url=self.config.base_url,
                                               timeout=self.config.timeout, max_retries=self.config.max_retries)
        return self._client

    def _params(self, r: LLMRequest) -> dict:
        # the system prompt is identical for every conversation: mark it cacheable
        return {"model": self.model, "max_tokens": r.max_tokens,
                "system": [{"type": "text", "text": r.system, "cache_control": {"type": "ephemeral"}}],
                "messages": [{"role": "user", "content": r.user}]}

    @staticmethod
    def _response(msg, batch: bool = False) -> LLMResponse:
        text = "".join(getattr(b, "text", "") for b in msg.content)
        u = msg.usage
        return LLMResponse(text=text, input_tokens=u.input_tokens, output_tokens=u.output_tokens,
                           cache_read_tokens=getattr(u, "cache_read_input_tokens", 0) or 0, batch=batch)

    def complete_many(self, requests: Sequence[LLMRequest], progress=None) -> dict[str, LLMResponse | LLMError]:
        if len(requests) >= self.config.batch_threshold:
            return self._batch(requests, progress)
        import anthropic

        out: dict[str, LLMResponse | LLMError] = {}
        for r in requests:
            try:
                out[r.key] = self._response(self.client.messages.create(**self._params(r)))
            except (anthropic.AuthenticationError, anthropic.PermissionDeniedError) as e:
                raise key_rejected("Anthropic", self._env, e.status_code) from None
            except anthropic.APIError as e:  # after the SDK's own retries (429, 5xx, timeouts)
                out[r.key] = LLMError(type(e).__name__)
            if progress:
                progress(1)
        return out

    @property
    def _env(self) -> str:
        return self.config.api_key_env or "ANTHROPIC_API_KEY"

    def _batch(self, requests: Sequence[LLMRequest], progress=None) -> dict[str, LLMResponse | LLMError]:
        import anthropic

        batches = self.client.messages.batches
        try:
            batch = batches.create(requests=[{"custom_id": r.key, "params": self._params(r)} for r in requests])
        except (anthropic.AuthenticationError, anthropic.PermissionDeniedError) as e:
            raise key_rejected("Anthropic", self._env, e.status_code) from None
        done = 0
        while batch.processing_status != "ended":
            time.sleep(self.config.poll_seconds)
            batch = batches.retrieve(batch.id)
            c = batch.request_counts
            finished = c.succeeded + c.errored + c.canceled + c.expired
            if progress and finished > done:
                progress(finished - done)
                done = finished
        out: dict[str, LLMResponse | LLMError] = {}
        for item in batches.results(batch.id):
            res = item.result
            out[item.custom_id] = (self._response(res.message, batch=True) if res.type == "succeeded"
                                   else LLMError(f"batch result {res.type}"))
        if progress and len(requests) > done:
            progress(len(requests) - done)
        for r in requests:
            out.setdefault(r.key, LLMError("missing from batch results"))
        return out

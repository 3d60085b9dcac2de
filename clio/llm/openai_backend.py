"""Any OpenAI-compatible chat-completions server (OpenAI, vLLM, Ollama, ...) through the `openai` SDK."""
from __future__ import annotations

import os
from collections.abc import Sequence

from clio.llm import DEFAULT_MODELS, LLMConfig, LLMError, LLMRequest, LLMResponse, LLMSetupError, key_rejected, \
    quiet_sdk_logs


class OpenAICompatibleBackend:
    name = "openai"

    def __init__(self, config: LLMConfig):
        self.config = config
        self.model = config.model or DEFAULT_MODELS["openai"]
        self._client = None

    @property
    def client(self):
        if self._client is None:
            import openai

            quiet_sdk_logs()
            env = self.config.api_key_env or "OPENAI_API_KEY"
            key = os.environ.get(env)
            if not key and not self.config.base_url:
                raise LLMSetupError(f"--llm openai needs an API key in ${env} (or --base-url for a local server)")
            self._client = openai.OpenAI(api_key=key or "local", base_url=self.config.base_url,
                                         timeout=self.config.timeout, max_retries=self.config.max_retries)
        return self._client

    def complete_many(self, requests: Sequence[LLMRequest], progress=None) -> dict[str, LLMResponse | LLMError]:
        import openai

        out: dict[str, LLMResponse | LLMError] = {}
        for r in requests:
            try:
                # JSON mode only when asked: OpenAI rejects it unless the messages mention JSON
                fmt = {"response_format": {"type": "json_object"}} if r.json else {}
                resp = self.client.chat.completions.create(
                    model=self.model, max_tokens=r.max_tokens, temperature=0, **fmt,
                    messages=[{"role": "system", "content": r.system}, {"role": "user", "content": r.user}])
                u = resp.usage
                out[r.key] = LLMResponse(text=resp.choices[0].message.content or "",
                                         input_tokens=getattr(u, "prompt_tokens", 0) or 0,
                                         output_tokens=getattr(u, "completion_tokens", 0) or 0)
            except (openai.AuthenticationError, openai.PermissionDeniedError) as e:
                raise key_rejected("OpenAI-compatible", self.config.api_key_env or "OPENAI_API_KEY",
                                   e.status_code) from None
            except openai.OpenAIError as e:
                out[r.key] = LLMError(type(e).__name__)
            if progress:
                progress(1)
        return out

"""Token estimates, a price table per model, and a budget that stops before it is exceeded."""
from __future__ import annotations

from dataclasses import dataclass, field

# USD per million tokens (input, output); override or extend with `facets.llm.prices` in the run config.
PRICES: dict[str, tuple[float, float]] = {
    "claude-haiku-4-5": (1.0, 5.0),
    "claude-sonnet-4-5": (3.0, 15.0),
    "claude-opus-4-1": (15.0, 75.0),
    "gpt-4o-mini": (0.15, 0.6),
    "gpt-4o": (2.5, 10.0),
}
BATCH_DISCOUNT = 0.5  # the Message Batches API bills half price


class BudgetExceeded(RuntimeError):
    pass


def estimate_tokens(text: str) -> int:
    """About four characters per token for English; deliberately a little high."""
    return max(1, len(text) // 3)


@dataclass
class Budget:
    model: str
    max_usd: float | None = None
    prices: dict = field(default_factory=dict)
    spent_usd: float = 0.0
    input_tokens: int = 0
    output_tokens: int = 0

    def price(self) -> tuple[float, float]:
        p = {**PRICES, **{k: tuple(v) for k, v in self.prices.items()}}.get(self.model)
        if p is None:
            # unknown (e.g. a local vLLM model): free unless the user gives a price
            return (0.0, 0.0)
        return p

    def cost(self, input_tokens: int, output_tokens: int, batch: bool = False) -> float:
        pin, pout = self.price()
        usd = (input_tokens * pin + output_tokens * pout) / 1e6
        return usd * (BATCH_DISCOUNT if batch else 1.0)

    def check(self, est_usd: float) -> None:
        """Refuse work whose estimate would take spending past the limit."""
        if self.max_usd is not None and self.spent_usd + est_usd > self.max_usd:
            raise BudgetExceeded(f"--max-cost {self.max_usd:.2f} USD would be exceeded: spent "
                                 f"{self.spent_usd:.4f}, next step estimated at {est_usd:.4f} USD")

    def add(self, input_tokens: int, output_tokens: int, batch: bool = False) -> None:
        self.input_tokens += input_tokens
        self.output_tokens += output_tokens
        self.spent_usd += self.cost(input_tokens, output_tokens, batch)

    def report(self) -> dict:
        return {"model": self.model, "input_tokens": self.input_tokens, "output_tokens": self.output_tokens,
                "spent_usd": round(self.spent_usd, 6), "max_usd": self.max_usd}

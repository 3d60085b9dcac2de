"""The facet set as validated data: what each facet asks and which answers are valid."""
from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, ValidationError, model_validator

from clio.llm import LLMSetupError

BUILTIN = Path(__file__).with_name("facet_spec.yaml")


class Facet(BaseModel):
    model_config = {"extra": "forbid", "frozen": True}

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    type: Literal["text", "enum", "int"]
    question: str = Field(min_length=5)
    values: tuple[str, ...] | None = None
    range: tuple[int, int] | None = None

    @model_validator(mode="after")
    def _shape(self):
        if self.type == "enum" and not self.values:
            raise ValueError(f"enum facet {self.name!r} needs values")
        if self.type == "int" and not self.range:
            raise ValueError(f"int facet {self.name!r} needs a range [lo, hi]")
        return self

    def check(self, value) -> str | None:
        """Why `value` is not a valid answer, or None."""
        if self.type == "text":
            return None if isinstance(value, str) and value.strip() and len(value) <= 400 else "needs a short text"
        if self.type == "enum":
            return None if value in self.values else f"must be one of {', '.join(self.values)}"
        ok = isinstance(value, int) and not isinstance(value, bool) and self.range[0] <= value <= self.range[1]
        return None if ok else f"must be an integer from {self.range[0]} to {self.range[1]}"


class FacetSpec(BaseModel):
    model_config = {"extra": "forbid", "frozen": True}

    facets: tuple[Facet, ...]

    @model_validator(mode="after")
    def _unique(self):
        names = [f.name for f in self.facets]
        dup = {n for n in names if names.count(n) > 1}
        if dup:
            raise ValueError(f"duplicate facet names: {', '.join(sorted(dup))}")
        return self

    def validate_answer(self, answer: dict) -> list[str]:
        """Problems with an LLM's answer (empty list = valid)."""
        if not isinstance(answer, dict):
            return ["the answer must be a JSON object"]
        problems = [f"missing {f.name}" for f in self.facets if f.name not in answer]
        problems += [f"{f.name}: {why}" for f in self.facets if f.name in answer
                     for why in [f.check(answer[f.name])] if why]
        return problems


def load_spec(extra_file: Path | None = None) -> FacetSpec:
    import yaml

    def read(path: Path) -> list[dict]:
        try:
            data = yaml.safe_load(Path(path).read_text()) or {}
            return list(data.get("facets", []))
        except (OSError, yaml.YAMLError) as e:
            raise LLMSetupError(f"{path}: cannot read facet file: {e}") from e

    items = read(BUILTIN) + (read(extra_file) if extra_file else [])
    try:
        return FacetSpec(facets=items)
    except ValidationError as e:
        raise LLMSetupError(f"invalid facet set ({extra_file or BUILTIN}): {e}") from e

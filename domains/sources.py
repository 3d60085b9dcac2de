"""Where suite items come from, each with its grading material: released exemplars, a public pool, an LLM.

    exemplar  a released exemplar of the cluster, verbatim (already audited); graded by the task's rubric
    pool      an item of a public file the user names (`clio suite --pool`): chat logs, benchmark files; the pool items
              nearest each released cluster, each used once, with the pool's reference answer where it has one
    llm       prompts a model writes from the cluster's released text and the task node only (`ItemWriter`), with
              an answer key or a rubric of its own

Candidates are `Draft`s; `domains.suite` turns the chosen ones into `privacy.public.SuiteItem`s.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

SHORT_ANSWER_WORDS = 6  # an answer this short is graded by exact match; a longer one is a reference for a judge


@dataclass(frozen=True)
class PoolItem:
    """One public item a suite may use: its text, and what the file says a correct answer is (if anything).
    `choices` with `target` (a letter) for multiple choice; `target` alone for a short answer; `reference` for a
    longer reference answer. `provenance` names file and row."""

    text: str
    provenance: str
    reference: str | None = None
    target: str | None = None
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Draft:
    """A candidate item before it is placed: its text, where it came from, its form and grading material."""

    text: str
    source: str  # release | pool | llm
    provenance: str
    form: str = "asking"
    reference: str | None = None
    target: str | None = None
    choices: tuple[str, ...] = ()
    rubric: tuple[str, ...] = ()
    grading_source: str = "taxonomy"

    def grading(self) -> str:
        """How the item is scored: choice, exact, reference or rubric (the strongest material it has)."""
        if self.choices and self.target:
            return "choice"
        if self.target:
            return "exact"
        if self.reference:
            return "reference"
        return "rubric"


@dataclass(frozen=True)
class ClusterBrief:
    """What an LLM item writer may see of a cluster: released, audited text and aggregates only, and the task node."""

    cluster_id: str
    name: str
    description: str
    keywords: tuple[str, ...]
    exemplars: tuple[str, ...]
    share: float
    quizzing_share: float | None
    languages: dict[str, float]
    mean_turns: float
    domain: str
    node: str  # "category / subcategory / task"
    task_description: str
    rubric: tuple[str, ...]
    n_asking: int
    n_quizzing: int
    avoid: tuple[str, ...] = field(default=())  # inputs already in the suite for this cluster


class ItemWriter(Protocol):
    """Writes candidate items for clusters (an LLM through `clio.llm`); returns one list of drafts per brief."""

    name: str

    def write(self, briefs: Sequence[ClusterBrief]) -> list[list[Draft]]: ...

    def report(self) -> dict: ...


def draft_from_pool(item: PoolItem, rubric: tuple[str, ...]) -> Draft:
    """A pool item as a candidate: multiple choice and short answers are quizzing; the rest read as asking unless
    the caller's form classifier says otherwise."""
    quiz = bool(item.choices and item.target) or bool(item.target)
    return Draft(text=item.text, source="pool", provenance=item.provenance, form="quizzing" if quiz else "asking",
                 reference=item.reference, target=item.target, choices=item.choices, rubric=rubric,
                 grading_source="pool" if (item.reference or item.target) else "taxonomy")


def short_answer(answer: str | None) -> str | None:
    """The answer itself when it is short enough to match exactly (a number, a word, a letter), else None."""
    if not answer:
        return None
    a = answer.strip()
    return a if a and len(a.split()) <= SHORT_ANSWER_WORDS and "\n" not in a else None


_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """What makes two inputs the same input: case and whitespace do not count."""
    return _SPACE.sub(" ", text).strip().casefold()

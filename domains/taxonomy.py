"""Domain taxonomy: category -> subcategory -> task, loaded from YAML and validated by pydantic.

Taxonomies are data, not code (see STYLE.md): a new domain is one YAML file, and a mistake in it
fails at load time with the file and the field named, not later inside suite building.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

_SLUG = re.compile(r"^[a-z][a-z0-9_-]*$")


class TaxonomyError(ValueError):
    """A taxonomy file is missing, is not YAML, or does not validate; the message names file and field."""


def _clean_name(value: str, what: str) -> str:
    value = value.strip() if isinstance(value, str) else value
    if not value:
        raise ValueError(f"{what} must not be empty")
    return value


def _none_to_list(value: Any) -> Any:
    # `tasks:` with nothing after it parses as None; treat it as the empty list so the message is ours.
    return [] if value is None else value


def _check_unique(names: list[str], child: str, parent: str) -> None:
    seen: set[str] = set()
    for n in names:
        key = n.casefold()
        if key in seen:
            raise ValueError(f"duplicate {child} name {n!r} in {parent}")
        seen.add(key)


class _Node(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    description: str = ""
    # grading criteria a good answer meets, written for this project; an item's rubric is its category's, its
    # subcategory's and its task's criteria together (see `Taxonomy.rubric`)
    rubric: list[str] = []

    @field_validator("rubric", mode="before")
    @classmethod
    def _rubric_list(cls, v: Any) -> Any:
        return _none_to_list(v)

    @field_validator("rubric")
    @classmethod
    def _rubric_clean(cls, v: list[str]) -> list[str]:
        out = [c.strip() for c in v]
        if any(not c for c in out):
            raise ValueError("rubric criteria must not be empty")
        return out

    @field_validator("name")
    @classmethod
    def _name_not_empty(cls, v: str) -> str:
        return _clean_name(v, "name")

    @field_validator("description")
    @classmethod
    def _strip_description(cls, v: str) -> str:
        return v.strip()


class Task(_Node):
    """A discrete thing a user asks for, e.g. "Explain medication side effects"."""


class Subcategory(_Node):
    """A group of related tasks; must hold at least one task, with unique names."""

    tasks: list[Task]

    @field_validator("tasks", mode="before")
    @classmethod
    def _tasks_none(cls, v: Any) -> Any:
        return _none_to_list(v)

    @field_validator("tasks")
    @classmethod
    def _tasks_valid(cls, v: list[Task], info) -> list[Task]:
        parent = f"subcategory {info.data.get('name', '?')!r}"
        if not v:
            raise ValueError(f"{parent} needs at least one task")
        _check_unique([t.name for t in v], "task", parent)
        return v


class Category(_Node):
    """A broad area of activity; must hold at least one subcategory, with unique names."""

    subcategories: list[Subcategory]

    @field_validator("subcategories", mode="before")
    @classmethod
    def _subs_none(cls, v: Any) -> Any:
        return _none_to_list(v)

    @field_validator("subcategories")
    @classmethod
    def _subs_valid(cls, v: list[Subcategory], info) -> list[Subcategory]:
        parent = f"category {info.data.get('name', '?')!r}"
        if not v:
            raise ValueError(f"{parent} needs at least one subcategory")
        _check_unique([s.name for s in v], "subcategory", parent)
        return v


class Gate(BaseModel):
    """Which released clusters belong to the domain: at least `min_domain_share` of a cluster's conversations carry
    one of `facet_domains` (the domain facet), and its released text is at least `min_similarity` (cosine) from a
    task of the taxonomy. Thresholds are measured (bench/suite_eval.py), not guessed; the YAML says where."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    facet_domains: list[str]
    min_domain_share: float = 0.4
    min_similarity: float = 0.3

    @field_validator("facet_domains")
    @classmethod
    def _facets_not_empty(cls, v: list[str]) -> list[str]:
        v = [d.strip() for d in v if d.strip()]
        if not v:
            raise ValueError("facet_domains needs at least one value of the domain facet (e.g. medical)")
        return v

    @field_validator("min_domain_share")
    @classmethod
    def _share_range(cls, v: float) -> float:
        if not 0.0 <= v <= 1.0:
            raise ValueError(f"min_domain_share must be within 0..1, got {v}")
        return v

    @field_validator("min_similarity")
    @classmethod
    def _sim_range(cls, v: float) -> float:
        if not -1.0 <= v <= 1.0:
            raise ValueError(f"min_similarity is a cosine within -1..1, got {v}")
        return v


class Taxonomy(BaseModel):
    """A whole domain: `name` is the registry key (lowercase slug); `source` credits the structure; `gate` decides
    which released clusters belong to the domain."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    title: str
    source: str = ""
    gate: Gate
    categories: list[Category]

    @field_validator("name")
    @classmethod
    def _name_slug(cls, v: str) -> str:
        v = _clean_name(v, "name")
        if not _SLUG.match(v):
            raise ValueError(f"name {v!r} must be a lowercase slug like 'medical' (a-z, 0-9, '-', '_')")
        return v

    @field_validator("title")
    @classmethod
    def _title_not_empty(cls, v: str) -> str:
        return _clean_name(v, "title")

    @field_validator("categories", mode="before")
    @classmethod
    def _cats_none(cls, v: Any) -> Any:
        return _none_to_list(v)

    @field_validator("categories")
    @classmethod
    def _cats_valid(cls, v: list[Category]) -> list[Category]:
        if not v:
            raise ValueError("taxonomy needs at least one category")
        _check_unique([c.name for c in v], "category", "taxonomy")
        return v

    @field_validator("categories", mode="after")
    @classmethod
    def _every_task_graded(cls, v: list[Category]) -> list[Category]:
        for c in v:
            for s in c.subcategories:
                for t in s.tasks:
                    if not (c.rubric or s.rubric or t.rubric):
                        raise ValueError(f"task {t.name!r} has no rubric: give it, its subcategory {s.name!r} or "
                                         f"its category {c.name!r} grading criteria")
        return v

    def nodes(self) -> Iterator[tuple[Category, Subcategory, Task]]:
        """Every leaf as a (category, subcategory, task) triple, in file order."""
        for c in self.categories:
            for s in c.subcategories:
                for t in s.tasks:
                    yield c, s, t

    def rubric(self, category: str, subcategory: str, task: str) -> tuple[str, ...]:
        """The grading criteria of one task: its category's, subcategory's and own, in that order."""
        for c, s, t in self.nodes():
            if (c.name, s.name, t.name) == (category, subcategory, task):
                return tuple(dict.fromkeys([*c.rubric, *s.rubric, *t.rubric]))
        raise KeyError(f"no task {category} / {subcategory} / {task} in taxonomy {self.name!r}")


def node_label(category: str, subcategory: str, task: str) -> str:
    """Stable human-readable key for one leaf, used in manifests: 'Category / Subcategory / Task'."""
    return f"{category} / {subcategory} / {task}"


def _loc_to_str(loc: tuple, data: Any) -> str:
    """('categories', 0, 'subcategories', 1) -> "categories[0] 'Name'.subcategories[1] 'Name'"."""
    out = ""
    node = data
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
            node = node[part] if isinstance(node, list) and part < len(node) else None
            if isinstance(node, dict) and isinstance(node.get("name"), str) and node["name"].strip():
                out += f" {node['name']!r}"
        else:
            out += f".{part}" if out else str(part)
            node = node.get(part) if isinstance(node, dict) else None
    return out or "(top level)"


def parse_taxonomy(data: Any, origin: str = "<data>") -> Taxonomy:
    """Validate an already-parsed mapping; errors are TaxonomyError naming `origin` and each field."""
    if not isinstance(data, dict):
        raise TaxonomyError(f"{origin}: expected a mapping with name/title/categories, got {type(data).__name__}")
    try:
        return Taxonomy.model_validate(data)
    except ValidationError as e:
        lines = []
        for err in e.errors():
            msg = err["msg"].removeprefix("Value error, ")
            lines.append(f"  {_loc_to_str(tuple(err['loc']), data)}: {msg}")
        raise TaxonomyError(f"{origin}: invalid taxonomy\n" + "\n".join(lines)) from None


def load_taxonomy(path: str | Path) -> Taxonomy:
    """Read and validate one taxonomy YAML file."""
    import yaml

    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise TaxonomyError(f"{path}: cannot read taxonomy file ({e.strerror or e})") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as e:
        raise TaxonomyError(f"{path}: not valid YAML: {e}") from None
    return parse_taxonomy(data, origin=str(path))

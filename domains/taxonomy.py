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


class Taxonomy(BaseModel):
    """A whole domain: `name` is the registry key (lowercase slug); `source` credits the structure."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    title: str
    source: str = ""
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

    def nodes(self) -> Iterator[tuple[Category, Subcategory, Task]]:
        """Every leaf as a (category, subcategory, task) triple, in file order."""
        for c in self.categories:
            for s in c.subcategories:
                for t in s.tasks:
                    yield c, s, t


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

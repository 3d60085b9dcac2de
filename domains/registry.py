"""Explicit registry of bundled domain taxonomies; a path to a user YAML file works anywhere a name does.

Explicit rather than discovered by globbing, so adding a domain is a reviewed one-line change.
"""
from __future__ import annotations

from pathlib import Path

from domains.taxonomy import Taxonomy, TaxonomyError, load_taxonomy

_HERE = Path(__file__).resolve().parent / "taxonomies"

DOMAINS: dict[str, Path] = {
    "medical": _HERE / "medical.yaml",
    "software": _HERE / "software.yaml",
    "education": _HERE / "education.yaml",
    "business": _HERE / "business.yaml",
}


class UnknownDomainError(TaxonomyError, LookupError):
    """Neither a registered domain name nor an existing taxonomy file."""


def known_domains() -> list[str]:
    return sorted(DOMAINS)


def resolve_domain(name_or_path: str | Path) -> Path:
    """Registered name -> bundled file; otherwise an existing .yaml/.yml path; otherwise a clear error."""
    key = str(name_or_path)
    if key in DOMAINS:
        return DOMAINS[key]
    path = Path(name_or_path).expanduser()
    if path.suffix.lower() in (".yaml", ".yml") or path.exists():
        if not path.is_file():
            raise UnknownDomainError(f"taxonomy file not found: {path}")
        return path
    raise UnknownDomainError(
        f"unknown domain {key!r}; known domains: {', '.join(known_domains())} "
        "(or pass the path to a taxonomy .yaml file)"
    )


def get_taxonomy(name_or_path: str | Path) -> Taxonomy:
    """Load a registered domain by name (e.g. "medical") or a user taxonomy from a YAML path."""
    return load_taxonomy(resolve_domain(name_or_path))

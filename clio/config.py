"""The one validated pipeline configuration: a frozen dataclass per stage, loaded from YAML/JSON."""
from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from pathlib import Path

from clio.cluster.base import ClusterConfig
from clio.cluster.naming.namer import NamingConfig
from clio.embed.embedders import EmbedConfig
from clio.facets.config import FacetConfig
from clio.ingest.sources import IngestConfig
from privacy.release import ReleasePolicy
from privacy.scrub import ScrubConfig


@dataclass(frozen=True)
class PipelineConfig:
    ingest: IngestConfig = field(default_factory=IngestConfig)
    scrub: ScrubConfig = field(default_factory=ScrubConfig)
    facets: FacetConfig = field(default_factory=FacetConfig)
    embed: EmbedConfig = field(default_factory=EmbedConfig)
    cluster: ClusterConfig = field(default_factory=ClusterConfig)
    release: ReleasePolicy = field(default_factory=ReleasePolicy)
    naming: NamingConfig = field(default_factory=NamingConfig)

    def replace(self, **sections) -> PipelineConfig:
        """Copy with some fields changed: replace(release={"min_users": 5})."""
        new = {}
        for name, changes in sections.items():
            new[name] = dataclasses.replace(getattr(self, name), **changes)
        return dataclasses.replace(self, **new)


def _build(cls, data: dict, where: str):
    if not isinstance(data, dict):
        raise ValueError(f"config section {where!r} must be a mapping")
    names = {f.name: f for f in dataclasses.fields(cls)}
    unknown = sorted(set(data) - set(names))
    if unknown:
        raise ValueError(f"unknown key(s) in config section {where!r}: {', '.join(unknown)}; "
                         f"allowed: {', '.join(sorted(names))}")
    kwargs = {}
    for k, v in data.items():
        default = getattr(cls(), k) if k in names else None
        if isinstance(default, tuple) and isinstance(v, list):
            v = tuple(v)
        kwargs[k] = v
    try:
        return cls(**kwargs)
    except (TypeError, ValueError) as e:
        raise ValueError(f"invalid config section {where!r}: {e}") from e


def load_config(path: Path | None) -> PipelineConfig:
    """Load a YAML or JSON config; missing sections and keys take the defaults in code."""
    if path is None:
        return PipelineConfig()
    text = Path(path).read_text()
    if Path(path).suffix.lower() in (".yaml", ".yml"):
        import yaml

        data = yaml.safe_load(text) or {}
    else:
        data = json.loads(text)
    sections = {f.name: f.type for f in dataclasses.fields(PipelineConfig)}
    unknown = sorted(set(data) - set(sections))
    if unknown:
        raise ValueError(f"{path}: unknown config section(s): {', '.join(unknown)}; "
                         f"allowed: {', '.join(sections)}")
    defaults = PipelineConfig()
    built = {name: _build(type(getattr(defaults, name)), data[name], name) for name in data}
    return dataclasses.replace(defaults, **built)

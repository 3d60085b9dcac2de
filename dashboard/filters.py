"""What the reader asked to see: cross-page filters (quizzing/asking, domain, language, level) and the view.

Filters live in a `dcc.Store` set by the controls in the shell; whatever a client puts there is parsed by
`Filters.from_store`, which keeps only values it recognises, so a forged store can narrow what is shown
but never reach anything outside the released aggregates.

Filters select *clusters* by their released aggregates: a cluster is "mostly quizzing" when at least
half of its conversations quiz, and is "in" a domain or language when at least `MIN_MIX_SHARE` of its
conversations are. Shares shown stay shares of all released usage; filters never renormalise them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from dashboard.data import Release, num

MODES = {"all": "All", "asking": "Mostly asking", "quizzing": "Mostly quizzing"}
MIN_MIX_SHARE = 0.3
MAX_TEXT = 200  # longest filter or search value accepted from a client


@dataclass(frozen=True)
class Filters:
    """A validated filter selection; the defaults show everything."""

    mode: str = "all"
    domain: str | None = None
    language: str | None = None
    level: int | None = None

    @classmethod
    def from_store(cls, data: Any) -> Filters:
        """Parse the store's dict; anything malformed falls back to 'no filter' for that field."""
        if not isinstance(data, dict):
            return cls()
        mode = data.get("mode") if data.get("mode") in MODES else "all"
        level = data.get("level")
        level = level if isinstance(level, int) and not isinstance(level, bool) and 0 <= level < 100 else None
        return cls(mode=mode, domain=_text_or_none(data.get("domain")), language=_text_or_none(data.get("language")),
                   level=level)

    def to_store(self) -> dict[str, Any]:
        return {"mode": self.mode, "domain": self.domain, "language": self.language, "level": self.level}

    @property
    def active(self) -> bool:
        return self != Filters()

    @property
    def content_active(self) -> bool:
        """True when mode, domain or language narrows the clusters (level aside)."""
        return (self.mode, self.domain, self.language) != ("all", None, None)

    def matches(self, cluster: dict[str, Any]) -> bool:
        """Mode, domain and language test on one cluster's released aggregates (level not tested)."""
        if self.mode != "all":
            quiz = cluster.get("quizzing_share")
            if quiz is None or (num(quiz) >= 0.5) != (self.mode == "quizzing"):
                return False
        if self.domain is not None and _mix_share(cluster.get("domains"), self.domain) < MIN_MIX_SHARE:
            return False
        if self.language is not None and _mix_share(cluster.get("languages"), self.language) < MIN_MIX_SHARE:
            return False
        return True

    def at_level(self, cluster: dict[str, Any], default: int | None = None) -> bool:
        level = self.level if self.level is not None else default
        return level is None or int(num(cluster.get("level"))) == level

    def select(self, clusters: list[dict[str, Any]], default_level: int | None = None) -> list[dict[str, Any]]:
        """Clusters passing every filter; ``default_level`` applies when no level is chosen."""
        return [c for c in clusters if self.at_level(c, default_level) and self.matches(c)]

    def describe(self, with_level: bool = True) -> str:
        """Short human description, e.g. ``"mostly quizzing · domain medical"`` ('' when inactive)."""
        parts = [MODES[self.mode].lower()] if self.mode != "all" else []
        parts += [f"domain {self.domain}"] if self.domain else []
        parts += [f"language {self.language}"] if self.language else []
        parts += [f"level {self.level}"] if self.level is not None and with_level else []
        return " · ".join(parts)


@dataclass(frozen=True)
class View:
    """Everything a page layout needs besides the release: filters, theme, URL query and path argument."""

    filters: Filters = field(default_factory=Filters)
    dark: bool = False
    query: dict[str, str] = field(default_factory=dict)
    arg: str | None = None  # e.g. the cluster id in /cluster/<id>


def options(release: Release) -> dict[str, list[dict[str, Any]]]:
    """Dropdown options for the shell's controls, from what is in the release (most common first)."""
    def mix_keys(key: str) -> list[str]:
        weight: dict[str, float] = {}
        for c in release.base_clusters() or release.clusters:
            mix = c.get(key)
            for k, v in (mix.items() if isinstance(mix, dict) else ()):
                weight[str(k)] = weight.get(str(k), 0.0) + num(v) * num(c.get("conversations"), 1.0)
        return sorted(weight, key=lambda k: (-weight[k], k))

    return {
        "mode": [{"label": label, "value": value} for value, label in MODES.items()],
        "domain": [{"label": "All domains", "value": ""}] + [{"label": d, "value": d} for d in mix_keys("domains")],
        "language": [{"label": "All languages", "value": ""}]
        + [{"label": lang, "value": lang} for lang in mix_keys("languages")],
        "level": [{"label": "All levels", "value": -1}]
        + [{"label": f"{lvl} · {release.level_name(lvl)}", "value": lvl} for lvl in release.level_numbers()],
    }


def from_controls(mode: Any, domain: Any, language: Any, level: Any) -> Filters:
    """Filters from the shell's control values ('' and -1 mean 'all')."""
    return Filters.from_store({"mode": mode, "domain": domain or None, "language": language or None,
                               "level": None if level in (None, -1, "") else level})


def parse_query(search: Any) -> dict[str, str]:
    """``?q=x&c=y`` -> ``{"q": "x", "c": "y"}`` (first value each, capped length)."""
    from urllib.parse import parse_qs

    if not isinstance(search, str):
        return {}
    return {k: v[0][:MAX_TEXT] for k, v in parse_qs(search.lstrip("?")).items() if v}


def _text_or_none(value: Any) -> str | None:
    return value[:MAX_TEXT] if isinstance(value, str) and value else None


def _mix_share(mix: Any, key: str) -> float:
    return num(mix.get(key)) if isinstance(mix, dict) else 0.0

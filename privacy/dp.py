"""Optional differential privacy on released statistics: OpenDP's discrete Laplace mechanism.

Accounting (also written to the audit): each released cluster answers seven queries, each with epsilon:
distinct users (sensitivity 1); and, over each user's first `max_conversations_per_user` conversations
in the cluster (the clip), the conversation count, the quizzing count, the domain histogram and the
language histogram over fixed public category lists (L1 sensitivity = the clip), and the sums of turns
(each capped at TURN_CAP) and of concern levels (1-5) (sensitivity = clip x cap). Shares and means are
post-processing of these noisy numbers. A cluster costs 7 x epsilon, and a user present in m clusters the
gate evaluates (released or not: the noisy counts decide what is published) costs at most 7 x m x epsilon
by basic composition. Thresholds are applied to the noisy counts, so suppression decisions are noisy too.
Not covered: the exact thresholds, which still hold as a floor (see the gate), the clusters' map positions
(from exact centroids), their names and exemplars (k-user support and re-scans instead), and global totals.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

QUERIES_PER_CLUSTER = 7


@lru_cache(maxsize=16)  # one mechanism per noise scale, not one per query
def _laplace(scale: float):
    import opendp.prelude as dp

    dp.enable_features("contrib")
    return dp.m.make_laplace(dp.atom_domain(T=int), dp.absolute_distance(T=int), scale=scale)


TURN_CAP = 10  # turns per conversation counted at most this: bounds a user's effect on the turn sum (the noise)


@dataclass(frozen=True)
class Categories:
    """The public lists the domain and language histograms are taken over: fixed before the data is looked at
    (the facet set's domains, every language code the detector can return), handed to the gate as data."""

    domains: tuple[str, ...]
    languages: tuple[str, ...]


@dataclass(frozen=True)
class NoisyCounter:
    epsilon: float
    max_conversations_per_user: int = 5

    def __post_init__(self):
        if self.epsilon <= 0:
            raise ValueError("--dp-epsilon must be positive")
        if self.max_conversations_per_user < 1:
            raise ValueError("max conversations per user must be at least 1")

    def _laplace(self, sensitivity: int):
        return _laplace(sensitivity / self.epsilon)

    def users(self, true_count: int) -> int:
        return max(0, int(self._laplace(1)(int(true_count))))

    def keep(self, user_keys: Sequence[str]) -> list[int]:
        """Indices of the conversations counted: each user's first `max_conversations_per_user`."""
        seen: Counter = Counter()
        out = []
        for i, u in enumerate(user_keys):
            if seen[u] < self.max_conversations_per_user:
                seen[u] += 1
                out.append(i)
        return out

    def count(self, clipped_count: int) -> int:
        """A count over clipped conversations (one user moves it by at most the clip)."""
        return max(0, int(self._laplace(self.max_conversations_per_user)(int(clipped_count))))

    def histogram(self, values: Sequence[str], categories: Sequence[str]) -> dict[str, int]:
        """Noisy counts of clipped conversations per category, over a fixed public list (values outside it
        count as "other"); one user moves the whole histogram by at most the clip in L1, so it costs epsilon."""
        cats = list(dict.fromkeys([*categories, "other"]))
        true = Counter(v if v in cats else "other" for v in values)
        mech = self._laplace(self.max_conversations_per_user)
        return {c: max(0, int(mech(int(true[c])))) for c in cats}

    def floor(self, bins: int, false_bins: float = 0.05) -> float:
        """The noisy count below which a histogram bin is not reported: an empty bin's noise exceeds it with
        probability `false_bins` / `bins`, so all-noise bins rarely appear (post-processing, no extra cost)."""
        import math

        scale = self.max_conversations_per_user / self.epsilon
        return scale * math.log(bins / (2 * false_bins))

    def total(self, values: Sequence[int], cap: int) -> int:
        """Noisy sum of clipped conversations' values, each clamped to [0, cap]."""
        clamped = sum(min(max(int(v), 0), cap) for v in values)
        return max(0, int(self._laplace(self.max_conversations_per_user * cap)(clamped)))

    def describe(self) -> dict:
        return {"mechanism": "discrete Laplace (OpenDP make_laplace)", "epsilon_per_count": self.epsilon,
                "max_conversations_per_user": self.max_conversations_per_user,
                "counts_per_cluster": QUERIES_PER_CLUSTER,
                "queries": ["users", "conversations", "quizzing conversations", "domain histogram",
                            "language histogram", f"sum of turns (each capped at {TURN_CAP})", "sum of concern"],
                "epsilon_per_cluster": round(QUERIES_PER_CLUSTER * self.epsilon, 6)}

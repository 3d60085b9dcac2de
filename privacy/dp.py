"""Optional differential privacy on released counts: OpenDP's discrete Laplace mechanism.

Accounting (also written to the audit): each released cluster publishes two noisy counts, distinct users
(sensitivity 1) and conversations with each user's contribution clipped to `max_conversations_per_user`
(sensitivity = that clip); each count gets epsilon, so a cluster costs 2 x epsilon and a user present in
m released clusters costs at most 2 x m x epsilon by basic composition. Thresholds are applied to the
noisy counts, so suppression decisions are noisy too.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass


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
        import opendp.prelude as dp

        dp.enable_features("contrib")
        return dp.m.make_laplace(dp.atom_domain(T=int), dp.absolute_distance(T=int),
                                 scale=sensitivity / self.epsilon)

    def users(self, true_count: int) -> int:
        return max(0, int(self._laplace(1)(int(true_count))))

    def conversations(self, user_keys: list[str]) -> int:
        """Clip each user's conversations, then add noise calibrated to the clip."""
        clip = self.max_conversations_per_user
        clipped = sum(min(clip, c) for c in Counter(user_keys).values())
        return max(0, int(self._laplace(clip)(clipped)))

    def describe(self) -> dict:
        return {"mechanism": "discrete Laplace (OpenDP make_laplace)", "epsilon_per_count": self.epsilon,
                "max_conversations_per_user": self.max_conversations_per_user,
                "counts_per_cluster": 2}

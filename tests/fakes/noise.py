"""Seeded differential-privacy noise for tests: OpenDP draws from the operating system and cannot be seeded, so tests
whose assertions depend on the draws replace its discrete Laplace with this one (same distribution, seeded)."""
from __future__ import annotations

import math

import numpy as np


def seeded_laplace(seed: int = 0):
    """A stand-in for `privacy.dp._laplace`: scale -> a mechanism adding discrete Laplace noise, from one generator."""
    rng = np.random.default_rng(seed)

    def laplace(scale: float):
        p = 1 - math.exp(-1 / scale)  # the difference of two geometric draws is discrete Laplace
        return lambda x: int(x) + int(rng.geometric(p)) - int(rng.geometric(p))

    return laplace

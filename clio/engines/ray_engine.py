"""`clio run --engine ray`: ingest+scrub, facets and embedding as Ray Data `map_batches` over actor pools.

Each actor builds its models once (Presidio + spaCy, the facetizer, MiniLM) and runs the same stage function the
local engine runs, on batches cut the way the local engine cuts them, so the release is the same (a test compares
them):

- scrub: a task is a shard (`privacy.shard.shard_of`: all of a user's conversations in one shard, in input order,
  so the cross-conversation name memory sees what it sees locally). The actor reads the inputs itself and keeps its
  shard's records: raw text never enters Ray's object store (which can spill to disk), only scrubbed rows come
  back. So on a multi-node cluster the input files must be readable at the same path on every node.
- facets: `facet_batch` over the local engine's chunks of 5,000 conversations.
- embed: `embed_batch` over the local embedder's own chunks (its `batch_size * 8` texts), several per task.

`RAY_ADDRESS` (or `address`) joins an existing cluster; otherwise a local Ray starts with `num_cpus` CPUs (default:
2, or fewer when the machine has fewer) and stops at the end of the run. Clustering, naming and the release gate
run on the driver (one node).
"""
from __future__ import annotations

import dataclasses
import json
import os
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import numpy as np

OFFLINE_ENV = ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "CLIO_PROGRESS")
SHARDS_PER_ACTOR = 2  # a little slack so one slow shard does not leave the other actors idle at the end
EMBED_CHUNKS_PER_TASK = 4


class _ScrubShard:
    """Actor: a Scrubber built once; per task, the records of one shard scrubbed by `scrub_conversations`."""

    def __init__(self, inputs: list[str], config, secret: bytes, n_shards: int, ingest=None):
        from privacy.scrub import Scrubber

        self.inputs, self.secret, self.n_shards = [Path(p) for p in inputs], secret, n_shards
        self.ingest = ingest
        self.scrubber = Scrubber(dataclasses.replace(config, n_process=1))  # one CPU per actor

    def __call__(self, batch: dict) -> dict:
        out: dict[str, list] = {k: [] for k in ("shard", "seqs", "rows", "turns", "removed", "sources", "read",
                                                "quarantine")}
        for shard in batch["shard"]:
            for k, v in self._one(int(shard)).items():
                out[k].append(v)
        return out

    def _one(self, shard: int) -> dict:
        from clio.ingest.readers import read_records
        from privacy.private import QuarantineEntry
        from privacy.scrub import ScrubStats, UserNames, rescrub_late, scrub_conversations
        from privacy.shard import shard_of

        seqs: list[int] = []
        quarantine: list[str] = []
        read = 0

        def mine():
            nonlocal read
            seq = 0
            for rec in (read_records(self.inputs, self.ingest) if self.ingest is not None
                        else read_records(self.inputs)):
                read += 1
                if isinstance(rec, QuarantineEntry):
                    quarantine.append(json.dumps(rec.__dict__))
                    continue
                if shard_of(rec, self.secret, seq, self.n_shards) == shard:
                    seqs.append(seq)
                    yield rec
                seq += 1

        stats, memory = ScrubStats(), UserNames()
        convs = list(scrub_conversations(mine(), self.scrubber, self.secret, stats, memory))
        if memory.late():
            convs = list(rescrub_late(convs, memory, stats.removed))
        memory.forget()
        return {"shard": shard, "seqs": json.dumps(seqs),
                "rows": "\n".join(json.dumps(c.to_row(), ensure_ascii=False) for c in convs),
                "turns": stats.turns, "removed": json.dumps(dict(stats.removed)),
                "sources": json.dumps(dict(stats.by_source)),  # conversations per input file, for ingest.json
                "read": read if shard == 0 else 0,  # every shard reads everything; shard 0 reports it
                "quarantine": "\n".join(quarantine) if shard == 0 else ""}


class _Facets:
    """Actor: the run's facetizer built once; per task, `facet_batch` over one chunk of scrubbed conversations."""

    def __init__(self, config):
        from clio.components import Components

        self.facetizer = Components().complete(config).facetizer

    def __call__(self, batch: dict) -> dict:
        from clio.facets.stage import facet_batch
        from privacy.private import PrivateConversation

        rows = []
        for text in batch["rows"]:
            convs = [PrivateConversation.from_row(json.loads(line)) for line in text.split("\n") if line]
            rows.append("\n".join(json.dumps(f.to_row(), ensure_ascii=False) for f in facet_batch(convs,
                                                                                                self.facetizer)))
        return {"chunk": batch["chunk"], "rows": rows}


class _Embed:
    """Actor: the embedder built once; per task, `embed_batch` over the local embedder's chunks."""

    def __init__(self, config):
        from clio.embed.embedders import make_embedder

        self.embedder = make_embedder(config)

    def __call__(self, batch: dict) -> dict:
        from clio.embed.stage import embed_batch

        out, shapes = [], []
        for text in batch["texts"]:
            chunk = json.loads(text)
            X = np.concatenate([embed_batch(chunk[i : i + self.step], self.embedder)
                                for i in range(0, len(chunk), self.step)]) if chunk else np.zeros((0, 1), np.float32)
            out.append(X.astype(np.float32).tobytes())
            shapes.append(json.dumps(list(X.shape)))
        return {"task": batch["task"], "vectors": out, "shape": shapes}

    @property
    def step(self) -> int:
        return getattr(self.embedder, "batch_size", 64) * 8


class RayEmbedder:
    """An embedder whose `encode` runs on the Ray actors in the wrapped embedder's own chunks (same vectors)."""

    def __init__(self, engine: RayEngine, embedder, config):
        self.engine, self.inner, self.config = engine, embedder, config
        self.name = embedder.name
        self.batch_size = getattr(embedder, "batch_size", 64)

    @property
    def first_dim(self) -> int | None:
        """The wrapped embedder's first part's width when it joins two (`CombinedEmbedder`), else None: the embed
        stage drops the second part for non-English rows on either engine."""
        return getattr(self.inner, "first_dim", None)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return self.inner.encode(texts)
        per_task = self.batch_size * 8 * EMBED_CHUNKS_PER_TASK
        items = [{"task": i, "texts": json.dumps(texts[s : s + per_task], ensure_ascii=False)}
                 for i, s in enumerate(range(0, len(texts), per_task))]
        done = self.engine.map(items, _Embed, {"config": self.config}, "task")
        return np.vstack([np.frombuffer(r["vectors"], np.float32).reshape(json.loads(r["shape"])) for r in done])


class RayEngine:
    """Stage functions on Ray Data actor pools (see the module docstring)."""

    name = "ray"

    def __init__(self, num_cpus: int | None = None, actors: int | None = None, address: str | None = None):
        self.num_cpus, self.actors, self.address = num_cpus, actors, address
        self._started = False

    # -- cluster ----------------------------------------------------------------------------------------------
    def start(self) -> None:
        import ray

        if not ray.is_initialized():
            env = {k: os.environ[k] for k in OFFLINE_ENV if k in os.environ}
            address = self.address or os.environ.get("RAY_ADDRESS")
            if address:
                ray.init(address=address, runtime_env={"env_vars": env}, log_to_driver=False)
            else:  # workers import this checkout of clio, whatever the interpreter's site-packages point at
                root = str(Path(__file__).resolve().parents[2])
                env["PYTHONPATH"] = os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH")) if p)
                ray.init(num_cpus=self.num_cpus or min(2, os.cpu_count() or 1), include_dashboard=False,
                         runtime_env={"env_vars": env}, log_to_driver=False,
                         object_store_memory=512 * 2**20)
            self._started = True
        from ray.data import DataContext

        ctx = DataContext.get_current()
        ctx.enable_progress_bars = False
        ctx.execution_options.preserve_order = True

    def close(self) -> None:
        if self._started:
            import ray

            ray.shutdown()
            self._started = False

    def pool_size(self) -> int:
        import ray

        self.start()
        return max(1, self.actors or int(ray.cluster_resources().get("CPU", 1)))

    def map(self, items: list[dict], actor, kwargs: dict, order: str) -> list[dict]:
        """`map_batches` of `actor` (built with `kwargs` once per worker) over `items`, one item per call; the
        output rows sorted by the `order` column."""
        import ray
        from ray.data import ActorPoolStrategy

        self.start()
        size = min(self.pool_size(), len(items))
        ds = ray.data.from_items(items, override_num_blocks=len(items))
        out = ds.map_batches(actor, fn_constructor_kwargs=kwargs, batch_size=1, num_cpus=1,
                             compute=ActorPoolStrategy(size=size), batch_format="numpy")
        return sorted(out.take_all(), key=lambda r: int(r[order]))

    # -- stages -------------------------------------------------------------------------------------------------
    def scrub(self, inputs: Sequence[Path], config, secret: bytes, ingest=None) -> tuple[list[str], dict]:
        """Scrubbed rows (JSON lines, in input order) and counts: read, quarantine (JSON lines), turns, removed,
        by_source (conversations per input file name)."""
        n_shards = self.pool_size() * SHARDS_PER_ACTOR
        done = self.map([{"shard": i} for i in range(n_shards)], _ScrubShard,
                        {"inputs": [str(Path(p).resolve()) for p in inputs], "config": config, "secret": secret,
                         "n_shards": n_shards, "ingest": ingest}, "shard")
        ordered: list[tuple[int, str]] = []
        removed: Counter = Counter()
        by_source: Counter = Counter()
        counts = {"read": 0, "turns": 0, "quarantine": []}
        for r in done:
            lines = [x for x in str(r["rows"]).split("\n") if x]
            ordered += zip(json.loads(str(r["seqs"])), lines)
            removed.update(json.loads(str(r["removed"])))
            by_source.update(json.loads(str(r["sources"])))
            counts["read"] += int(r["read"])
            counts["turns"] += int(r["turns"])
            counts["quarantine"] += [x for x in str(r["quarantine"]).split("\n") if x]
        counts["removed"], counts["by_source"] = removed, by_source
        return [row for _, row in sorted(ordered)], counts

    def facets(self, convs: Iterable, config, chunk: int = 5000) -> Iterator:
        """`facet_batch` over the local engine's chunks of `chunk` conversations, in order."""
        from privacy.private import PrivateFacets

        items, buf = [], []
        for conv in convs:
            buf.append(json.dumps(conv.to_row(), ensure_ascii=False))
            if len(buf) >= chunk:
                items.append({"chunk": len(items), "rows": "\n".join(buf)})
                buf = []
        if buf:
            items.append({"chunk": len(items), "rows": "\n".join(buf)})
        if not items:
            return
        for r in self.map(items, _Facets, {"config": config}, "chunk"):
            for line in str(r["rows"]).split("\n"):
                if line:
                    yield PrivateFacets.from_row(json.loads(line))

    def embedder(self, embedder, config) -> RayEmbedder:
        return RayEmbedder(self, embedder, config)

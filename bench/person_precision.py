"""Share of PERSON replacements on real chats that are people's names, against blind labels; one JSON line.

usage:
  python bench/person_precision.py dump OUT.jsonl            spans the scrubber replaces as PERSON on the real
                                                            WildChat + OASST conversations in ../shared (with
                                                            context: PRIVATE, write it outside the repository)
  python bench/person_precision.py sample A.jsonl [B.jsonl ...] --n 200 --out S.jsonl
                                                            the same seeded sample of the test split of each
                                                            dump, merged and shuffled, for a labeller who does
                                                            not know which scrubber found which span
  python bench/person_precision.py score A.jsonl [--labels bench/person_labels.json] [--n 200]
                                                            precision of a dump's sample against the labels

Labels (`bench/person_labels.json`) map a span key (sha1 of conversation id, turn, offsets and value; no
text) to "person" (a real or fictional person's name, or part of one), "not_person", "mixed" (a name plus
other words; scored as not a person) or "unclear". They
were written by reviewers who saw each span in context and the definition, never the scrubber's rules or
which version found the span. Conversations are split in two by a hash of their id: `dev` (read while
designing the rules) and `test` (only ever sampled for labelling and scored).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import sys
from pathlib import Path

sys.path.insert(0, os.environ.get("CLIO_SRC", str(Path(__file__).resolve().parents[1])))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "conversations"
FILES = ("wildchat/wildchat_589.jsonl", "oasst/en_100_threads_rank0.jsonl", "oasst/oasst_en_prompts_900.jsonl")
LABELS = Path(__file__).resolve().parent / "person_labels.json"


def split_of(conv_id: str) -> str:
    return "dev" if int(hashlib.sha1(conv_id.encode()).hexdigest(), 16) % 2 == 0 else "test"


def span_key(conv_id: str, turn: int, start: int, end: int, value: str) -> str:
    return hashlib.sha1(f"{conv_id}|{turn}|{start}|{end}|{value}".encode()).hexdigest()[:16]


def _records():
    from clio.ingest.readers import read_records

    for rec in read_records([DATA / f for f in FILES]):
        if hasattr(rec, "source") and not hasattr(rec, "reason"):
            yield rec


def _turns(rec):
    """The raw turns of public evaluation data (outside privacy/ only this bench and tests may unseal them)."""
    try:
        from privacy.raw import unsealed_turns
    except ImportError:  # older code: turns were a plain field
        return rec.turns
    return unsealed_turns(rec)


def _analyzed(scrubber):
    """(conversation, normalised texts, results per text), with the scrubber's own grouping when it has one."""
    import privacy.scrub as scrub

    groups = ((rec, [t.content for t in _turns(rec)]) for rec in _records())
    if hasattr(scrub, "analyze_groups"):
        yield from scrub.analyze_groups(groups, scrubber)
        return
    for rec, texts in groups:  # older scrubbers: each text on its own
        norm = [scrub.normalise(t) for t in texts]
        yield rec, norm, list(scrubber.analyze_stream(norm))


def dump(out: Path) -> dict:
    import time

    from privacy.scrub import ScrubConfig, Scrubber

    scrubber = Scrubber(ScrubConfig())
    n = convs = turns = 0
    t0 = time.perf_counter()
    with out.open("w", encoding="utf-8") as f:
        for rec, texts, results in _analyzed(scrubber):
            convs += 1
            for i, (text, res) in enumerate(zip(texts, results)):
                turns += 1
                for r in res:
                    if r.entity_type != "PERSON":
                        continue
                    value = text[r.start : r.end]
                    f.write(json.dumps({
                        "key": span_key(rec.id, i, r.start, r.end, value), "split": split_of(rec.id),
                        "conv": rec.id, "turn": i, "role": _turns(rec)[i].role, "value": value,
                        "left": text[max(0, r.start - 200) : r.start], "right": text[r.end : r.end + 200],
                        "rule": (r.recognition_metadata or {}).get("rule")
                        or (r.recognition_metadata or {}).get("recognizer_name"),
                    }, ensure_ascii=False) + "\n")
                    n += 1
    return {"spans": n, "conversations": convs, "turns": turns, "per_conversation": round(n / max(1, convs), 2),
            "seconds": round(time.perf_counter() - t0, 1)}


def _load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]


def sampled(rows: list[dict], n: int, seed: int, split: str = "test") -> list[dict]:
    """The `n` spans of `split` whose seeded hash of their key is smallest: a span's place in the order depends on
    its key alone, so two versions of the scrubber are sampled alike where they replace the same spans."""
    pool = [r for r in rows if r["split"] == split]
    return sorted(pool, key=lambda r: hashlib.sha1(f"{seed}|{r['key']}".encode()).hexdigest())[:n]


def wilson(k: int, n: int, z: float = 1.96) -> list[float] | None:
    """95% Wilson score interval of a proportion k/n."""
    if not n:
        return None
    p, d = k / n, 1 + z * z / n
    mid, half = (p + z * z / (2 * n)) / d, z * ((p * (1 - p) / n + z * z / (4 * n * n)) ** 0.5) / d
    return [round(mid - half, 3), round(mid + half, 3)]


def score(rows: list[dict], labels: dict[str, str], n: int, seeds: list[int], split: str = "test") -> dict:
    """Precision over the union of the seeded samples (a span drawn by two seeds counts once)."""
    sample = list({r["key"]: r for seed in seeds for r in sampled(rows, n, seed, split)}.values())
    got = [labels.get(r["key"]) for r in sample]
    person, unclear = got.count("person"), got.count("unclear")
    other = got.count("not_person") + got.count("mixed")  # a name with other words is not a clean replacement
    decided = person + other
    return {"split": split, "sample": len(sample), "labelled": person + other + unclear,
            "unlabelled": got.count(None), "person": person, "not_person": other, "mixed": got.count("mixed"),
            "unclear": unclear,
            "precision": round(person / decided, 3) if decided else None, "interval_95": wilson(person, decided),
            "seeds": seeds,
            "precision_unclear_as_wrong": round(person / (decided + unclear), 3) if decided + unclear else None,
            "spans_total": len(rows), "spans_in_split": sum(r["split"] == split for r in rows)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("dump")
    d.add_argument("out", type=Path)
    s = sub.add_parser("sample")
    s.add_argument("dumps", type=Path, nargs="+")
    s.add_argument("--out", type=Path, required=True)
    c = sub.add_parser("score")
    c.add_argument("dumps", type=Path, nargs="+")
    c.add_argument("--labels", type=Path, default=LABELS)
    for p in (s, c):
        p.add_argument("--n", type=int, default=200)
        p.add_argument("--seed", type=int, default=0)
        p.add_argument("--split", default="test", choices=("dev", "test"))
    c.add_argument("--seeds", default=None, help="comma-separated seeds: score the union of their samples "
                                                 "(default: --seed alone)")
    args = ap.parse_args()
    if not DATA.exists():
        print(json.dumps({"skipped": f"real conversations not found: {DATA} (needs ../shared/data)"}))
        return
    if args.cmd == "dump":
        print(json.dumps(dump(args.out)))
    elif args.cmd == "sample":
        merged: dict[str, dict] = {}
        for path in args.dumps:
            for r in sampled(_load(path), args.n, args.seed, args.split):
                merged[r["key"]] = {k: r[k] for k in ("key", "role", "left", "value", "right")}
        items = list(merged.values())
        random.Random(args.seed + 1).shuffle(items)
        with args.out.open("w", encoding="utf-8") as f:
            for it in items:
                f.write(json.dumps(it, ensure_ascii=False) + "\n")
        print(json.dumps({"items": len(items), "out": str(args.out)}))
    else:
        labels = json.loads(args.labels.read_text()) if args.labels.exists() else {}
        labels = labels.get("labels", labels)
        seeds = [int(x) for x in args.seeds.split(",")] if args.seeds else [args.seed]
        print(json.dumps({p.name: score(_load(p), labels, args.n, seeds, args.split) for p in args.dumps}))


if __name__ == "__main__":
    main()

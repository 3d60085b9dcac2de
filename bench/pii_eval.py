"""PII scrubbing quality on presidio-research's labelled synthetic sentences; prints one JSON line.

usage: python bench/pii_eval.py [--data PATH] [--limit N] [--n-process 2] [--forms N] [--forms-seed S] [--forms-only]
                               [--real-chats]
Default data: the held-out `synth_dataset_v2.jsonl` (tune on `generated_large`/`generated_small` instead).
Figures:
- span: per type, a gold span is found if any predicted span overlaps it (recall, by gold type); a
  predicted span is right if it overlaps any gold span (precision, by predicted type); F2 (beta 2).
  `overall` recall is over the personal types below, precision over all predicted spans.
- token: the outside check's figure (whitespace tokens aligned with difflib after scrubbing; recall over
  tokens of personal types, precision = removed tokens inside any labelled span).
- structured: span recall on structured identifiers, plus generated API keys/tokens (`keys`).
Bar (issue): F2 >= 0.90 (token and span) and structured recall >= 0.98. Prints {"skipped": ...} and exits 0
when the data is absent.
"""
from __future__ import annotations

import argparse
import difflib
import json
import os
import random
import re
import string
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
DEFAULT = DATA / "pii" / "presidio_research" / "synth_dataset_v2.jsonl"
TYPE_MAP = {"ADDRESS": "STREET_ADDRESS", "GPE": "LOCATION"}
PERSONAL = {"PERSON", "STREET_ADDRESS", "PHONE_NUMBER", "EMAIL_ADDRESS", "CREDIT_CARD", "IBAN_CODE",
            "US_SSN", "IP_ADDRESS", "US_DRIVER_LICENSE", "ZIP_CODE"}
STRUCTURED = ("EMAIL_ADDRESS", "PHONE_NUMBER", "CREDIT_CARD", "IBAN_CODE", "IP_ADDRESS", "US_SSN")
KEY_SENTENCES = ("my key is {}", "export OPENAI_API_KEY={}", "token: {} (please rotate)",
                 'headers = {{"Authorization": "{}"}}')


def f2(p: float, r: float) -> float:
    return 5 * p * r / (4 * p + r) if p + r else 0.0


def load(path: Path, limit: int | None) -> list[tuple[str, list[tuple[int, int, str]]]]:
    out = []
    for line in path.open(encoding="utf-8"):
        if line.strip():
            row = json.loads(line)
            spans = [(s["start_position"], s["end_position"], TYPE_MAP.get(s["entity_type"], s["entity_type"]))
                     for s in row["spans"]]
            out.append((row["full_text"], spans))
    return out[:limit] if limit else out


def key_probes(n: int = 40, seed: int = 0) -> list[tuple[str, list[tuple[int, int, str]]]]:
    """Sentences with generated (fake) keys in the formats the product must catch, with their spans."""
    rnd = random.Random(seed)
    alnum = string.ascii_letters + string.digits

    def s(k: int, chars: str = alnum) -> str:
        return "".join(rnd.choice(chars) for _ in range(k))

    upper = string.ascii_uppercase + string.digits
    makers = (lambda: "sk-" + s(48), lambda: "sk-proj-" + s(40), lambda: "AKIA" + s(16, upper),
              lambda: "ghp_" + s(36), lambda: "eyJ" + s(30) + "." + s(40) + "." + s(43))
    out = []
    for i in range(n):
        key, tmpl = makers[i % len(makers)](), KEY_SENTENCES[i % len(KEY_SENTENCES)]
        text = tmpl.format(key)
        out.append((text, [(text.index(key), text.index(key) + len(key), "KEY")]))
    return out


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def span_scores(gold: list, pred: list) -> dict:
    """Per-type and overall span recall/precision/F2 from (gold spans, predicted spans) per text."""
    found, total, right, made = Counter(), Counter(), Counter(), Counter()
    for g, p in zip(gold, pred):
        for s, e, t in g:
            total[t] += 1
            found[t] += any(overlaps((s, e), (ps, pe)) for ps, pe, _ in p)
        for ps, pe, t in p:
            made[t] += 1
            right[t] += any(overlaps((s, e), (ps, pe)) for s, e, _ in g)
    per = {}
    for t in sorted(set(total) | set(made)):
        r = found[t] / total[t] if total[t] else None
        p = right[t] / made[t] if made[t] else None
        per[t] = {"n": total[t], "recall": _r(r), "predicted": made[t], "precision": _r(p),
                  "f2": _r(f2(p, r)) if r is not None and p is not None else None}
    pers = [t for t in total if t in PERSONAL]
    rec = sum(found[t] for t in pers) / max(1, sum(total[t] for t in pers))
    prec = sum(right.values()) / max(1, sum(made.values()))
    return {"per_type": per, "overall": {"recall": _r(rec), "precision": _r(prec), "f2": _r(f2(prec, rec))}}


def token_scores(texts: list[str], gold: list, scrubbed: list[str]) -> dict:
    """The outside check's token-level recall/precision/F2 (difflib over whitespace tokens)."""
    hit = n_pers = removed = removed_in = 0
    per_hit, per_n = Counter(), Counter()
    for text, g, out in zip(texts, gold, scrubbed):
        orig = [(m.group(), m.start(), m.end()) for m in re.finditer(r"\S+", text)]
        after = re.findall(r"\S+", out)
        sm = difflib.SequenceMatcher(a=[t for t, _, _ in orig], b=after, autojunk=False)
        kept = {i for a, _, size in sm.get_matching_blocks() for i in range(a, a + size)}
        for j, (_, s, e) in enumerate(orig):
            types = {t for gs, ge, t in g if gs < e and s < ge}
            gone = j not in kept
            if types & PERSONAL:
                n_pers += 1
                hit += gone
                for t in types & PERSONAL:
                    per_n[t] += 1
                    per_hit[t] += gone
            removed += gone
            removed_in += gone and bool(types)
    rec, prec = hit / max(1, n_pers), removed_in / max(1, removed)
    return {"recall": _r(rec), "precision": _r(prec), "f2": _r(f2(prec, rec)), "personal_tokens": n_pers,
            "removed_tokens": removed, "recall_per_type": {t: _r(per_hit[t] / per_n[t]) for t in sorted(per_n)}}


def name_token_leaks(value: str, scrubbed: str) -> list[str]:
    """The words of a planted name that are still in the scrubbed text (case-insensitive, whole words)."""
    words = [w for w in re.findall(r"[^\W\d_]{2,}", value) if w.lower() not in ("van", "der", "de")]
    return [w for w in words if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", scrubbed, re.I)]


def form_recall(scrubber, per_form: int = 40, seed: int = 0) -> dict:
    """Per-form recall of planted person names (`clio.synth.name_forms`): a planted name is caught when none
    of its words is left anywhere in its conversation after scrubbing; decoys (look-alikes holding no person)
    must survive verbatim."""
    from clio.synth.name_forms import FORMS, name_form_cases
    from privacy.scrub import scrub_groups

    cases = name_form_cases(per_form=per_form, seed=seed)
    groups = ((c, [m["content"] for m in c.messages]) for c in cases)
    caught, planted, kept, decoys = Counter(), Counter(), Counter(), Counter()
    misses: dict[str, list] = {}
    for case, texts in scrub_groups(groups, scrubber, Counter()):
        out = "\n".join(texts)
        for v in case.planted:
            planted[case.form] += 1
            leaks = name_token_leaks(v, out)
            caught[case.form] += not leaks
            if leaks:
                misses.setdefault(case.form, []).append(case.id)
        for d in case.decoys:
            decoys[case.form] += 1
            kept[case.form] += d in out
    per = {f: _r(caught[f] / planted[f]) for f in FORMS if planted[f]}
    return {"cases": len(cases), "planted": sum(planted.values()),
            "recall": _r(sum(caught.values()) / max(1, sum(planted.values()))), "per_form": per,
            "min_form": min(per.values()) if per else None,
            "decoys_kept": _r(sum(kept.values()) / max(1, sum(decoys.values()))),
            "decoys_replaced": {f: decoys[f] - kept[f] for f in decoys if decoys[f] > kept[f]},
            "missed_ids": {f: ids[:5] for f, ids in misses.items()}}


def _r(x: float | None) -> float | None:
    return None if x is None else round(x, 3)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT)
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--n-process", type=int, default=2)
    ap.add_argument("--forms", type=int, default=40, metavar="N",
                    help="planted-name cases per form (clio.synth.name_forms); 0 skips the per-form table")
    ap.add_argument("--forms-seed", type=int, default=1,
                    help="generator seed for the per-form table (seed 0 is the one the rules were designed on)")
    ap.add_argument("--forms-only", action="store_true", help="only the per-form recall table (no ../shared needed)")
    ap.add_argument("--nlp-mode", choices=("prose", "full"), default="prose",
                    help="the scrubber's spaCy use (privacy/nlp.py): full = the whole pipeline on every text")
    ap.add_argument("--real-chats", action="store_true",
                    help="also scrub the real WildChat+OASST chats and score PERSON replacements against the blind "
                         "labels (bench/person_labels.json, two 200-span samples of the test split); a few minutes")
    args = ap.parse_args()
    if args.forms_only:
        from privacy.scrub import ScrubConfig, Scrubber

        scrubber = Scrubber(ScrubConfig(n_process=args.n_process, nlp_mode=args.nlp_mode))
        print(json.dumps({"forms": form_recall(scrubber, args.forms, args.forms_seed)}))
        return
    if not args.data.exists():
        print(json.dumps({"skipped": f"dataset not found: {args.data} (needs ../shared/data)"}))
        return

    from privacy.scrub import ScrubConfig, Scrubber, normalise

    rows = load(args.data, args.limit)
    probes = key_probes()
    scrubber = Scrubber(ScrubConfig(n_process=args.n_process, nlp_mode=args.nlp_mode))
    texts = [t for t, _ in rows] + [t for t, _ in probes]
    norm = [normalise(t) for t in texts]
    t0 = time.perf_counter()
    results = list(scrubber.analyze_stream(norm))
    seconds = time.perf_counter() - t0
    scrubbed = [scrubber.anonymize(t, r, {}, Counter()) for t, r in zip(norm, results)]
    # spans are on normalised text; NFKC rarely changes length, and then offsets drift only slightly
    pred = [[(r.start, r.end, r.entity_type) for r in res] for res in results]
    n = len(rows)
    gold = [g for _, g in rows]
    span = span_scores(gold, pred[:n])
    keys = span_scores([g for _, g in probes], pred[n:])["per_type"]["KEY"]["recall"]
    structured = {t: span["per_type"][t]["recall"] for t in STRUCTURED if t in span["per_type"]}
    found = sum(span["per_type"][t]["recall"] * span["per_type"][t]["n"] for t in structured)
    count = sum(span["per_type"][t]["n"] for t in structured)
    structured_all = (found + keys * len(probes)) / (count + len(probes))
    token = token_scores(texts[:n], gold, scrubbed[:n])
    print(json.dumps({
        "data": args.data.name, "nlp_mode": args.nlp_mode, "texts": n, "token": token, "span": span,
        "structured": {"recall": _r(structured_all), "per_type": structured, "keys": keys},
        "bar": {"token_f2": token["f2"] >= 0.90, "span_f2": span["overall"]["f2"] >= 0.90,
                "structured_recall": structured_all >= 0.98},
        "analyze_texts_per_s": round(len(texts) / seconds, 1),
        "forms": form_recall(scrubber, args.forms, args.forms_seed) if args.forms else None,
        "real_chats": real_chat_precision() if args.real_chats else None,
    }))


def real_chat_precision() -> dict:
    """PERSON replacements on the real chats that are people, per labelled sample (see person_precision.py)."""
    import tempfile

    import person_precision as pp

    with tempfile.TemporaryDirectory() as d:  # the dump holds text around each span: never kept
        out = Path(d) / "spans.jsonl"
        run = pp.dump(out)
        rows = pp._load(out)
    labels = json.loads(pp.LABELS.read_text())["labels"]
    samples = {f"seed_{s}": pp.score(rows, labels, 200, [s]) for s in SEEDS}
    pooled = pp.score(rows, labels, 200, list(SEEDS))  # the union: a span two seeds drew counts once
    return {"spans_per_conversation": run["per_conversation"], "samples": samples,
            "precision_pooled": pooled["precision"], "interval_95": pooled["interval_95"],
            "pooled_spans": pooled["sample"], "unlabelled": pooled["unlabelled"]}


SEEDS = (0, 1, 2, 3)  # four seeded 200-span samples of the test split, all blind-labelled


if __name__ == "__main__":
    main()

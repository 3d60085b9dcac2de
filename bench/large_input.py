"""Peak memory and outcome of `clio run` on one huge message and one huge line; prints one JSON line.

usage: python bench/large_input.py [--message-mb 10] [--prose-mb 1] [--line-mb 100] [--records 60]
The message is `--prose-mb` of synthetic chat prose (names, emails: the expensive kind for the scrubber), then long
unbroken tokens (a pasted blob) up to `--message-mb`, with a planted email at its very end; the line is a JSON
record of `--line-mb` (over the 32 MB default cap: quarantined `too_large` unparsed). Figures: exit code, seconds,
peak RSS of the whole process tree (parent and scrub workers) in MB, what was quarantined, and whether the planted
email at the end of the huge message was scrubbed.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.fakes.procs import clio_command, run_measured  # noqa: E402

PLANTED = "zelda.quill.planted@example.org"


def write_input(folder: Path, message_mb: float, prose_mb: float, line_mb: float, records: int) -> Path:
    """A JSONL of `records` synthetic conversations, one huge message and (if `line_mb`) one huge line."""
    from clio.synth.corpus import SynthConfig, write_corpus

    corpus, _, _ = write_corpus(folder / "base.jsonl", SynthConfig(n=max(records, 20), seed=11, users=40))
    lines = corpus.read_text().splitlines()[:records]
    prose = "\n\n".join(m["content"] for line in lines for m in json.loads(line)["messages"])
    size = int(message_mb * (1 << 20))
    head = (prose * (int(prose_mb * (1 << 20)) // max(1, len(prose)) + 1))[: int(prose_mb * (1 << 20))]
    blob_len = max(0, size - len(head) - len(PLANTED) - 2)
    blob = ("qxzvbnmlkjhgfdsapoiuytrewq" * 3 + " ") * (blob_len // 79 + 1)
    text = head + " " + blob[:blob_len] + " " + PLANTED
    huge = {"id": "huge-message", "user_id": "u-huge", "messages": [{"role": "user", "content": text}]}
    path = folder / "large.jsonl"
    with open(path, "w") as f:
        for line in lines[: records // 2]:
            f.write(line + "\n")
        f.write(json.dumps(huge) + "\n")
        if line_mb:
            pad = "y" * int(line_mb * (1 << 20))
            f.write('{"id": "huge-line", "messages": [{"role": "user", "content": "' + pad + '"}]}\n')
        for line in lines[records // 2:]:
            f.write(line + "\n")
    return path


CONFIG = ("embed: {model: hash}\ncluster: {reducer: pca}\nrelease: {min_users: 2, min_conversations: 3}\n"
          "facets: {quiz_form_model: false}\n")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--message-mb", type=float, default=10)
    ap.add_argument("--prose-mb", type=float, default=1)
    ap.add_argument("--line-mb", type=float, default=100)
    ap.add_argument("--records", type=int, default=60)
    ap.add_argument("--n-process", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=1800)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp())
    path = write_input(tmp, args.message_mb, args.prose_mb, args.line_mb, args.records)
    (tmp / "c.yaml").write_text(CONFIG + f"scrub: {{n_process: {args.n_process}}}\n")
    done = run_measured([*clio_command(), "run", str(path), "--workspace", str(tmp / "ws"), "--config",
                         str(tmp / "c.yaml")], timeout=args.timeout)
    private = tmp / "ws" / "private"
    quarantine = [json.loads(x) for x in (private / "quarantine.jsonl").read_text().splitlines()] \
        if (private / "quarantine.jsonl").exists() else []
    conv = (private / "conversations.jsonl")
    scrubbed = None
    if conv.exists():
        with open(conv) as f:
            huge = next((json.loads(x) for x in f if x.startswith('{"id": "huge-message"')), None)
        scrubbed = huge is not None and PLANTED not in huge["turns"][0]["content"] and \
            huge["turns"][0]["content"].endswith(">")
    print(json.dumps({"message_mb": args.message_mb, "prose_mb": args.prose_mb, "line_mb": args.line_mb,
                      "exit": done.returncode, "seconds": done.seconds, "peak_rss_mb": done.peak_rss_mb,
                      "quarantined": [(q["line"], q["reason"]) for q in quarantine],
                      "huge_message_scrubbed_to_its_end": scrubbed, "stderr_tail": done.stderr[-300:]}))


if __name__ == "__main__":
    main()

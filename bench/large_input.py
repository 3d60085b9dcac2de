"""Peak memory and outcome of `clio run` on one huge message and one huge line; prints one JSON line.

usage: python bench/large_input.py [--message-mb 10] [--prose-mb 1] [--line-mb 100] [--records 60] [--n-process 2]
The message is `--prose-mb` of synthetic chat prose (names, emails: the expensive kind for the scrubber), then a
pasted base64 attachment up to `--message-mb`, with an email planted at each end; the line is a JSON record of
`--line-mb` (over the 32 MB default cap: quarantined `too_large`, unparsed). Figures: exit code, seconds, peak RSS of
the whole process tree (parent and scrub workers) in MB, what was quarantined, and whether the huge message was
scrubbed to its end. tests/test_reliability.py runs the same input with a memory ceiling.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.fakes.large_input import huge_message_scrubbed, write_input  # noqa: E402
from tests.fakes.procs import clio_command, run_measured  # noqa: E402

CONFIG = ("embed: {model: hash}\ncluster: {reducer: pca}\nrelease: {min_users: 2, min_conversations: 3}\n"
          "facets: {quiz_form_model: false}\n")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--message-mb", type=float, default=10)
    ap.add_argument("--prose-mb", type=float, default=1)
    ap.add_argument("--line-mb", type=float, default=100)
    ap.add_argument("--records", type=int, default=60)
    ap.add_argument("--n-process", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=3600)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp())
    path, _ = write_input(tmp, args.message_mb, args.prose_mb, args.line_mb, args.records)
    (tmp / "c.yaml").write_text(CONFIG + f"scrub: {{n_process: {args.n_process}}}\n")
    done = run_measured([*clio_command(), "run", str(path), "--workspace", str(tmp / "ws"), "--config",
                         str(tmp / "c.yaml")], timeout=args.timeout)
    private = tmp / "ws" / "private"
    quarantine = [json.loads(x) for x in (private / "quarantine.jsonl").read_text().splitlines()] \
        if (private / "quarantine.jsonl").exists() else []
    print(json.dumps({"message_mb": args.message_mb, "prose_mb": args.prose_mb, "line_mb": args.line_mb,
                      "n_process": args.n_process, "exit": done.returncode, "seconds": done.seconds,
                      "peak_rss_mb": done.peak_rss_mb, "quarantined": [(q["line"], q["reason"]) for q in quarantine],
                      "huge_message_scrubbed_to_its_end": huge_message_scrubbed(private),
                      "temp_files_left": len(list((tmp / "ws").rglob("*.tmp"))), "stderr_tail": done.stderr[-300:]}))


if __name__ == "__main__":
    main()

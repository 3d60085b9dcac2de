"""PERSON: the one recognizer that decides what is a person's name (spaCy's PERSON findings come through here).

Candidates come from spaCy's NER (prose only: not inside code, not in text that is not English), from
the rules in `name_rules` (cues, greetings, sign-offs, headers, comments, person-keyed fields, tables), from
listed given names in any casing ("sarah trujillo", "HIROSHI QUARESMA"), middle initials ("Faina D.
Yefremova"), items of lists of people, and, for short texts without casing, spaCy again on a recased copy.
Each candidate is kept only if `NameChecker` says its words and context make a person's name; then other
mentions of a kept name's words in the text are found too.
"""
from __future__ import annotations

import regex
from presidio_analyzer import LocalRecognizer

from privacy.nlp import text_windows, tokens_near
from privacy.recognizers import lexicon as lx
from privacy.recognizers import name_lists as nl
from privacy.recognizers import prose
from privacy.recognizers.common import caseless as is_caseless
from privacy.recognizers.common import result
from privacy.recognizers.language import english_at, foreign_function_words
from privacy.recognizers.name_check import NAMEISH, PARTICLES, POSSESSIVE, STOP, NameChecker, words_of
from privacy.recognizers.name_rules import Candidate, all_candidates, name_at

HONORIFIC_WORDS = frozenset(lx.HONORIFICS) | {"sergeant", "captain", "colonel", "lieutenant", "general", "major",
                                               "king", "queen", "prince", "princess", "president", "officer"}
MONTHS = frozenset(("jan", "feb", "mar", "apr", "april", "may", "jun", "june", "jul", "july", "aug", "august", "sep",
                    "sept", "oct", "nov", "dec", "january", "february", "march", "september", "october", "november",
                    "december"))
# the first word of a place's name ("Los Angeles", "San Francisco", "Port Elizabeth"), capitalised
_PLACE_PREFIX = regex.compile(r"(?<!\p{L})(?:Los|Las|San|Santa|São|Sao|Fort|Port|Puerto|Porto|Mount|Cape|Lake|Rio"
                              r"|Río)[ \t]+$")


def _place_prefix(text: str, pos: int) -> int | None:
    """Where a place's first word ("San ") starts when one stands right before `pos`."""
    m = _PLACE_PREFIX.search(text, max(0, pos - 8), pos)
    return m.start() if m else None


RECASE_MAX_CHARS = 1000  # a second NER pass costs as much as the first: short texts only
# In a text this long a name spaCy guesses for an unlisted word is also used as people are somewhere (a verb after
# it, a speaker label, "Mr.", a possessive); a brand or a place is not. Shorter texts get spaCy's word.
EVIDENCE_MIN_CHARS = 300
LIST_REACH = 150  # characters tagged either side of a list separator (a list's runs of names are shorter)
# Rules that read English prose (a place or layout rule such as a field, header or sign-off works in any language).
PROSE_RULES = frozenset(("self", "verb_object", "given", "pair", "caps", "list", "recased", "initials", "speaker",
                         "subject", "greeting_weak", "relation"))


class NameRecognizer(LocalRecognizer):
    """PERSON spans: candidates from spaCy and rules, kept when `NameChecker` agrees, plus later mentions."""

    def __init__(self):
        super().__init__(supported_entities=["PERSON", "LOCATION"], name="chat_names", supported_language="en")

    def load(self) -> None:
        self.check = NameChecker()
        word = r"\p{Lu}[\p{Ll}\p{M}'’]+(?:-\p{Lu}[\p{Ll}\p{M}'’]+)?(?![\p{L}\d_])"
        self._initials = regex.compile(rf"(?<![\p{{L}}.]){word}[ \t]+(?:\p{{Lu}}\.[ \t]?){{1,2}}[ \t]*{word}")
        self._word_rx = regex.compile(r"(?<![\p{L}\d_@#/.-])\p{L}[\p{L}\p{M}'’]{1,20}(?![\p{L}\d_@(])")
        self._any_word = regex.compile(r"(?<![\p{L}\d_@#/.-])\p{L}[\p{L}\p{M}]{2,}(?![\p{L}\d_@(/-])")
        self._caps_run = regex.compile(r"(?<![\p{L}\d_])\p{Lu}{2,}(?:[ \t]+\p{Lu}{2,}){1,3}(?![\p{L}\d_])")
        self._postnominal = regex.compile(r",?[ \t]+(?:Jr|Sr|II|III|IV|PhD|Ph\.D|MD|M\.D|DDS|DVM|Esq|MBA|CPA|RN)\b\.?",
                                          regex.I)
        self._hon_before = regex.compile(r"(?i:\b(?:mr|mrs|ms|miss|dr|prof|sir|dame|lady|lord))\.?[ \t]+$")
        self._after = regex.compile(r"(?:[ \t]+(?i:van|von|de|der|den|da|di|du|del|della|dos|das|le|la|bin|ibn|al))"
                                    r"{1,2}[ \t]+\p{Lu}[\p{Ll}\p{M}'’]+")
        self._list_sep = regex.compile(r"[ \t]*(?:,[ \t]*(?:(?:and|or|&)[ \t]+)?|[ \t]+(?:and|or|&)[ \t]+)")
        # where two capitalised words stand either side of a list separator: without one, no list (no tags needed)
        self._list_hint = regex.compile(r"\p{Lu}[^\s,]*" + self._list_sep.pattern + r"\p{Lu}")

    def analyze(self, text: str, entities: list[str], nlp_artifacts=None) -> list:
        cased = not is_caseless(text)
        code = prose.regions(text)
        cands: list[Candidate] = []
        spacy_people = [(e.start_char, _line_end(text, e.start_char, e.end_char))
                        for e in getattr(nlp_artifacts, "entities", None) or [] if e.label_ in ("PERSON", "PER")]
        for s, e in spacy_people:
            one = text[s:e].strip()
            if " " not in one and (self.check.used_as_thing(one, text) or len(text) >= EVIDENCE_MIN_CHARS
                                   and self.check.kind(one) in ("unknown", "rare_word")
                                   and not self.check.person_evidence(one, text)):
                continue  # "a Jedi", "the Greeks", "Naviance": a single word spaCy guessed, never used as people are
            if not code.inside(s) and english_at(text, s, 120):
                h = self._hon_before.search(text, max(0, s - 12), s)
                a = self._after.match(text, e)
                cands.append(Candidate(h.start() if h else s, a.end() if a else e, 0.5 if h else 0.0, "spacy"))
        cands += all_candidates(text)
        cands += self._given_names(text, cased)
        cands += self._unlisted_pairs(text, cased, code)
        if cased:
            cands += self._caps_names(text)
            cands += [Candidate(m.start(), m.end(), 0.5, "initials") for m in self._initials.finditer(text)
                      if not code.inside(m.start())]
            cands += self._lists(text, nlp_artifacts, spacy_people, code)
        elif len(text) <= RECASE_MAX_CHARS and english_at(text, 0):
            cands += self._recased(text, nlp_artifacts)
        # spaCy's places and nationalities ("Florida", "Los Angeles", "African Americans"); not its ORG, which it
        # gives to most names it does not know ("Mieszko Pellegrini")
        things = [(e.start_char, e.end_char) for e in getattr(nlp_artifacts, "entities", None) or []
                  if e.label_ in ("LOCATION", "NRP", "GPE", "LOC", "NORP", "FAC", "LANGUAGE")]
        kept: dict[tuple[int, int], float] = {}
        rules: dict[tuple[int, int], str] = {}
        places = [(c.start, c.end) for c in cands if c.rule == "place"]
        for c in cands:
            if c.rule == "place":
                continue
            s, e = self._trim(text, c.start, c.end, c.rule != "spacy")
            if e <= s:
                continue
            if len(regex.sub(r"[^\p{L}]", "", text[s:e])) < 2:
                continue  # "B: She does": one letter is not a name
            if all(w.lower().strip(".") in HONORIFIC_WORDS for w in words_of(text[s:e])):
                continue  # "the Lord God", "Sergeant": a title without a name
            if c.rule != "spacy" and self._cut_title(text, s, e, c.end):
                continue  # "also known as Church Slavic": the words that followed make it a thing's name
            if self._bracketed(text, s, e):
                continue  # "[Your Name]", "[Prestataire Informatique] Team": a template's blank, not a name
            if c.rule in ("spacy", "pair") and " " in text[s:e].strip():
                first = words_of(text[s:e])[0]
                if self.check.kind(first) != "given" and self.check.used_as_thing(first, text):
                    if c.rule == "spacy" or len(words_of(text[s:e])) < 3:
                        continue  # "the Enuma Elish": a title or a thing
                    s = s + len(text[s:e]) - len(text[s:e].split(None, 1)[1])  # "my coworker | zbigniew nakamura"
            kinds = [self.check.kind(w) for w in words_of(text[s:e])]
            partner = sum(k in NAMEISH for k in kinds) >= 2
            if c.rule == "verb_object" and cased and text[s:e].islower() and not all(
                    k in ("given", "surname") for k in kinds):
                continue  # "show promos", "added docstrings": in cased text a lower-case object must be a listed name
            if c.rule in ("verb_object", "self", "subject", "relation") and any(
                    k in ("word", "tech", "place") or k in ("surname_word", "given_word", "rare_word") and not partner
                    for k in kinds):
                continue  # "make this email shorter", "I'm Baker-ready": a prose cue takes only name words
            if c.rule in PROSE_RULES:
                if not english_at(text, s) and not (c.rule == "given" and c.evidence >= 0.5):
                    continue  # prose cues only count in English ("im Kampf vereint" is German)
                if c.evidence <= 0.75 and c.rule != "given" and any(a <= s and e <= b for a, b in things):
                    continue  # spaCy calls it a place, group, product or title ("Florida", "Los Angeles")
            shape_cased = cased and c.rule in ("spacy", "initials", "list", "speaker", "caps", "subject")
            if cased and c.rule in ("spacy", "given", "pair", "list", "mention", "verb_object") and (self._in_title(
                    text, s, e) or " " not in text[s:e].strip() and self._title_line(text, s, e)):
                continue  # “The Adventures of Gloopy and Glitter”, “Craig of the Creek”: a title, not a person
            if self.check.keep(text, s, e, shape_cased, c.evidence):
                e = self._postnominal_end(text, e)
                kept[(s, e)] = max(kept.get((s, e), 0.0), 0.85 if c.rule != "spacy" else 0.8)
                rules.setdefault((s, e), c.rule)
        grown: dict[tuple[int, int], float] = {}
        for old, new in self._extend(text, list(kept), cased):
            if new != old and any(a <= new[0] and new[1] <= b for a, b in things):
                new = old  # "Los Angeles": grown into a place spaCy knows
            grown[new] = max(grown.get(new, 0.0), kept[old])
            rules.setdefault(new, rules[old] if new == old else f"{rules[old]}+extend")
        for s, e in self._mentions(text, list(grown), cased):
            if cased and (self._in_title(text, s, e) or self._title_line(text, s, e)):
                continue
            grown.setdefault((s, e), 0.6)
            rules.setdefault((s, e), "mention")
        grown = {(s, e): sc for (s, e), sc in grown.items() if not any(a <= s and e <= b for a, b in places)}
        return [result(self, "PERSON", s, e, sc, rules.get((s, e))) for (s, e), sc in grown.items()] + [
            result(self, "LOCATION", s, e, 0.85, "place") for s, e in places]

    # -- helpers -----------------------------------------------------------------------------------
    def _extend(self, text: str, spans: list[tuple[int, int]], cased: bool) -> list[tuple[tuple, tuple]]:
        """Grow kept names over a neighbouring word written the same way that is not a common word, in English
        text: the surname after a listed given name ("Anneliese Delacroix"), the given name before a found
        surname. Returns (old span, new span) pairs."""
        out = []
        for s0, e0 in spans:
            s, e = s0, e0
            if english_at(text, s):
                name = text[s:e]
                for _ in range(2):
                    m = regex.match(r"[ \t]+(\p{L}[\p{L}\p{M}'’-]*)(?![\p{L}\d_(@./])", text[e : e + 40])
                    if not m or not self._same_case(m.group(1), name, cased) or not self._namelike(m.group(1)):
                        break
                    e += m.end()
                for _ in range(2):
                    m = regex.search(r"(?<![\p{L}\d_@#/.-])(\p{L}[\p{L}\p{M}'’-]*)[ \t]+$", text[max(0, s - 40) : s])
                    if not m or not self._same_case(m.group(1), name, cased) or not self._namelike(m.group(1)):
                        break
                    s -= len(m.group())
            out.append(((s0, e0), (s, e)))
        return out

    def _namelike(self, word: str) -> bool:
        return self.check.kind(word) in ("given", "surname", "unknown", "surname_word", "given_word", "rare_word") and \
            len(word) >= 2

    @staticmethod
    def _same_case(word: str, name: str, cased: bool) -> bool:
        if not cased:
            return True
        first = name.split()[0]
        if first.isupper() and len(first) > 1:
            return word.isupper()
        if first[:1].isupper():
            return word[:1].isupper() and not word.isupper()
        return word.islower()

    def _trim(self, text: str, s: int, e: int, words_too: bool = False) -> tuple[int, int]:
        """No leading or trailing stop words, particles or punctuation; one line only. With `words_too`, no
        trailing dictionary word either ("Mrs. Brittany Voronov Apt." -> "Mrs. Brittany Voronov")."""
        cut = text.find("\n", s, e)
        if cut >= 0:
            e = cut
        words = list(regex.finditer(r"\S+", text[s:e]))
        while words and (words[0].group().lower().strip(",.;:") in STOP):
            words.pop(0)
        while words and (words[-1].group().lower().strip(",.;:'’") in STOP | PARTICLES or words_too and len(words) > 1
                         and self.check.kind(words[-1].group().strip(",.;:'’")) in ("word", "tech", "place", "stop")
                         and nl.surname_rank(words[-1].group().strip(",.;:'’")) is None):
            words.pop()
        if not words:
            return s, s
        s2, e2 = s + words[0].start(), s + words[-1].end()
        if text[e2 - 2 : e2] in ("'s", "’s"):
            e2 -= 2  # "Gina Carano's career": the name is "Gina Carano"
        while e2 > s2 and text[e2 - 1] in ",.;:'’-\"":
            e2 -= 1
        return s2, e2

    def _cut_title(self, text: str, s: int, e: int, end: int) -> bool:
        """Trimming cut a capitalised dictionary, place or technology word off a one-word name that is not a
        listed given name ("Church | Slavic", "Battle | Royal"): the whole was a thing's name."""
        if " " in text[s:e].strip() or self.check.kind(text[s:e]) == "given":
            return False
        m = regex.match(r"[ \t]+(\p{Lu}[\p{L}\p{M}'’-]*)", text[e:end])
        return bool(m) and self.check.kind(m.group(1)) in ("word", "tech", "place")

    def _postnominal_end(self, text: str, end: int) -> int:
        """Grow a name over "Jr.", "PhD", "MD" ("Amanda Sultygov MD")."""
        m = self._postnominal.match(text, end)
        return m.end() if m else end

    def _given_names(self, text: str, cased: bool) -> list[Candidate]:
        """A listed given name and the surname after it ("Latoya Shimasaki", "sarah trujillo").

        In cased text a Title-case listed name counts alone and takes a following word written the same way;
        written in lower case inside cased English ("I met yusuf dimitrov") or in text without casing, it
        needs a name-like word after it unless it is no dictionary word ("ask sarah", not "martin" the bird).
        Outside English only a capitalised listed name counts ("Und da ist Luca").
        """
        out = []
        for m in self._word_rx.finditer(text):
            w = POSSESSIVE.sub("", m.group())
            if not nl.is_given_name(w):
                continue
            title = w[:1].isupper() and not w.isupper()
            if len(w) < 3:
                continue  # "su perro", "Al": two letters are a word more often than a name
            english = english_at(text, m.start(), 100)
            if not english and not (cased and title and len(w) >= 4 and not self._sentence_start(text, m.start())):
                continue  # "Esta situación", "Su trabajo": a lone listed word at a sentence start is not enough
            if self._date_word(text, m):
                continue  # "late Jan-mid Feb", "since June"
            place = _place_prefix(text, m.start())
            span = name_at(text, m.start(), 3)
            if place is not None:  # "San Francisco", "Port Edward": a place (still replaced, as a place)
                out.append(Candidate(place, span[1] if span else m.end(), 0.0, "place"))
                continue
            if not span:
                continue
            words = words_of(text[span[0] : span[1]])
            keep = 1
            for nxt in words[1:]:
                if self.check.kind(nxt) in ("word", "tech", "stop", "place") or (
                        cased and not self._same_case(nxt, w, cased)) or not english:
                    break
                keep += 1
            if keep < len(words):
                span = (m.start(), m.start() + len(" ".join(text[m.start():span[1]].split()[:keep])))
            if cased and title:
                if span[1] == m.end() and self.check.used_as_thing(w, text):
                    continue  # "Aurora Wave", "the Aurora": a listed word used as a thing
                out.append(Candidate(*span, 0.5, "given"))
            elif keep > 1 or (not cased and not nl.is_dictionary_word(w)):
                out.append(Candidate(*span, 0.25, "given"))
        return out

    def _title_line(self, text: str, s: int, e: int) -> bool:
        """On a line written in title case ("09:30 The Adventures of Gloopy and Glitter") that also has common
        words: a heading or a title, so a one-word mention there is not a person."""
        line_start = text.rfind("\n", 0, s) + 1
        line_end = text.find("\n", e)
        line = text[line_start : len(text) if line_end < 0 else line_end]
        small = ("of", "the", "and", "a", "an", "in", "on", "at", "to", "for", "with", "vs", "&")
        words = [w for w in regex.findall(r"\p{L}[\p{L}'’-]*", line) if w.lower() not in small]
        if len(words) < 4 or not all(w[:1].isupper() for w in words):
            return False
        return any(self.check.kind(w) == "word" for w in words)

    @staticmethod
    def _bracketed(text: str, s: int, e: int) -> bool:
        open_ = text.rfind("[", max(0, s - 60), s)
        if open_ < 0 or "]" in text[open_:s] or "\n" in text[open_:s]:
            return False
        close = text.find("]", e, e + 60)
        return close >= 0 and "\n" not in text[e:close] and "[" not in text[e:close]

    @staticmethod
    def _in_title(text: str, s: int, e: int) -> bool:
        """Inside a short quoted title whose words are all capitalised, beyond the span itself."""
        line_start = text.rfind("\n", 0, s) + 1
        line_end = text.find("\n", e)
        line = text[line_start : len(text) if line_end < 0 else line_end]
        for m in regex.finditer(r"“([^“”\n]{2,60})”|\"([^\"\n]{2,60})\"|‘([^‘’\n]{2,60})’|'([^'\n]{2,60})'", line):
            g = next(i for i in (1, 2, 3, 4) if m.group(i) is not None)
            a, b = line_start + m.start(g), line_start + m.end(g)
            if a <= s and e <= b and (a, b) != (s, e):
                small = ("of", "the", "and", "a", "an", "in", "on", "at", "to", "for", "with", "vs")
                words = [w for w in regex.findall(r"\p{L}[\p{L}'’-]*", m.group(g)) if w.lower() not in small]
                if len(words) >= 2 and all(w[:1].isupper() for w in words):
                    return True
        return False

    @staticmethod
    def _date_word(text: str, m) -> bool:
        """A given name that is also a month ("Jan", "June", "May") standing as a date: beside a number, a dash or
        another month, or after "in", "late", "since", "next", ..."""
        if m.group().lower().rstrip(".") not in MONTHS:
            return False
        after = text[m.end() : m.end() + 16]
        before = text[max(0, m.start() - 12) : m.start()].lower()
        if regex.match(r"\.?[ \t]*(?:-|–|\d|,[ \t]*\d)", after) or regex.search(
                r"(?:\d|-|–|\b(?:in|late|early|mid|since|until|till|through|next|last|every))[ \t,]*$", before):
            return True
        nxt = regex.match(r"[ \t,]*(?:(?:and|or|to)[ \t]+)?(\p{L}+)", after)
        return bool(nxt) and nxt.group(1).lower() in MONTHS

    @staticmethod
    def _sentence_start(text: str, pos: int) -> bool:
        return regex.search(r"(?:^|[.!?:;\n][\"'”’)\]*]*[ \t]*|[-*•]\s*)$", text[max(0, pos - 4) : pos]) is not None

    def _unlisted_pairs(self, text: str, cased: bool, code) -> list[Candidate]:
        """Two or three name-like words no list holds, written as a name is in this text: Title case in cased
        prose ("Yolotzin Eklund"), any one case in text without casing ("tarquin iwasaki", "KIERON OYELARAN"),
        and in lower case inside cased text when one word is a listed given name or surname ("zoltana ruiz").
        Only when no word is a dictionary, technology or stop word."""
        words = list(self._any_word.finditer(text))
        out = []
        i = 0
        while i < len(words) - 1:
            for n in (3, 2):
                run = words[i : i + n]
                if len(run) < n or any(text[a.end() : b.start()] not in (" ", "\t") for a, b in zip(run, run[1:])):
                    continue
                ws = [m.group() for m in run]
                kinds = [self.check.kind(w) for w in ws]
                if any(k not in ("unknown", "surname", "given", "rare_word") for k in kinds) or max(map(len, ws)) < 5 \
                        or min(map(len, ws)) < (4 if n == 3 else 3) \
                        or kinds.count("rare_word") == len(kinds) or kinds[-1] == "rare_word":
                    continue  # names end in a surname: "mbps download" is not one
                title = all(w[:1].isupper() and not w.isupper() for w in ws)
                lower = all(w.islower() for w in ws)
                upper = all(w.isupper() for w in ws)
                if cased and not (title or lower and {"surname", "given"} & set(kinds)):
                    continue
                if not cased and not (lower or upper):
                    continue
                s, e = run[0].start(), run[-1].end()
                place = _place_prefix(text, s)
                if place is not None:  # "the Los Angeles Lakers", "San Jose" when no list holds them
                    out.append(Candidate(place, e, 0.0, "place"))
                    i += n - 1
                    break
                if not code.inside(s) and english_at(text, s, 120):
                    out.append(Candidate(s, e, -0.25, "pair"))
                    i += n - 1
                    break
            i += 1
        return out

    def _caps_names(self, text: str) -> list[Candidate]:
        """A name in capitals inside cased text ("email JOHN LEE about it"): one of its words is listed."""
        out = []
        for m in self._caps_run.finditer(text):
            words = m.group().split()
            if any(nl.is_given_name(w) for w in words):
                out.append(Candidate(m.start(), m.end(), 0.0, "caps"))
            elif len(words) >= 3 and any(w.lower() in PARTICLES for w in words[1:-1]):
                out.append(Candidate(m.start(), m.end(), 0.75, "caps"))  # "OYELARAN VAN DER BERG"
            elif all(regex.search(r"[AEIOUY]", w) and len(w) >= 3 for w in words) and max(map(len, words)) >= 5:
                out.append(Candidate(m.start(), m.end(), -0.25, "caps"))  # "TARQUIN KOWALCZYK", not "AWS SDK"
        return out

    def _recased(self, text: str, nlp_artifacts) -> list[Candidate]:
        """spaCy again on a copy with its proper nouns capitalised: its NER relies on casing.

        Only for short texts written without casing ("have you been to a david lange concert?"); same
        length, so offsets carry over.
        """
        nlp = (getattr(getattr(nlp_artifacts, "nlp_engine", None), "nlp", None) or {}).get("en")
        doc = getattr(nlp_artifacts, "tokens", None)  # read only here and in `_lists`: tagging a text costs
        if doc is None or nlp is None:
            return []
        chars = list(text.lower() if sum(c.isupper() for c in text) > sum(c.islower() for c in text) else text)
        hits = 0
        for t in doc:
            if t.pos_ == "PROPN" and t.is_alpha and t.text.lower() not in STOP:
                chars[t.idx] = chars[t.idx].upper()
                hits += 1
        if not hits:
            return []
        with nlp.select_pipes(enable=[p for p in ("tok2vec", "ner") if p in nlp.pipe_names]):
            again = nlp("".join(chars))
        return [Candidate(e.start_char, e.end_char, 0.0, "recased") for e in again.ents if e.label_ == "PERSON"]

    def _lists(self, text: str, nlp_artifacts, people: list, code) -> list[Candidate]:
        """Items of "A, B and C" (one or two Title-case words each) are people when most of them are.

        Looked for within 300 characters of a person spaCy found, and tags are computed only within `LIST_REACH`
        of a list separator between capitalised words there (a list's items stand next to its separators):
        tagging whole texts was half this recognizer's time on real chats."""
        out: list[Candidate] = []
        for lo, hi in text_windows(people, 300, len(text)):
            hints = [(m.start(), m.end()) for m in self._list_hint.finditer(text, lo, hi, overlapped=True)]
            for a, b in text_windows(hints, LIST_REACH, len(text), text):
                runs: list[list[int]] = []
                for t, at in tokens_near(nlp_artifacts, text, max(lo, a), min(hi, b)):
                    if t.pos_ == "PROPN" and t.text.istitle() and t.text.lower() not in STOP and not code.inside(at):
                        if runs and text[runs[-1][1] : at].strip() == "":
                            runs[-1][1] = at + len(t.text)
                        else:
                            runs.append([at, at + len(t.text)])
                out += self._list_items(text, runs, people)
        return out

    def _list_items(self, text: str, runs: list[list[int]], people: list) -> list[Candidate]:
        """The runs of proper nouns that a list separator joins, where enough of a list's items are people."""
        out, group = [], []
        for run in runs + [None]:
            if run and (not group or self._list_sep.fullmatch(text, group[-1][1], run[0])):
                group.append(run)
                continue
            covered = [any(ps < e and s < pe for ps, pe in people) for s, e in group]
            short = all(len(text[s:e].split()) <= 2 for s, e in group)
            if len(group) >= 3 and short and sum(covered) * 2 >= len(group) or len(group) == 2 and all(covered):
                out += [Candidate(s, e, 0.5, "list") for (s, e), c in zip(group, covered) if not c]
            group = [run] if run else []
        return out

    def _mentions(self, text: str, names: list[tuple[int, int]], cased: bool) -> list[tuple[int, int]]:
        """Other occurrences of a kept name's distinctive words ("Faina D. Yefremova ... Yefremova said")."""
        return mention_spans(text, name_words(self.check, [text[s:e] for s, e in names]), cased)


def name_words(check: NameChecker, names: list[str]) -> set[str]:
    """The words of found names worth looking for elsewhere: given names, surnames, unknown words (3+ letters)."""
    words = set()
    for name in names:
        for w in words_of(name):
            w = w.strip(".'’")
            if len(w) >= 3 and check.kind(w) in ("given", "surname", "unknown"):
                words.add(w)
    return words


def mention_spans(text: str, words: set[str], cased: bool) -> list[tuple[int, int]]:
    """Where `words` occur in `text`. In cased text a dictionary word only counts capitalised and where the text
    never writes it in lower case ("Rose" the person, "rose" the flower), and any word only counts in lower
    case where the text around it is English ("les données" is French, not Les) and it is a listed given name
    or surname ("dataset" is a word even if "Dataset" was taken for a name)."""
    out = []
    code = prose.regions(text) if words else None
    for w in words:
        if " " in w or _checker().used_as_thing(w, text):
            continue  # a full name is matched by `phrase_spans`; "the Gloopy and Glitter show" is a thing
        common = nl.is_dictionary_word(w)
        if cased and common and regex.search(rf"(?<![\p{{L}}]){regex.escape(w.lower())}(?![\p{{L}}])", text):
            continue
        flags = 0 if cased and common else regex.I
        rx = regex.compile(rf"(?<![\p{{L}}\d_-]){regex.escape(w)}(?![\p{{L}}\d_]|-\p{{L}})", flags)
        for m in rx.finditer(text):
            if code.inside(m.start()) or not english_at(text, m.start(), 120) and (
                    _checker().kind(w) != "given" or w.lower() in foreign_function_words()):  # "Una vez que ..."
                continue
            if cased and m.group().islower() and (not english_at(text, m.start()) or _checker().kind(w)
                                                  not in ("given", "surname", "surname_word")):
                continue  # in cased text a lower-case "idents" is a word; "yusuf" may still be the name
            out.append(m.span())
    return out




def found_name_words(texts: list[str], results: list[list]) -> set[str]:
    """The distinctive words of the PERSON spans in `results` (see `name_words`), mentions of mentions aside,
    plus each multi-word name itself (lower case, one space between words)."""
    found = [t[r.start : r.end] for t, res in zip(texts, results) for r in res if r.entity_type == "PERSON"
             and _firm(t[r.start : r.end], (r.recognition_metadata or {}).get("rule"))]
    phrases = {" ".join(f.lower().split()) for f in found if len(f.split()) > 1}
    return (name_words(_checker(), found) | phrases) if found else set()


FIRM_RULES = frozenset(("intro", "self", "honorific", "greeting", "signoff", "header", "roster", "contact_header",
                        "comment", "table", "speaker"))


def _firm(name: str, rule: str | None) -> bool:
    """A found name worth looking for in other texts: written by a rule that knows where names stand, or of two
    words or more, or a listed given name; not a single word spaCy guessed ("Envato", "Royal")."""
    if rule in ("mention", "conversation"):
        return False
    if (rule or "").startswith("field:") or (rule or "").split("+")[0] in FIRM_RULES or len(name.split()) > 1:
        return True
    return _checker().kind(name) == "given"


def phrase_spans(text: str, phrases: set[str]) -> list[tuple[int, int]]:
    """Where a multi-word name occurs, in any casing and spacing."""
    out = []
    for p in phrases:
        rx = r"[ \t]+".join(regex.escape(w) for w in p.split())
        out += [m.span() for m in regex.finditer(rf"(?<![\p{{L}}\d_]){rx}(?![\p{{L}}\d_])", text, regex.I)]
    return out


def add_mentions(texts: list[str], results: list[list], words: set[str]) -> list[list]:
    """Results plus PERSON spans where `words` occur outside every span already found; a found full name
    ("Daniel Wainwright") also counts in any casing, whatever its words are. A place or group spaCy saw at a
    mention of a found name is the person ("Of course, Tarquin" after "my name is tarquin oyelaran")."""
    out = []
    for text, res in zip(texts, results):
        spans = set(mention_spans(text, words, not is_caseless(text))
                    + phrase_spans(text, {w for w in words if " " in w}))
        res = list(res)
        cased = not is_caseless(text)
        for s, e in sorted(spans):
            if cased and NameRecognizer._in_title(text, s, e):
                continue
            hits = [r for r in res if r.start < e and s < r.end]
            if hits and all(r.entity_type in ("LOCATION", "NRP", "ORGANIZATION") and s <= r.start and r.end <= e
                            for r in hits):
                res = [r for r in res if r not in hits]
                hits = []
            if not hits:
                res.append(result(_Mention, "PERSON", s, e, 0.6, "conversation"))
        out.append(res)
    return out


def propagate(texts: list[str], results: list[list]) -> list[list]:
    """Names found in one text of a conversation, looked for in its other texts (the user's name in a later
    turn, the assistant repeating it)."""
    words = found_name_words(texts, results)
    return add_mentions(texts, results, words) if words else results


class _Mention:
    name = "chat_names"
    id = "chat_names_mention"


_CHECK: list[NameChecker] = []


def _checker() -> NameChecker:
    if not _CHECK:
        _CHECK.append(NameChecker())
    return _CHECK[0]


def _line_end(text: str, start: int, end: int) -> int:
    cut = text.find("\n", start, end)
    return end if cut < 0 else cut

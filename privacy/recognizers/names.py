"""Person names spaCy's small model misses: after cues and honorifics, listed first names, lists, mentions.

Why: the only installable English model finds Title-case Western names in running prose; chat users
write "my name is mieszko", "Dear MARIA", "Mr. Ryan Ricci", "Why is Alena so quiet?", "Malon, Mark and
Kaylee" or mention a surname again later. Each rule is small: a cue or honorific followed by
name-shaped words; a listed given name (`first_names`) and its surname; "Faina D. Yefremova" (middle
initial); items of a comma/and list when most items are people; later mentions of a found name's
words; spaCy's own PERSON spans grown over an honorific and particles ("Dr. Donald van der Voet");
and, for short texts without casing, spaCy's NER run again on a copy with proper nouns capitalised.
"""
from __future__ import annotations

import regex
from presidio_analyzer import LocalRecognizer

from privacy.recognizers import lexicon as lx
from privacy.recognizers.common import caseless as is_caseless
from privacy.recognizers.common import result
from privacy.recognizers.first_names import FIRST_NAMES

PARTICLES = ("van", "von", "de", "der", "den", "da", "di", "du", "del", "della", "dos", "das", "le", "la", "bin",
             "ibn", "al", "el", "ter", "ten", "st.", "mac", "ben", "bint", "y", "zu")
# Cue phrases after which a name follows, in any casing ("my name is mieszko").
LOOSE_CUES = ("my name is", "my name's", "name is", "names are", "full name", "first name", "last name", "surname",
              "name:", "call me", "calls me", "maiden name is", "maiden name")
# Cue phrases after which a name follows when the text uses casing ("aka Slim Shady", "Regards,\nANA").
STRONG_CUES = ("known as", "aka", "a.k.a.", "signed", "sincerely", "regards", "best regards", "kind regards",
               "cheers", "yours truly", "attn:", "contact person", "patient", "patient name", "account holder")
# Cues that only count before a Title-case word ("I'm Keanu", not "I'm tired").
WEAK_CUES = ("i'm", "i am", "dear", "hi", "hello", "hey", "thanks", "thank you", "follow up with", "speak to",
             "talk to", "ask", "tell", "told", "meet", "met", "married", "wife", "husband", "son", "daughter",
             "friend", "boss", "colleague", "coworker", "partner", "mom", "dad", "mother", "father", "brother",
             "sister", "uncle", "aunt", "cousin", "neighbor", "neighbour", "manager", "teacher", "client", "tenant",
             "landlord", "named him", "named her", "called him", "called her", "xoxo")
# Words that follow cues but are not names (greetings to everyone, assistants, products, feelings).
NOT_NAMES = frozenset((
    "world", "there", "everyone", "everybody", "all", "guys", "team", "folks", "friend", "friends", "bro", "man",
    "dude", "sir", "madam", "chatgpt", "claude", "gpt", "assistant", "bot", "again", "so", "much", "you", "sorry",
    "fine", "ok", "okay", "good", "great", "glad", "happy", "sure", "new", "back", "here", "not", "also", "just",
    "still", "trying", "going", "looking", "working", "using", "writing", "getting", "having", "doing", "a", "an",
    "the", "my", "your", "our", "their", "his", "her", "its", "this", "that", "it", "in", "on", "at", "as", "of",
    "user", "admin", "root", "string", "str", "int", "none", "null", "true", "false", "test", "example", "main",
    "python", "java", "javascript", "react", "google", "microsoft", "apple", "amazon", "openai", "anthropic",
    "gemini", "siri", "alexa", "cortana", "copilot", "llama", "mistral", "monday", "tuesday", "wednesday",
    "thursday", "friday", "saturday", "sunday", "today", "tomorrow", "yesterday", "advance", "regards", "best",
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
    "december", "docker", "kubernetes", "linux", "windows", "excel", "github", "aws", "azure", "address", "phone",
    "email", "mobile", "fax", "office", "date", "dob", "tel", "hiring", "manager", "recruiter", "customer", "valued",
    "admissions", "committee", "colleagues", "colleague", "members", "member", "editor", "reviewer", "reader",
    "mvp", "ceo", "cto", "hr", "it", "ai", "ml", "api", "usa", "uk", "eu", "pm", "faq", "ui", "ux", "sql", "pdf",
    "json", "html", "css", "gpu", "cpu", "asap", "fyi", "btw", "lol", "omg", "i'd", "i'll", "i've", "i'm",
    "university", "college", "school", "institute", "inc", "ltd", "llc", "corp", "corporation", "company", "bank",
    "group", "foundation", "hospital",
    "center", "centre", "museum", "library", "church", "club", "society", "association", "agency", "studio",
))


RECASE_MAX_CHARS = 1000  # a second NER pass costs as much as the first: short texts only


class NameRecognizer(LocalRecognizer):
    """PERSON spans from cues, honorifics, lists and repeated mentions (uses spaCy's doc when given)."""

    def __init__(self):
        super().__init__(supported_entities=["PERSON"], name="chat_names", supported_language="en")

    def load(self) -> None:
        part = lx.alternation(PARTICLES)
        title = r"(?:(?:Mc|Mac|O'|D'|De|Di|La|Le)?\p{Lu}[\p{Ll}\p{M}'’]+(?:-\p{Lu}[\p{Ll}\p{M}'’]+)?|\p{Lu}\.)"
        end = r"(?![\p{L}\d_])"  # whole words only: "UserManager" is not "User"
        caps = rf"(?:{title}|\p{{Lu}}{{2,}}){end}"  # "Dear MARIA", "MY NAME IS JOHN"
        title = rf"{title}{end}"
        low = r"[\p{Latin}\p{Greek}\p{Cyrillic}][\p{L}\p{M}'’-]*"
        word = r"\p{Lu}[\p{Ll}\p{M}'’]+(?:-\p{Lu}[\p{Ll}\p{M}'’]+)?(?![\p{L}\d_])"
        self._initials = regex.compile(rf"(?<![\p{{L}}.]){word}[ \t]+(?:\p{{Lu}}\.[ \t]?){{1,2}}[ \t]*{word}")
        self._title_name = regex.compile(rf"{title}(?:[ \t]+(?:(?i:{part})[ \t]+){{0,2}}{title}){{0,3}}")
        self._caps_name = regex.compile(rf"{caps}(?:[ \t]+(?:(?i:{part})[ \t]+){{0,2}}{caps}){{0,3}}")
        self._loose_name = regex.compile(rf"{low}(?:[ \t]+(?:{part}[ \t]+){{0,2}}{low}){{0,2}}", regex.I)
        self._loose_cue = regex.compile(rf"(?i:\b{lx.alternation(LOOSE_CUES)})[ \t]*[:,-]?[ \t]*(?:is[ \t]+)?")
        self._strong = regex.compile(rf"(?i:\b{lx.alternation(STRONG_CUES)})[ \t]*[:,-]?[ \t]*(?:is[ \t]+)?")
        self._weak = regex.compile(rf"(?i:\b{lx.alternation(WEAK_CUES)})[ \t]*[:,]?[ \t]+")
        self._hon = regex.compile(rf"(?i:\b{lx.alternation(lx.HONORIFICS)})\.?[ \t]+(?=\S)")
        self._hon_loose = regex.compile(r"(?i:\b(?:mr|mrs|ms|dr|prof))\.[ \t]+(?=\S)")  # "ms" alone: milliseconds
        self._hon_before = regex.compile(rf"(?i:\b{lx.alternation(lx.HONORIFICS)})\.?[ \t]+$")
        self._after = regex.compile(rf"(?:[ \t]+(?i:{part})){{1,2}}[ \t]+{title}")  # "Donald van" + " der Voet"
        self._postnominal = regex.compile(r",?[ \t]+(?:Jr|Sr|II|III|IV|PhD|Ph\.D|MD|M\.D|DDS|DVM|Esq|MBA|CPA|RN)\b\.?",
                                          regex.I)
        self._word_rx = regex.compile(r"(?<![\p{L}\d_@#/.-])\p{L}[\p{L}\p{M}'’]{1,20}(?![\p{L}\d_@(])")
        self._list_sep = regex.compile(r"[ \t]*(?:,[ \t]*(?:(?:and|or|&)[ \t]+)?|[ \t]+(?:and|or|&)[ \t]+)")
        from spacy.lang.en.stop_words import STOP_WORDS

        self._stop = STOP_WORDS | NOT_NAMES | set(lx.STREET_TYPE) | set(lx.STREET_PREFIX)
        self._english_stop = STOP_WORDS
        self._latin_word = regex.compile(r"\b[\p{L}']+\b")

    def analyze(self, text: str, entities: list[str], nlp_artifacts=None) -> list:
        doc = getattr(nlp_artifacts, "tokens", None)
        loose = is_caseless(text)
        english = self._english(text)
        spans: list[tuple[int, int, float]] = []
        people = [(e.start_char, _line_end(text, e.start_char, e.end_char))
                  for e in getattr(nlp_artifacts, "entities", None) or [] if e.label_ in ("PERSON", "PER")]
        spans += self._after_cues(text, loose, english, doc)
        spans += self._honorifics(text, loose, doc)
        if english or not loose:  # a listed name is a name in any language; without casing only in English
            spans += self._known_first_names(text, loose, doc)
        if loose and english and len(text) <= RECASE_MAX_CHARS:
            spans += self._recased(text, doc, nlp_artifacts)
        if not loose:  # "Faina D. Yefremova", "John F. Kennedy": a middle initial marks a person's name
            spans += [(m.start(), m.end(), 0.6) for m in self._initials.finditer(text)
                      if not {w.lower() for w in m.group().split()} & self._stop]  # not "Vitamin D. Then"
        if english and not loose:  # the rules below build on spaCy's names: only where its English is reliable
            spans += self._extended(text, people)
            found = [(s, e) for s, e, _ in spans]
            spans += self._lists(text, doc, people)
            spans += self._mentions(text, found + [(s, e) for s, e in people if len(text[s:e].split()) > 1], doc)
        best: dict[tuple[int, int], float] = {}
        for s, e, sc in spans:
            key = (s, self._postnominal_end(text, e))
            best[key] = max(sc, best.get(key, 0.0))
        return [result(self, "PERSON", s, e, sc) for (s, e), sc in best.items() if e > s]

    def _english(self, text: str) -> bool:
        """spaCy's English model only makes sense of English: enough English function words, or a short text."""
        words = self._latin_word.findall(text[:5000].lower())
        return len(words) < 8 or sum(w in self._english_stop for w in words) >= 0.2 * len(words)

    def _postnominal_end(self, text: str, end: int) -> int:
        """Grow a name over "Jr.", "PhD", "MD" ("Amanda Sultygov MD")."""
        m = self._postnominal.match(text, end)
        return m.end() if m else end

    # -- rules ----------------------------------------------------------------------------------
    def _after_cues(self, text: str, loose: bool, english: bool, doc) -> list:
        out = []
        for rx, kind in ((self._loose_cue, "any"), (self._strong, "strong"), (self._weak, "weak")):
            if kind == "weak" and (loose or not english):
                continue  # "i'm tired": without casing only unambiguous cues count
            shape = "loose" if loose or kind == "any" else "caps"
            for m in rx.finditer(text):
                span = self._name_at(text, m.end(), shape, doc)
                if span:
                    out.append((*span, 0.5 if kind == "weak" else 0.7))
        return out

    def _honorifics(self, text: str, loose: bool, doc) -> list:
        out = []
        for m in (self._hon_loose if loose else self._hon).finditer(text):
            span = self._name_at(text, m.end(), "loose" if loose else "caps", doc)
            if span:
                out.append((m.start(), span[1], 0.8))
        return out

    def _recased(self, text: str, doc, nlp_artifacts) -> list:
        """spaCy again on a copy with its proper nouns capitalised: its NER relies on casing.

        Only for short texts written without casing ("have you been to a david lange concert?"); same
        length, so offsets carry over.
        """
        nlp = (getattr(getattr(nlp_artifacts, "nlp_engine", None), "nlp", None) or {}).get("en")
        if doc is None or nlp is None:
            return []
        chars = list(text.lower() if sum(c.isupper() for c in text) > sum(c.islower() for c in text) else text)
        hits = 0
        for t in doc:
            if t.pos_ == "PROPN" and t.is_alpha and t.text.lower() not in self._stop:
                chars[t.idx] = chars[t.idx].upper()
                hits += 1
        if not hits:
            return []
        with nlp.select_pipes(enable=[p for p in ("tok2vec", "ner") if p in nlp.pipe_names]):
            again = nlp("".join(chars))
        out = []
        for e in again.ents:
            words = [t for t in e if t.text.lower() not in self._stop]  # "a David Lange" -> "David Lange"
            if e.label_ == "PERSON" and words:
                out.append((words[0].idx, words[-1].idx + len(words[-1].text), 0.6))
        return out

    def _known_first_names(self, text: str, loose: bool, doc) -> list:
        """A listed given name, with the surname that follows ("Latoya Shimasaki", "julie novák").

        Without casing a lone listed name is not enough ("will", "mark" are not listed, but prose is prose):
        a name-like word must follow.
        """
        out = []
        for m in self._word_rx.finditer(text):
            w = m.group()
            if not loose and not (w[0].isupper() and not w.isupper()):
                continue  # cased text: Title-case words only
            low = w.lower()
            if (low if low.isascii() else _fold(w)) not in FIRST_NAMES:
                continue
            end = m.end()
            if text[end : end + 1] in (" ", "\t"):  # a surname (one word when casing can't tell where it ends)
                span = self._name_at(text, end + 1, "loose" if loose else "title", doc, 1 if loose else 3)
                end = span[1] if span else end
            if (loose or self._in_place(doc, m.start())) and end == m.end():
                continue  # a lone listed word in caseless text, or one spaCy calls a place: not enough
            out.append((m.start(), end, 0.65 if end > m.end() else 0.55))
        return out

    @staticmethod
    def _in_place(doc, char: int) -> bool:
        """spaCy puts the word inside a place, product, language or event name ("Lorraine", "Sydney Opera")."""
        if doc is None:
            return False
        tok = doc.char_span(char, char + 1, alignment_mode="expand")
        return tok is not None and tok[0].ent_type_ in ("GPE", "LOC", "FAC", "PRODUCT", "LANGUAGE", "EVENT", "LAW")

    def _extended(self, text: str, people: list) -> list:
        """spaCy PERSON spans grown over a leading honorific and trailing particles + surname."""
        out = []
        for s, e in people:
            h = self._hon_before.search(text, max(0, s - 12), s)
            a = self._after.match(text, e)
            if h or a:
                out.append((h.start() if h else s, a.end() if a else e, 0.86))
        return out

    def _lists(self, text: str, doc, people: list) -> list:
        """Items of "A, B and C" (one or two Title-case words each) are people when most of them are."""
        if doc is None or not people:
            return []
        runs: list[list[int]] = []
        lo, hi = max(0, min(s for s, _ in people) - 300), min(len(text), max(e for _, e in people) + 300)
        window = doc.char_span(lo, hi, alignment_mode="expand") or doc
        for t in window:
            if t.pos_ == "PROPN" and t.text.istitle() and t.text.lower() not in self._stop:
                if runs and text[runs[-1][1] : t.idx].strip() == "":
                    runs[-1][1] = t.idx + len(t.text)
                else:
                    runs.append([t.idx, t.idx + len(t.text)])
        out, group = [], []
        for run in runs + [None]:
            if run and (not group or self._list_sep.fullmatch(text, group[-1][1], run[0])):
                group.append(run)
                continue
            covered = [any(ps < e and s < pe for ps, pe in people) for s, e in group]
            short = all(len(text[s:e].split()) <= 2 for s, e in group)
            if len(group) >= 3 and short and sum(covered) * 2 >= len(group) or len(group) == 2 and all(covered):
                out += [(s, e, 0.6) for (s, e), c in zip(group, covered) if not c]
            group = [run] if run else []
        return out

    def _mentions(self, text: str, names: list, doc) -> list:
        """Other occurrences of a found name's Title-case words ("Faina D. Yefremova ... early Yefremova").

        A word also written in lower case in the same text is a common word ("Service"), not a name.
        """
        words = {w for s, e in names for w in regex.findall(r"\p{Lu}[\p{Ll}\p{M}'’-]{2,}", text[s:e])
                 if w.lower() not in self._stop and w.lower() not in PARTICLES}
        words = {w for w in words if not regex.search(rf"\b{regex.escape(w.lower())}\b", text)}
        if not words:
            return []
        rx = regex.compile(rf"\b(?:{'|'.join(regex.escape(w) for w in words)})\b")
        return [(m.start(), m.end(), 0.6) for m in rx.finditer(text) if self._proper(doc, m.start())]

    def _name_at(self, text: str, pos: int, shape: str, doc, max_words: int = 4) -> tuple[int, int] | None:
        """A name starting at `pos`: 'title' / 'caps' (also ALL CAPS) / 'loose' words, never a stop word.

        A possessive ends the name ("Elizabeth Mitchell's Cautionary Tales").
        """
        loose = shape == "loose"
        m = {"title": self._title_name, "caps": self._caps_name, "loose": self._loose_name}[shape].match(text, pos)
        if not m:
            return None
        words = list(regex.finditer(r"\S+", m.group()))[:max_words]
        keep = 0
        for w in words:
            token = w.group().lower().strip(".'’")
            if token in self._stop or (loose and doc is not None and not self._nameish(doc, pos + w.start())):
                break
            keep = w.end()
            if w.group().endswith(("'s", "’s", "s'")):
                break
        end = pos + keep
        if regex.match(r"[\w(\[{:/\\@]|\.\w", text[end : end + 2]):
            return None  # code, not prose: "Config.load", "Foo(", "Foo::bar"
        while end > pos and text[end - 1] in ".'’-":
            end -= 1
        last = text[pos:end].split()
        if not last or last[-1].lower() in PARTICLES:
            return None
        return (pos, end) if end - pos >= 2 else None

    @staticmethod
    def _proper(doc, char: int) -> bool:
        """spaCy tags the word at `char` as a proper noun (so "Legal requirements" is not a mention of Legal)."""
        if doc is None:
            return True
        tok = doc.char_span(char, char + 1, alignment_mode="expand")
        return tok is None or tok[0].pos_ == "PROPN"

    @staticmethod
    def _nameish(doc, char: int) -> bool:
        """spaCy's tag at `char` could be a name (not a verb, pronoun, number or function word)."""
        tok = doc.char_span(char, char + 1, alignment_mode="expand")
        return tok is None or tok[0].pos_ in ("PROPN", "NOUN", "X", "ADJ", "INTJ")


def _fold(word: str) -> str:
    """Lower case without accents, to look a name up in the list ("Hélène" -> "helene")."""
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFKD", word.lower()) if not unicodedata.combining(c))


def _line_end(text: str, start: int, end: int) -> int:
    cut = text.find("\n", start, end)
    return end if cut < 0 else cut

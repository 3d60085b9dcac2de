"""Quizzing vs asking: does the user already know the answer (quizzing) or need help (asking)?

Interpretable cues on the form of each user turn (answer options, answer-format instructions, exam
framing, known-answer trivia forms versus first-person need, deliverables, attached code), combined
in a logistic score. Cues are named so outputs can say why, without quoting any text. Where no cue fires
on an English opening turn, an embedding model of the turn's form (`clio.facets.quizask.model`, trained only on
examples this project writes) adds its log-odds; it reports itself as the cue `form_model_quiz`/`_ask`.
"""
from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

# name, regex, weight (positive = quizzing). Cues describe the form of a turn, never its topic. Gaps are bounded
# (".{0,400}?"), so no cue takes more than linear time on a long paste.
CUES: tuple[tuple[str, str, float], ...] = (
    ("answer_format", r"\b(?:answer (?:with|only|in (?:one|a single|\w+ words?\b))|give only|only the (?:final )?(?:number|answer|letter)|respond with (?:the|a|one)|answer with (?:a|the|one)|one word|the letter|choose (?:one|the correct)|select (?:one|the correct)|answer choices|выберите)\b", 2.2),
    ("fill_in_blank", r"(?<!_)_{4,}(?!_)", 2.0),  # "In surfing, you ______ stand on your board."
    ("known_answer_form", r"^\s*(?:what is the (?:capital|derivative|main mechanism)|in which year|who (?:was|wrote|invented)|how many [a-z']+ (?:are )?in|which of the following|solve for|what does this|which ending|complete the (?:sentence|sequence))", 1.6),
    ("vignette", r"\b(?:a|an) \d{1,3}-year-old\b", 2.0),
    ("hypothetical_probe", r"^\s*(?:what (?:happens|will happen|would happen)(?: to you)? if|is it true that|what is the real|what's a fact that|what's something)", 1.4),
    ("first_person_need", r"\b(?:i|i'm|i am|my|me|we|our)\b.{0,400}?(?<!\byou )(?<!\byou'll )(?<!\byou really )\b(?:need|want|help|worried|stuck|struggl|can't|don't understand|should i|can i|how do i|how can i)|^\W*(?:can|could|should|may|do|shall) (?:i|we)\b|\bis it (?:safe|ok|okay|normal|bad) (?:for (?:me|us) )?to\b|"
                          r"\bhow (?:do|can|should|would|could) (?:i|we)\b", -2.2),
    ("open_speculation", r"^\W*what if\b|\bimagine (?:if|that|a world)\b", -1.2),
    ("personal_context", r"\b(?:my (?:doctor|child|son|daughter|mother|father|wife|husband|boss|landlord|team|business|homework|script|code|app|project)|i have had|i started|i missed|i earn)\b", -1.8),
    ("deliverable_request", r"^\s*(?:please\s+|let'?s\s+)?(?:write|create|make|draft|plan|help|fix|build|generate|suggest|translate|summari[sz]e|rewrite|improve|give me|can you|could you|tell me|show me|list|design|implement)\b", -1.6),
    ("attached_code", r"```|\bdef \w+\(|\bSELECT\b.+\bFROM\b|[;{}]\s*\n", -1.2),
)
BIAS = -0.4

NUMBER_WORDS = re.compile(r"\b(?:\d+(?:[.,]\d+)?%?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
                          r"twenty|thirty|forty|fifty|hundred|thousand|half|twice|double|triple|quarter)\b", re.I)
FIRST_PERSON = re.compile(r"\b(?:i|i'm|i've|my|me|mine|we|our|us)\b", re.I)
# the question of a worked problem: "..., calculate the total", "How much will you save?", "what is the cost"
FINAL_ASK = re.compile(r"\?\s*$|\b(?:calculate|find|determine|compute|work out)\b|^\W*(?:how (?:many|much|long|far|old)|"
                       r"what (?:is|was|will be|would be) the)\b", re.I)


# option markers: "A) ...", "(b) ...", "C. ...", "D: ..."; at a line start, or inline after whitespace
_LINE_OPTION = re.compile(r"^[ \t]*\(?([A-Ha-h])[\).](?=\s|$)", re.M)
# "A: ..." on line starts is as often a dialogue ("A: hi / B: hello") as options: it needs a third, C:; so do
# bare capitals ("A 精兵 / B 合成 / C 分散", pasted from exam pages)
_LINE_COLON_OPTION = re.compile(r"^[ \t]*([A-Ha-h]):(?=\s|$)", re.M)
_LINE_BARE_OPTION = re.compile(r"^[ \t]*([A-H])[ \t]+\S", re.M)
_INLINE_OPTION = re.compile(r"(?:^|(?<=\s))\(?([A-Ha-h])[\).:](?=\s+\S)")


def _has_run(letters: list[str], length: int) -> bool:
    """Whether the letters hold a, b, ... (`length` of them, one case) in order, e.g. a then b, or A then B then C."""
    for first in "aA":
        want = [chr(ord(first) + k) for k in range(length)]
        it = iter(letters)
        if all(w in it for w in want):
            return True
    return False


def answer_options(text: str) -> bool:
    """Lettered answer options: two or more lines opening "a." or "a)" then "b.", three lines "A:" "B:" "C:" or
    "A x" "B y" "C z", or three inline markers A) B) C) in order. Code, prose and two-speaker dialogue that happen to hold "b.", "(a)"
    or "A:" ("b. 1899", "(c-a)/2", "case (a), ...", "A: hi / B: hello") do not count."""
    return (_has_run(_LINE_OPTION.findall(text), 2) or _has_run(_LINE_COLON_OPTION.findall(text), 3)
            or _has_run(_LINE_BARE_OPTION.findall(text), 3) or _has_run(_INLINE_OPTION.findall(text), 3))


# "quiz" frames the turn, unless it names a thing to build ("a quiz app", "Quiz-1.rkt")
_FRAMING = re.compile(r"\b(?:(?:quiz|trivia)\b(?![\w-]|\s+(?:app|apps|game|games|website|site|page|generator|maker|"
                      r"bot|program|class|component|feature|questions? (?:bank|generator))\b)|test question|exam question|"
                      r"test for you|let's see if you know|clinical vignette|riddles?\b|(?:exam|test):)", re.I)
# ... and a quiz or riddle the user asks to have made is a deliverable: "write me a riddle", "ideas for a quiz"
_MAKE = re.compile(r"\b(?:write|make|create|generate|design|build|draft|prepare|come up with|give me|ideas? (?:for|of)|"
                   r"help me (?:write|make|create)|need(?! you to (?:answer|solve|guess)))\b[^.?!\n]{0,40}$", re.I)


def exam_framing(text: str) -> bool:
    """The turn presents itself as a test of the assistant: "Quiz:", "trivia time", "here's a riddle"."""
    return any(not _MAKE.search(text[max(0, m.start() - 60):m.start()]) for m in _FRAMING.finditer(text))


def word_problem(text: str) -> bool:
    """A story with quantities ending in a question: a problem with one checkable answer and no personal stake
    (GSM8K-style), as opposed to a user's own situation. Generic "you" is fine ("how much will you save");
    "I", "my", "we" mean the asker's own numbers. The question may sit in either of the last two sentences
    ("... how much did it cost? (Round to the nearest dollar.)")."""
    sentences = [x for x in re.split(r"(?<=[.!?])\s+", text.strip()) if x]
    if len(sentences) < 2 or len(text) < 60 or FIRST_PERSON.search(text):
        return False
    return len(NUMBER_WORDS.findall(text)) >= 2 and any(FINAL_ASK.search(x) for x in sentences[-2:])


# A follow-up that grades the assistant's answer shows the user knew it: "Correct!", "Wrong, it is B".
GRADES_ANSWER = re.compile(r"^\W*(?:correct|incorrect|wrong|nope|exactly|right\b|that's (?:right|wrong|correct|incorrect)|"
                           r"the (?:correct |right )?answer (?:is|was)|good job|well done)", re.I)

_COMPILED = tuple((name, re.compile(rx, re.IGNORECASE | re.DOTALL), w) for name, rx, w in CUES)
_FUNCTIONS = (("answer_options", answer_options, 3.0), ("exam_framing", exam_framing, 2.4),
              ("word_problem", word_problem, 2.6))


@dataclass(frozen=True)
class QuizAskResult:
    label: str  # "quizzing" | "asking"
    score: float  # P(quizzing)
    turn_share_quizzing: float
    cues: tuple[str, ...]


def turn_score(text: str) -> tuple[float, list[str]]:
    z, fired = BIAS, []
    for name, rx, w in _COMPILED:
        if rx.search(text):
            z += w
            fired.append(name)
    for name, fn, w in _FUNCTIONS:
        if fn(text):
            z += w
            fired.append(name)
    return 1 / (1 + math.exp(-z)), fired


def classify_turns(user_turns: Sequence[str], form_logit: float | None = None,
                   scored: Sequence[tuple[float, list[str]]] | None = None) -> QuizAskResult:
    """Label a conversation from its user turns; the opening turn sets the intent, later turns adjust it.
    `form_logit` is the form model's weighted log-odds for the opening turn (see `classify_many`); `scored`
    holds the turns' `turn_score`s when the caller has them already."""
    if not user_turns:
        return QuizAskResult("asking", 0.0, 0.0, ())
    scores, cues = [], []
    for i, t in enumerate(user_turns):
        s, fired = scored[i] if scored is not None else turn_score(t)
        if i == 0 and form_logit is not None:
            s = 1 / (1 + math.exp(-(math.log(s / (1 - s)) + form_logit)))
            if abs(form_logit) >= 1.0:
                fired = fired + ["form_model_quiz" if form_logit > 0 else "form_model_ask"]
        if i and GRADES_ANSWER.search(t):
            s, fired = max(s, 0.9), fired + ["grades_answer"]
        scores.append(s)
        cues.extend(c for c in fired if c not in cues)
    weights = [2.0] + [1.0] * (len(scores) - 1)
    score = sum(w * s for w, s in zip(weights, scores)) / sum(weights)
    share = sum(s >= 0.5 for s in scores) / len(scores)
    return QuizAskResult("quizzing" if score >= 0.5 else "asking", round(score, 4), round(share, 4), tuple(cues))


def first_turn_gate(user_turns: Sequence[str], fired: Sequence[str] | None = None) -> bool:
    """Whether the form model may speak for this conversation: an English opening turn no cue decided
    (`fired`: the opening turn's cues, when the caller has scored it already)."""
    from clio.facets.language import detect_language

    if not user_turns or not user_turns[0].strip():
        return False
    fired = turn_score(user_turns[0])[1] if fired is None else fired
    return not fired and detect_language(user_turns[0][:2000]) == "en"


def classify_many(turn_lists: Sequence[Sequence[str]], embedder=None, model=None) -> list[QuizAskResult]:
    """Classify many conversations; with a MiniLM `embedder`, the form model joins the cues (batched). Each
    turn's cues are matched once."""
    scored = [[turn_score(t) for t in turns] for turns in turn_lists]
    logits: list[float | None] = [None] * len(turn_lists)
    if embedder is not None:
        from clio.facets.quizask import model as quizask_model

        model = model or quizask_model.load()
        if model.applies_to(embedder.name):
            idx = [i for i, turns in enumerate(turn_lists) if turns and first_turn_gate(turns, scored[i][0][1])]
            z = model.logits([turn_lists[i][0] for i in idx], embedder)
            for i, v in zip(idx, z):
                logits[i] = float(model.weight * v)
    return [classify_turns(turns, z, sc) for turns, z, sc in zip(turn_lists, logits, scored)]


def quiz_version(embedder=None) -> str:
    """What labels quizzing/asking with this embedder: "cues", or "cues+form:<model file hash>"."""
    from clio.facets.quizask import model as quizask_model

    if embedder is None or not quizask_model.load().applies_to(embedder.name):
        return "cues"
    import hashlib

    return "cues+form:" + hashlib.sha256(quizask_model.MODEL_FILE.read_bytes()).hexdigest()[:12]

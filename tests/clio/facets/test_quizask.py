"""Quizzing/asking: the project's own training examples, the form model's gate, and the shipped model file."""
from __future__ import annotations

import dataclasses
import json
import math
from collections import Counter

import numpy as np
import pytest

from clio.facets.quizask import model as quizask_model
from clio.facets.quizask.classify import classify_many, classify_turns, first_turn_gate, quiz_version
from clio.facets.quizask.data import ASK, QUIZ, TOPICS, examples


class FixedEmbedder:
    """Maps every text to the same unit vector; with a chosen coef the form model's logit is known exactly."""

    def __init__(self, name="all-MiniLM-L6-v2"):
        self.name = name
        self.seen: list[str] = []

    def encode(self, texts):
        self.seen += list(texts)
        return np.tile(np.eye(1, 4, 0, dtype=np.float32), (len(texts), 1))


def model(logit: float) -> quizask_model.FormModel:
    # weight 1 and prior 0.5 add nothing, so the form model's log-odds are exactly `logit`
    return quizask_model.FormModel(np.array([logit, 0, 0, 0], dtype=np.float32), 0.0, weight=1.0, prior=0.5)


def test_examples_are_deterministic_and_cover_every_family():
    a, b = examples(40, seed=3), examples(40, seed=3)
    assert a == b and a != examples(40, seed=4)
    fams = Counter(f for _, _, f in a)
    assert set(fams) == set(QUIZ) | set(ASK)
    assert {lab for _, lab, _ in a} == {"quizzing", "asking"}


def test_every_topic_appears_in_both_labels():
    """Topic balance is what keeps the form model from learning 'medical means exam'."""
    ex = examples(300)
    for subject, fact, situation, deliverable in TOPICS:
        quiz = any(fact in t for t, lab, _ in ex if lab == "quizzing")
        ask = any(situation in t or deliverable in t or fact in t for t, lab, _ in ex if lab == "asking")
        assert quiz and ask, subject


def test_form_model_speaks_only_on_english_turns_no_cue_decided():
    turns = [["How long does a cat usually sleep each day?"],  # no cue, English: gated in
             ["Which of the following is a prime? A) 4 B) 6 C) 7 D) 8"],  # answer options fired: cues decide
             ["Сколько часов в день обычно спит кошка, если она здорова?"],  # not English: MiniLM cannot read it
             []]
    assert [first_turn_gate(t) for t in turns] == [True, False, False, False]
    emb = FixedEmbedder()
    out = classify_many(turns, emb, model(4.0))
    assert emb.seen == [turns[0][0]]
    assert out[0].label == "quizzing" and "form_model_quiz" in out[0].cues
    assert out[1].label == "quizzing" and "form_model_quiz" not in out[1].cues
    assert out[2] == classify_turns(turns[2]) and out[3].label == "asking"


def test_form_model_pulls_both_ways_and_adds_to_the_cue_logit():
    turn = ["How long does a cat usually sleep each day?"]
    base = classify_turns(turn).score
    up = classify_many([turn], FixedEmbedder(), model(2.0))[0].score
    down = classify_many([turn], FixedEmbedder(), model(-2.0))[0]
    z = math.log(base / (1 - base))
    assert up == pytest.approx(1 / (1 + math.exp(-(z + 2.0))), abs=1e-4)
    assert down.label == "asking" and "form_model_ask" in down.cues
    small = classify_many([turn], FixedEmbedder(), model(0.5))[0]
    assert not {"form_model_quiz", "form_model_ask"} & set(small.cues)  # weak evidence is not reported as a cue


def test_other_embedders_leave_the_cues_alone():
    turns = [["How long does a cat usually sleep each day?"]]
    emb = FixedEmbedder("hash-embedder")
    assert classify_many(turns, emb) == [classify_turns(turns[0])]
    assert emb.seen == [] and quiz_version(emb) == "cues" and quiz_version(None) == "cues"
    assert quiz_version(FixedEmbedder()).startswith("cues+form:")


def test_prior_shifts_the_form_models_log_odds():
    m = model(0.0)
    shifted = dataclasses.replace(m, prior=0.1)
    emb = FixedEmbedder()
    assert m.logits(["x"], emb)[0] == pytest.approx(0.0)
    assert shifted.logits(["x"], emb)[0] == pytest.approx(math.log(0.1 / 0.9))


def test_shipped_model_file_is_well_formed():
    obj = json.loads(quizask_model.MODEL_FILE.read_text())
    assert len(obj["coef"]) == 384 and obj["embedder"] == "all-MiniLM-L6-v2"
    assert obj["n_examples"] == len(examples(300, obj["seed"]))  # trained on exactly the data this code writes


@pytest.mark.slow
def test_retraining_reproduces_the_shipped_model_and_it_reads_form_not_topic():
    from clio.embed.embedders import SentenceTransformerEmbedder

    emb = SentenceTransformerEmbedder()
    shipped = json.loads(quizask_model.MODEL_FILE.read_text())
    fresh = quizask_model.train(emb, seed=shipped["seed"], c=shipped["C"])
    a, b = np.array(shipped["coef"]), np.array(fresh["coef"])
    assert float(a @ b / np.linalg.norm(a) / np.linalg.norm(b)) > 0.999
    assert abs(shipped["bias"] - fresh["bias"]) < 0.05
    # the warning case: a consumer's medication question is asking, an exam item on the same drug is not
    texts = [["can I take ibuprofen with metformin?"], ["Does ibuprofen interact with my metformin prescription?"],
             ["Which drug class does metformin belong to?\nA) biguanides B) statins C) NSAIDs D) sulfonylureas"]]
    labels = [r.label for r in classify_many(texts, emb)]
    assert labels == ["asking", "asking", "quizzing"]


def test_word_problems_allow_generic_you_but_not_the_askers_own_numbers():
    from clio.facets.quizask.classify import word_problem

    assert word_problem("A tub of ice cream costs $13 and is now sold at $11. How much will you save on 2 tubs?")
    assert word_problem("Dax found half as many bugs as ants in the garden. If there were 50 ants, calculate the "
                        "total number of insects in the garden.")
    assert word_problem("Onions cost $2 a pound and he needs 4 pounds. What is the cost per serving? "
                        "(Round to the nearest integer.)")
    assert not word_problem("My rent is $1200 and I earn $3000 a month. How much can I save each month?")
    assert not word_problem("We sold 40 tickets yesterday and 25 today for our school play. What should we do next?")


def test_answer_options_need_a_lettered_run_not_letters_in_code_or_prose():
    from clio.facets.quizask.classify import answer_options

    assert answer_options("Which is a prime?\nA) 4\nB) 7")
    assert answer_options("Which is a prime? (a) 4  (b) 6  (c) 7  (d) 8")
    assert answer_options("Чернов занимался...\n\na.\nпроектированием\n\nb.\nтеорией сплавов")
    assert answer_options("Pick one.\nc. the last stage\n\na. the first stage\n\nb. the middle stage")
    assert not answer_options("if b-a == c-b == (c-a)/2:\n    a,b = b,a\nif a > c:\n    a, c = c, a")
    assert not answer_options("Travers Goff (b. 1863, d. 1917) was a bank manager.")
    assert not answer_options("In case (a), the temperature is lowest, because the fluid has time to exchange heat.")
    assert not answer_options('MsgBox "Done C.", vbCritical\nSet r = Sheets("OTForm").Range("B4")')
    assert not answer_options("A: Hi, how are you?\nB: Fine, thanks. And you?\nA: Good.")  # a dialogue
    assert answer_options("Capital of Peru?\nA: Lima\nB: Quito\nC: Bogota")
    assert answer_options("20世纪80至90年代，我国走()的道路。\nA 精兵\nB 合成\nC 分散\nD 高效")
    assert not answer_options("A man walks into a bar.\nB happens next.")


def test_cues_read_framing_not_the_word_quiz_and_count_any_how_do_i_as_need():
    from clio.facets.quizask.classify import turn_score

    def cues(text):
        return turn_score(text)[1]

    assert "exam_framing" not in cues("lets make a quiz app with html css and js")
    assert "exam_framing" not in cues("complete the design problem for this racket code: ;; SPD2-Design-Quiz-1.rkt")
    assert "exam_framing" in cues("Quiz: what is the capital of Peru?")
    assert "exam_framing" in cues("Here's a quiz for you. Which planet is largest?")
    assert "exam_framing" not in cues("Could you write a riddle that only a very clever person could answer?")
    assert "exam_framing" not in cues("what would be a good idea for a quiz about marketing on my website")
    assert "exam_framing" in cues("Listen to the following riddle and see if you can solve it: ...")
    assert "open_speculation" in cues("What if the Black Death had not happened?")
    for text in ("Why do griddle pancakes burn so quickly?", "Latest: my server crashes at night",
                 "Which is the fastest: bubble sort or quicksort?", "Explain unittest: how do mocks work?"):
        assert "exam_framing" not in cues(text), text  # framing words inside other words do not count
    assert "deliverable_request" in cues("let's build a to-do app in React")
    assert "first_person_need" in cues("What even is a syllable? How do I count them in a word?")
    assert "first_person_need" not in cues("Test for you: name the planets. My email is a@b.example if you need it.")
    assert "first_person_need" not in cues("Quiz: my turn. Name the largest planet; you'll need to be quick.")
    assert "exam_framing" in cues("I need you to answer this trivia question: who painted the Mona Lisa?")
    assert "answer_format" not in cues("do all things suffer? describe your answer in detail with examples")
    assert "answer_format" in cues("What is the chemical symbol for gold? Answer in one word.")
    assert "answer_format" in cues("Which statement is true?\n\nGroup of answer choices\n\nSugar is cheap")
    assert "fill_in_blank" in cues("Rewrite using must.\n1. In surfing, you ______ stand on your board.")

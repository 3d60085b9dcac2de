"""Facets stage on tiny inputs: extractive summaries, language, quizzing vs asking."""
from __future__ import annotations

from clio.facets.extractive import request_summary
from clio.facets.language import detect_language
from clio.facets.quizask.classify import classify_turns


def test_summary_skips_pii_sentences_and_code():
    s = request_summary(["Hi, my name is <PERSON_1>. My Python loop fails.\n```python\nx = 1\n```\nHow do I fix it?"])
    assert "<PERSON" not in s and "x = 1" not in s and "Python loop" in s


def test_language_detection_on_a_few_scripts():
    assert detect_language("How do I fix my code?") == "en"
    assert detect_language("Comment puis-je réparer le code pour les tests?") == "fr"
    assert detect_language("Как мне исправить этот код?") == "ru"


def test_classifier_separates_quiz_forms_from_needs():
    assert classify_turns(["Which of the following is a statin? A) metformin B) atorvastatin C) aspirin D) none. "
                           "Answer with the letter."]).label == "quizzing"
    assert classify_turns(["Can I take ibuprofen with metformin? My doctor prescribed both."]).label == "asking"
    r = classify_turns(["Trivia: in which year did the French Revolution begin?"])
    assert r.label == "quizzing" and "exam_framing" in r.cues


def test_follow_up_that_grades_the_answer_marks_a_quiz_and_turn_shares_are_reported():
    quiz = classify_turns(["Who wrote Hamlet?", "Correct! And who wrote Faust?"])
    assert quiz.label == "quizzing" and "grades_answer" in quiz.cues
    turned = classify_turns(["Trivia: in which year did the French Revolution begin?",
                             "Thanks. Now please help me write my history essay, I'm stuck on the intro.",
                             "Can you make my intro shorter?"])
    assert 0 < turned.turn_share_quizzing < 1


def test_summary_skips_follow_ups_and_reads_upstream_placeholders_as_placeholders():
    s = request_summary(["continue", "Write a poem about NAME_1 and the sea."])
    assert s == "Write a poem about someone and the sea."
    assert "NAME" not in request_summary(["Tell NAME_2 a bedtime story"])
    assert request_summary(["продолжи", "Напиши письмо начальнику"]) == "Напиши письмо начальнику"
    assert request_summary(["continue"]) == "continue"  # nothing else: the follow-up is all there is

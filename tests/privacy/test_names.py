"""Person names through the real scrubber: every form a chat writes them in goes, and words that are not
people (technology, products, formats, colours, food, code, other languages) stay."""
from __future__ import annotations

from collections import Counter

import pytest

pytestmark = pytest.mark.slow

# (text, the name words that must be gone)
NAMES = [
    ("i'm mieszko kowalczyk, dob 03/14/1988, and i need help with a claim", ["mieszko", "kowalczyk"]),
    ("hi, this is tarquin oyelaran from accounting", ["tarquin", "oyelaran"]),
    ("MY NAME IS ZOLTANA MBEKI AND I NEED A REFUND", ["ZOLTANA", "MBEKI"]),
    ("I met uchenna szabo at the conference. Any tips for following up?", ["uchenna", "szabo"]),
    ("Please forward this to JOVANA PETROVIC before Friday.", ["JOVANA", "PETROVIC"]),
    ("hey niamh! quick question about escrow", ["niamh"]),
    ("Make this formal:\nDEAR RADOMIR UMAROV,\nthanks for the reply.", ["RADOMIR", "UMAROV"]),
    ("Shorter please:\n\nThe shipment is late.\n\nKind regards,\nGwenllian Achterberg", ["Gwenllian", "Achterberg"]),
    ("thanks,\n- fintan", ["fintan"]),
    ("Improve my resume:\n\nXIADANI KARLSSON\nSenior Data Analyst\nx.k@example.org | +1 (415) 293-5182",
     ["XIADANI", "KARLSSON"]),
    ("from: sofia vasquez <s.v@example.org>\nto: oskar urquhart\ncc: sven szczepanski\nsubject: q3",
     ["vasquez", "urquhart", "szczepanski"]),
    ("```python\n# author: perpetua hakimi\ndef add(a, b):\n    return a + b\n```", ["perpetua", "hakimi"]),
    ("```java\n/**\n * @author Ludovica Gallagher\n */\npublic class Cart {}\n```", ["Ludovica", "Gallagher"]),
    ("Attendees: Ann Okafor, Bogdan Lindqvist and Carla Moreno", ["Okafor", "Lindqvist", "Moreno"]),
    ('```json\n{"id": 611, "signed_by": "Mieszko Zielinski", "plan": "premium"}\n```', ["Mieszko", "Zielinski"]),
    ("```yaml\nmaintainer: Odalys Umarov\nversion: 1.4.2\n```", ["Odalys", "Umarov"]),
    ("id,full_name,email\n1,Thandiwe Zamora,t@example.org\n2,Jovana Jablonski,j@example.org",
     ["Thandiwe", "Zamora", "Jovana", "Jablonski"]),
    ("order=8812 status=shipped customer=Vesna Oyelaran retry=3", ["Vesna", "Oyelaran"]),
    ("| Name | Role |\n|---|---|\n| Kwame Lombardi | Engineer |\n| Hamid Pellegrini | Designer |",
     ["Kwame", "Lombardi", "Hamid", "Pellegrini"]),
    ("Jill: \"I'm Jane's daughter.\"", ["Jane"]),
]

# text that must come back unchanged
KEPT = [
    "Should I use Kafka or RabbitMQ for event streaming?",
    "How do I fine-tune a Whisper model on my own audio?",
    "Is reflection in Rust possible like in Java?",
    "```python\n# Create arithmetic operations\ndef add(a, b):\n    return a + b\n```",
    "Set the header Content-Type: application/json and the background to #FFFFFF.",
    "My Bolognese sauce is too sour, how do I fix it?",
    "Write a Python script that renames files.",
    'My package.json has {"name": "express-app", "version": "1.0.0"}',
    "def get_user(name: str) -> User:\n    return User(name=name, age=42)",
    "steps:\n  - name: Build and test\n    run: make test",
    "Hi team,\nthe release is on Friday.\n\nBest regards,\nThe Support Team",
    "Les défis éthiques et techniques sont encore nombreux.",
    "Dear Hiring Manager,\nI am applying for the analyst role.",
    "The Greeks brought horses to the archipelago, and a Jedi would agree.",
    # other languages, however short; group greetings; titles alone; dates; eponyms; headings
    "scrivi il titolo della favola sopra",
    "Hey fellow cartoon fans! Have you seen the new lineup?",
    "Dear Network Executives,\nWe would like to propose a change.",
    "I'll miss the old Saturday shows for sure.",
    'Thus says the Lord God: "Write it down."',
    "It premiered in late Jan-mid Feb and ran until June 2021.",
    "A positive Murphy's sign points to the gallbladder.",
    "Story prompt: a lighthouse keeper finds a map in a bottle.",
]


def test_when_a_given_name_is_part_of_a_place_then_it_is_replaced_as_a_place(scrubber):
    (out,) = scrubber.scrub_texts(["We moved from Los Angeles to San Francisco last year."])
    assert "<PERSON_" not in out and "Angeles" not in out and "Francisco" not in out, out
    assert out.count("<LOCATION_") == 2, out


@pytest.mark.parametrize("text,words", NAMES, ids=[t[:28] for t, _ in NAMES])
def test_when_a_name_is_written_in_any_form_then_it_is_gone(scrubber, text, words):
    (out,) = scrubber.scrub_texts([text])
    left = [w for w in words if w in out]
    assert not left, out


@pytest.mark.parametrize("text", KEPT, ids=[t[:28] for t in KEPT])
def test_when_words_are_not_people_then_they_stay(scrubber, text):
    (out,) = scrubber.scrub_texts([text])
    assert "<PERSON_" not in out, out
    assert "<LOCATION_" not in out, out


def test_when_the_user_names_someone_then_the_assistant_turn_loses_it_too(scrubber):
    from privacy.scrub import scrub_groups

    turns = ["my name is tarquin oyelaran, help me write a complaint",
             "Of course, Tarquin. Here is a draft signed by tarquin oyelaran."]
    [(_, out)] = list(scrub_groups([("c1", turns)], scrubber, Counter()))
    assert not any(w in t.lower() for t in out for w in ("tarquin", "oyelaran")), out
    assert out[1].count("<PERSON_") == 2


def test_when_a_user_names_themselves_once_then_their_other_conversations_lose_it(scrubber):
    from privacy.private import Turn as RawTurn
    from privacy.raw import RawConversation
    from privacy.scrub import ScrubStats, UserNames, rescrub_late, scrub_conversations

    def conv(i, text):
        return RawConversation(id=f"c{i}", user_id="u1", timestamp=None, turns=(RawTurn("user", text),), source="t")

    convs = [conv(1, "ask brynjolf fitzgerald to send the slides"), conv(2, "write a poem for my team"),
             conv(3, "My name is Brynjolf Fitzgerald and I run the team."),
             conv(4, "brynjolf again: format this table")]
    memory, stats = UserNames(), ScrubStats()
    out = list(scrub_conversations(convs, scrubber, b"k" * 32, stats, memory))
    out = list(rescrub_late(out, memory, stats.removed))
    text = " ".join(t.content for c in out for t in c.turns).lower()
    assert "brynjolf" not in text and "fitzgerald" not in text, text
    assert out[1].turns[0].content == "write a poem for my team"


def test_per_form_recall_on_a_seed_nobody_read(scrubber):
    """The per-form figure `bench/pii_eval.py` reports, on a generator seed the rules were not tuned on."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    from pii_eval import form_recall

    got = form_recall(scrubber, per_form=8, seed=7)
    assert got["recall"] >= 0.93, got
    assert got["decoys_kept"] == 1.0, got

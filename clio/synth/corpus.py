"""`clio synth`: a labelled synthetic corpus with planted fake PII and ground truth per conversation.

Corpus rows use the OpenAI `messages` format plus `user_id` and `timestamp`; labels go to a separate
file: {"id", "topic", "domain", "quiz_ask", "pii": [{"type", "value"}]}.
"""
from __future__ import annotations

import json
import random
import string
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from clio.synth.topics import ASSISTANT_REPLIES, TOPICS, Topic

FIRST = ["James", "Maria", "Robert", "Linda", "Ahmed", "Sofia", "Wei", "Olga", "Carlos", "Priya", "Daniel",
         "Emma", "Kwame", "Yuki", "Lucas", "Fatima", "Thomas", "Anna", "Mohammed", "Grace", "Ivan", "Chloe"]
LAST = ["Johnson", "Garcia", "Miller", "Nguyen", "Kowalski", "Okafor", "Schneider", "Tanaka", "Rossi", "Patel",
        "Anderson", "Dubois", "Hernandez", "Larsen", "Novak", "Fischer", "Moreau", "Kim", "Walsh", "Silva"]
STREETS = ["Maple", "Oak", "Cedar", "Elm", "Pine", "Willow", "Birch", "Chestnut", "Lakeview", "Hillcrest"]
SUFFIX = ["Street", "Avenue", "Road", "Lane", "Drive"]
CITIES = ["Springfield", "Riverside", "Fairview", "Georgetown", "Madison", "Clinton"]
DOMAINS = ["example.com", "mail.test", "inbox.example.org"]


@dataclass(frozen=True)
class SynthConfig:
    n: int = 1000
    seed: int = 0
    users: int | None = None  # distinct users; default n // 4
    quiz_share: float = 0.25
    pii_share: float = 0.5
    followup_share: float = 0.5
    long_chats: bool = False  # real-log length: long assistant turns with code blocks (clio/synth/long_chats.py)


def _luhn_card(rng: random.Random) -> str:
    digits = [4] + [rng.randrange(10) for _ in range(14)]
    total = 0
    for i, d in enumerate(reversed(digits)):
        d2 = d * 2 if i % 2 == 0 else d
        total += d2 - 9 if d2 > 9 else d2
    digits.append((10 - total % 10) % 10)
    s = "".join(map(str, digits))
    return " ".join(s[i : i + 4] for i in range(0, 16, 4))


def _pii(rng: random.Random) -> dict[str, str]:
    first, last = rng.choice(FIRST), rng.choice(LAST)
    return {
        "PERSON": f"{first} {last}",
        "EMAIL_ADDRESS": f"{first.lower()}.{last.lower()}{rng.randrange(10, 99)}@{rng.choice(DOMAINS)}",
        "PHONE_NUMBER": f"({rng.choice([212, 312, 415, 617, 718])}) {rng.randrange(200, 999)}-{rng.randrange(1000, 9999)}",
        "STREET_ADDRESS": f"{rng.randrange(10, 9999)} {rng.choice(STREETS)} {rng.choice(SUFFIX)}, {rng.choice(CITIES)}",
        "CREDIT_CARD": _luhn_card(rng),
        "US_SSN": f"{rng.randrange(101, 665)}-{rng.randrange(10, 99)}-{rng.randrange(1000, 9999)}",
        "MEDICAL_RECORD_NUMBER": "MRN " + "".join(rng.choice(string.digits) for _ in range(7)),
    }


PII_SENTENCES = {
    "PERSON": ("Hi, my name is {v}.", "This is {v} writing.", "I'm {v}, nice to meet you."),
    "EMAIL_ADDRESS": ("Please send the answer to {v} as well.", "My email is {v} if you need it."),
    "PHONE_NUMBER": ("You can call me at {v}.", "My phone number is {v}."),
    "STREET_ADDRESS": ("I live at {v}.", "My address is {v}."),
    "CREDIT_CARD": ("My card number is {v}, in case it matters.",),
    "US_SSN": ("My social security number is {v}.",),
    "MEDICAL_RECORD_NUMBER": ("My hospital record is {v}.",),
}


def _fill(template: str, topic: Topic, rng: random.Random, chosen: dict[str, str]) -> str:
    for key, values in topic.slots.items():
        if key not in chosen:
            chosen[key] = rng.choice(values)
    return template.format(**chosen)


def generate(config: SynthConfig):
    """Yield (record, label) pairs; deterministic for a seed."""
    rng = random.Random(config.seed)
    n_users = config.users or max(1, config.n // 4)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    for i in range(config.n):
        topic = TOPICS[i % len(TOPICS)] if i < len(TOPICS) else rng.choice(TOPICS)
        quiz = rng.random() < config.quiz_share
        chosen: dict[str, str] = {}
        first = _fill(rng.choice(topic.quiz if quiz else topic.ask), topic, rng, chosen)
        user_turns = [first]
        if rng.random() < config.followup_share:
            user_turns.append(_fill(rng.choice(topic.followups), topic, rng, chosen))
        planted = []
        values: dict[str, str] = {}
        if rng.random() < config.pii_share:
            values = _pii(rng)
            for kind in rng.sample(sorted(values), k=rng.randint(1, 3)):
                sentence = rng.choice(PII_SENTENCES[kind]).format(v=values[kind])
                turn = rng.randrange(len(user_turns))
                user_turns[turn] = (sentence + " " + user_turns[turn]) if rng.random() < 0.6 else (
                    user_turns[turn] + " " + sentence)
                planted.append({"type": kind, "value": values[kind]})
        messages = []
        for t in user_turns:
            messages.append({"role": "user", "content": t})
            messages.append({"role": "assistant", "content": rng.choice(ASSISTANT_REPLIES)})
        if config.long_chats:
            from clio.synth.long_chats import lengthen

            messages = lengthen(messages, rng, planted, values)
        cid = f"synth-{config.seed}-{i:06d}"
        ts = start + timedelta(minutes=rng.randrange(60 * 24 * 300))
        record = {"id": cid, "user_id": f"user{rng.randrange(n_users):05d}", "timestamp": ts.isoformat(),
                  "messages": messages}
        label = {"id": cid, "topic": topic.key, "domain": topic.domain,
                 "quiz_ask": "quizzing" if quiz else "asking", "pii": planted}
        yield record, label


def labels_path(out: Path) -> Path:
    """FILE.jsonl -> FILE.labels.jsonl (next to the corpus)."""
    out = Path(out)
    stem = out.name.removesuffix(".jsonl")
    return out.with_name(stem + ".labels.jsonl")


def write_corpus(out: Path, config: SynthConfig) -> tuple[Path, Path, int]:
    """Write the corpus and its labels file; returns (corpus, labels, n)."""
    from privacy.files import atomic_write_with

    pairs = list(generate(config))
    lab = labels_path(out)

    def write(idx):
        return lambda f: [f.write(json.dumps(p[idx], ensure_ascii=False) + "\n") for p in pairs]

    atomic_write_with(Path(out), write(0), mode="w")
    atomic_write_with(lab, write(1), mode="w")
    return Path(out), lab, len(pairs)

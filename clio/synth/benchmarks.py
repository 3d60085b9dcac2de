"""Small benchmark samples written by this project in the style of public benchmarks, for the demo."""
from __future__ import annotations

import json
import random
from pathlib import Path

MEDQUIZ = (
    (("A {age}-year-old presents with polyuria and polydipsia. Fasting glucose is {g} mg/dL. "
     "Which drug is first-line therapy?"), ["Metformin", "Insulin glargine", "Sitagliptin", "Glipizide"]),
    ("A {age}-year-old man has crushing chest pain radiating to the left arm. Which test should be done first?",
     ["Electrocardiogram", "Chest X-ray", "Troponin in 6 hours", "Echocardiogram"]),
    ("Which of the following is the mechanism of action of atorvastatin in a {age}-year-old patient?",
     ["HMG-CoA reductase inhibition", "Bile acid sequestration", "PCSK9 inhibition", "Niacin receptor agonism"]),
    ("A {age}-year-old woman on warfarin has an INR of {g}. Which food interaction is most relevant?",
     ["Leafy green vegetables", "Grapefruit juice", "Aged cheese", "Coffee"]),
)
MATHWORD = ("A baker sells {a} loaves a day at {b} dollars each. How many dollars does the baker make in a week?",
            "Tom has {a} marbles and gives {b} to each of his 3 friends. How many marbles are left?",
            "A train travels {a} miles in {b} hours. What is its average speed in miles per hour?",
            "A shirt costs {a} dollars and is discounted by {b} percent. What is the sale price?")
CODEFN = (('def sum_of_evens(numbers: list[int]) -> int:\n    """Return the sum of the even numbers in the list.\n'
          '    >>> sum_of_evens([{a}, {b}, 4])\n    """'),
          'def reverse_words(sentence: str) -> str:\n    """Reverse the order of words in a sentence.\n    """',
          'def is_palindrome(text: str) -> bool:\n    """Check whether text reads the same backwards ({a} chars max)."""',
          'def count_vowels(word: str) -> int:\n    """Count the vowels in word; assume at most {b} letters."""')
TRIVIA = ("In which year did the {event} begin?", "Who was the most influential leader of the {event}?",
          "What was the main economic cause of the {event}?")
EVENTS = ("French Revolution", "American Civil War", "Industrial Revolution", "Cold War", "Renaissance")


def benchmark_items(name: str, n: int, seed: int = 0) -> list[dict]:
    rng = random.Random(f"{name}-{seed}")
    out = []
    for i in range(n):
        a, b, age, g = rng.randint(3, 60), rng.randint(2, 9), rng.randint(25, 80), rng.randint(2, 300)
        if name == "medquiz":
            q, opts = rng.choice(MEDQUIZ)
            shuffled = rng.sample(opts, k=4)
            out.append({"question": q.format(age=age, g=g), "options": dict(zip("ABCD", shuffled)),
                        "answer": "ABCD"[shuffled.index(opts[0])]})
        elif name == "mathword":
            out.append({"question": rng.choice(MATHWORD).format(a=a, b=b)})
        elif name == "codefn":
            out.append({"prompt": rng.choice(CODEFN).format(a=a, b=b), "task_id": f"codefn/{i}"})
        elif name == "trivia":
            out.append({"question": rng.choice(TRIVIA).format(event=rng.choice(EVENTS))})
        else:
            raise ValueError(f"unknown demo benchmark {name!r}")
    return out


DEMO_BENCHMARKS = ("medquiz", "mathword", "codefn", "trivia")


def write_demo_benchmarks(folder: Path, n: int = 60, seed: int = 0) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name in DEMO_BENCHMARKS:
        p = folder / f"{name}.jsonl"
        p.write_text("".join(json.dumps(r) + "\n" for r in benchmark_items(name, n, seed)))
        paths[name] = p
    return paths


def pool_items(seed: int = 0, per_template: int = 10) -> list[dict]:
    """A public prompt pool written by this project for the demo: requests in the style of every synthetic topic
    (no personal data) and the multiple-choice medical quiz with its answer key."""
    import itertools
    import string

    from clio.synth.topics import TOPICS

    rng = random.Random(f"pool-{seed}")
    out, seen = [], set()
    for topic in TOPICS:
        for template in (*topic.ask, *topic.quiz):
            names = [f for _, f, _, _ in string.Formatter().parse(template) if f]
            values = [topic.slots.get(n, [""]) for n in dict.fromkeys(names)]
            combos = list(itertools.product(*values))
            rng.shuffle(combos)
            for combo in combos[:per_template]:
                text = template.format(**dict(zip(dict.fromkeys(names), combo))).replace("{{", "{").replace("}}", "}")
                if text not in seen:
                    seen.add(text)
                    out.append({"prompt": text, "topic": topic.key})
    for r in benchmark_items("medquiz", 60, seed + 1):
        if r["question"] not in seen:
            seen.add(r["question"])
            out.append(r)
    rng.shuffle(out)
    return out


def write_demo_pool(folder: Path, seed: int = 0) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    p = folder / "demo_pool.jsonl"
    p.write_text("".join(json.dumps(r) + "\n" for r in pool_items(seed)))
    return p

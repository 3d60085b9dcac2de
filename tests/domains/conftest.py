"""A small fake release/clusters.json and an offline embedder for the domains tests."""
from __future__ import annotations

import json

import pytest

from clio.embed.embedders import HashEmbedder
from domains.registry import get_taxonomy
from privacy.public import PublicClusters


def _cluster(**c) -> dict:
    """A released cluster as clusters.json holds it; the aggregates suite building does not read take defaults."""
    defaults = {"children": [], "languages": {"en": 1.0}, "mean_turns": 2.0, "mean_concern": 1.0, "x": 0.0, "y": 0.0}
    out = {**defaults, **c}
    order = ("id", "level", "parent", "children", "name", "description", "keywords", "exemplars", "conversations",
             "users", "share", "quizzing_share", "languages", "domains", "mean_turns", "mean_concern", "x", "y")
    return {k: out[k] for k in order}


# Base clusters b1-b3 use the words of medical task descriptions, so hashed uni/bigrams overlap;
# b4/b5 (coding, cooking) share none, so they fall outside the medical domain.
FAKE_RELEASE = {
    "schema": 1,
    "total_conversations": 1000,
    "unclustered_share": 0.0,
    "levels": ["base", "top"],
    "clusters": [
        _cluster(id="t1", level=1, parent=None, name="Medication side effects and interactions",
                 description="Users ask about the side effects of a medication and medicine interactions",
                 keywords=["medication"], exemplars=[], conversations=450, users=200, share=0.45,
                 quizzing_share=0.1, domains={"medical": 0.95}, children=["b1", "b2"]),
        _cluster(id="b1", level=0, parent="t1", name="Consumer medication questions",
                 description="Users ask questions about a medicine: its side effects, how to take it, plainly",
                 keywords=["medication", "side effects"],
                 exemplars=["What are the common side effects of metformin?",
                            "Is feeling dizzy a side effect of my new blood pressure medication?",
                            "My medication makes me nauseous, what should I do?"],
                 conversations=300, users=120, share=0.30, quizzing_share=0.1, domains={"medical": 0.9}),
        _cluster(id="b2", level=0, parent="t1", name="Check medication interactions",
                 description="Review a medication list for drug-drug interactions for the prescriber",
                 keywords=["ibuprofen", "interactions"],
                 exemplars=["Can I take ibuprofen with my blood pressure pills?",
                            "Is it safe to take vitamin D together with levothyroxine?"],
                 conversations=150, users=70, share=0.15, quizzing_share=0.0, domains={"medical": 0.9}),
        _cluster(id="b3", level=0, parent="t2", name="Explain insurance and medical bills",
                 description="Users ask to explain insurance coverage, claims and medical bills",
                 keywords=["insurance", "claims"], exemplars=[],
                 conversations=50, users=30, share=0.05, quizzing_share=None, domains={"medical": 0.6}),
        _cluster(id="b4", level=0, parent="t3", name="Python debugging help",
                 description="Developers paste a Python stack trace and want the failing function fixed",
                 keywords=["python", "traceback", "compiler"],
                 exemplars=["Why does my Python script raise KeyError here?"],
                 conversations=400, users=150, share=0.40, quizzing_share=0.0, domains={}),
        _cluster(id="b5", level=0, parent="t3", name="Weeknight pasta recipes",
                 description="People want quick pasta recipes with garlic and tomatoes",
                 keywords=["pasta", "recipes", "garlic"], exemplars=["Quick tomato pasta for four?"],
                 conversations=100, users=60, share=0.10, quizzing_share=0.0, domains={}),
    ],
}


@pytest.fixture
def fake_release():
    """A fresh deep copy, so a test may edit it freely."""
    return json.loads(json.dumps(FAKE_RELEASE))


@pytest.fixture
def release_path(tmp_path):
    path = tmp_path / "release" / "clusters.json"
    path.parent.mkdir()
    path.write_text(json.dumps(FAKE_RELEASE), encoding="utf-8")
    return path


@pytest.fixture
def clusters():
    """The released clusters as readers get them: through the public types."""
    return list(PublicClusters.from_json(FAKE_RELEASE).clusters)


@pytest.fixture
def released_strings():
    """Every string the fake release exposes; suite inputs may contain nothing else."""
    out = set()
    for c in FAKE_RELEASE["clusters"]:
        out.update([c["name"], c["description"], *c["exemplars"], *c["keywords"]])
    return out


@pytest.fixture
def embedder():
    # Wide enough that hash collisions between unrelated words stay far below min_similarity=0.3.
    return HashEmbedder(dim=4096)


@pytest.fixture(scope="session")
def medical():
    return get_taxonomy("medical")

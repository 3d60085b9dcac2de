"""Taxonomy YAML validation and the domain registry."""
from __future__ import annotations

import textwrap

import pytest

from domains.registry import DOMAINS, UnknownDomainError, get_taxonomy, known_domains
from domains.taxonomy import Category, Subcategory, Task, Taxonomy, TaxonomyError, load_taxonomy

MEDHELM_CATEGORIES = [
    "Clinical Decision Support",
    "Clinical Note Generation",
    "Patient Communication and Education",
    "Medical Research Assistance",
    "Administration and Workflow",
]

VALID = """
name: toy
title: Toy domain
source: written for tests
gate: {facet_domains: [medical], min_domain_share: 0.4, min_similarity: 0.3}
categories:
  - name: Care
    description: Looking after patients.
    rubric: [Is accurate.]
    subcategories:
      - name: Medicines
        description: Drugs and doses.
        tasks:
          - {name: Explain side effects, description: Say what a drug may do.}
"""


def write(tmp_path, text: str, name: str = "tax.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_bundled_medical_taxonomy_follows_medhelm_structure():
    tax = get_taxonomy("medical")
    assert tax.name == "medical"
    assert "MedHELM" in tax.source and "2505.23802" in tax.source
    assert [c.name for c in tax.categories] == MEDHELM_CATEGORIES
    subs = [s for c in tax.categories for s in c.subcategories]
    assert len(subs) == 22
    assert all(2 <= len(s.tasks) <= 4 for s in subs)
    every = [tax, *tax.categories, *subs, *(t for s in subs for t in s.tasks)]
    assert all(node.description for node in every[1:])


def test_nodes_yields_category_subcategory_task_triples_in_file_order():
    tax = get_taxonomy("medical")
    nodes = list(tax.nodes())
    assert len(nodes) == sum(len(s.tasks) for c in tax.categories for s in c.subcategories)
    c, s, t = nodes[0]
    assert isinstance(c, Category) and isinstance(s, Subcategory) and isinstance(t, Task)
    assert (c.name, s.name, t.name) == (
        "Clinical Decision Support", "Supporting Diagnostic Decisions", "Generate differential diagnoses")
    assert any(t.name == "Answer consumer medication questions" for _, _, t in nodes)


def test_valid_user_file_loads(tmp_path):
    tax = load_taxonomy(write(tmp_path, VALID))
    assert isinstance(tax, Taxonomy)
    assert [(c.name, s.name, t.name) for c, s, t in tax.nodes()] == [("Care", "Medicines", "Explain side effects")]


DUPLICATE_SUB = VALID + """\
      - name: medicines
        tasks: [{name: Dose a drug}]
"""
EMPTY_TASKS = VALID.replace(
    "        tasks:\n          - {name: Explain side effects, description: Say what a drug may do.}\n",
    "        tasks: []\n")
MISSING_TASKS = VALID.replace(
    "        tasks:\n          - {name: Explain side effects, description: Say what a drug may do.}\n",
                              "        tasks:\n")
DUPLICATE_TASK = VALID + "          - {name: Explain Side Effects}\n"
EMPTY_NAME = VALID.replace("name: Medicines", "name: '  '")
TYPO_FIELD = VALID.replace("subcategories:", "subcategory:")
BAD_SLUG = VALID.replace("name: toy", "name: Toy Domain")
NO_RUBRIC = VALID.replace("    rubric: [Is accurate.]\n", "")
NO_GATE = VALID.replace("gate: {facet_domains: [medical], min_domain_share: 0.4, min_similarity: 0.3}\n", "")
BAD_SHARE = VALID.replace("min_domain_share: 0.4", "min_domain_share: 4")


@pytest.mark.parametrize("text, field, problem", [
    (DUPLICATE_SUB, "categories[0] 'Care'.subcategories", "duplicate subcategory name 'medicines'"),
    (EMPTY_TASKS, "subcategories[0] 'Medicines'.tasks", "needs at least one task"),
    (MISSING_TASKS, "subcategories[0] 'Medicines'.tasks", "needs at least one task"),
    (DUPLICATE_TASK, ".tasks", "duplicate task name 'Explain Side Effects'"),
    (EMPTY_NAME, "subcategories[0].name", "name must not be empty"),
    (TYPO_FIELD, "categories[0] 'Care'.subcategory", "Extra inputs are not permitted"),
    (BAD_SLUG, "name", "lowercase slug"),
    (NO_RUBRIC, "categories", "task 'Explain side effects' has no rubric"),
    (NO_GATE, "gate", "Field required"),
    (BAD_SHARE, "gate.min_domain_share", "within 0..1"),
])
def test_when_taxonomy_invalid_then_error_names_file_field_and_problem(tmp_path, text, field, problem):
    path = write(tmp_path, text)
    with pytest.raises(TaxonomyError) as err:
        load_taxonomy(path)
    msg = str(err.value)
    assert str(path) in msg
    assert field in msg
    assert problem in msg


@pytest.mark.parametrize("text, problem", [
    ("name: [unclosed\n", "not valid YAML"),
    ("- just\n- a list\n", "expected a mapping"),
])
def test_when_file_is_not_a_taxonomy_mapping_then_clear_error(tmp_path, text, problem):
    path = write(tmp_path, text)
    with pytest.raises(TaxonomyError, match=problem) as err:
        load_taxonomy(path)
    assert str(path) in str(err.value)


def test_every_bundled_pack_validates_and_grades_every_task():
    for name in known_domains():
        tax = get_taxonomy(name)
        assert tax.gate.facet_domains
        assert all(tax.rubric(c.name, s.name, t.name) for c, s, t in tax.nodes())


def test_registry_is_explicit_and_points_at_existing_files():
    assert known_domains() == ["business", "education", "medical", "software"]
    assert all(p.is_file() for p in DOMAINS.values())


def test_get_taxonomy_accepts_a_user_yaml_path(tmp_path):
    path = write(tmp_path, VALID, "mine.yml")
    assert get_taxonomy(path).name == "toy"
    assert get_taxonomy(str(path)).name == "toy"


@pytest.mark.parametrize("name, problem", [
    ("legal", "unknown domain 'legal'; known domains: business, education, medical, software"),
    ("nowhere/missing.yaml", "taxonomy file not found"),
])
def test_when_domain_unknown_then_error_lists_known_domains(name, problem):
    with pytest.raises(UnknownDomainError, match=problem):
        get_taxonomy(name)

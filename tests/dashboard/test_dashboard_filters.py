"""Cross-page filters: whatever a client stores is parsed into a valid selection of released clusters."""
from __future__ import annotations

import pytest

from dashboard.filters import Filters, from_controls, options, parse_query


@pytest.mark.parametrize("stored, expected", [
    (None, Filters()),
    ("mode=quizzing", Filters()),
    ({"mode": "quizzing"}, Filters(mode="quizzing")),
    ({"mode": "<script>", "domain": 3, "language": ["en"], "level": "1"}, Filters()),
    ({"level": True}, Filters()),
    ({"level": -1}, Filters()),
    ({"level": 2, "domain": "medical", "language": "fr"}, Filters(level=2, domain="medical", language="fr")),
    ({"domain": "x" * 5000}, Filters(domain="x" * 200)),
])
def test_from_store_keeps_only_recognised_values(stored, expected):
    assert Filters.from_store(stored) == expected


def test_round_trip_through_the_store():
    f = Filters(mode="asking", domain="coding", language=None, level=0)
    assert Filters.from_store(f.to_store()) == f


@pytest.mark.parametrize("filters, expected_ids", [
    (Filters(), ["b3", "b5", "b7", "b9", "t1", "t2"]),
    (Filters(mode="quizzing"), ["b7", "b9", "t2"]),
    (Filters(mode="asking"), ["b3", "b5", "t1"]),
    (Filters(domain="medical"), ["b9"]),  # t2 is 16% medical: below the 30% bar
    (Filters(language="de"), ["b5"]),
    (Filters(level=1), ["t1", "t2"]),
    (Filters(mode="quizzing", level=0), ["b7", "b9"]),
    (Filters(domain="no-such-domain"), []),
])
def test_select_applies_every_filter(release, filters, expected_ids):
    assert sorted(c["id"] for c in filters.select(release.clusters)) == expected_ids


def test_default_level_applies_only_when_no_level_chosen(release):
    assert {c["level"] for c in Filters().select(release.clusters, default_level=0)} == {0}
    assert {c["level"] for c in Filters(level=1).select(release.clusters, default_level=0)} == {1}


def test_cluster_without_quizzing_share_matches_only_all():
    assert Filters().matches({"id": "x"}) and not Filters(mode="asking").matches({"id": "x"})


def test_options_come_from_the_release_most_common_first(release):
    opts = options(release)
    assert [o["value"] for o in opts["domain"]][:3] == ["", "coding", "education"]
    assert [o["value"] for o in opts["language"]] == ["", "en", "de", "fr"]
    assert [o["value"] for o in opts["level"]] == [-1, 0, 1]
    assert [o["value"] for o in opts["mode"]] == ["all", "asking", "quizzing"]


def test_options_list_every_level_of_a_three_level_release(three_level_release):
    assert [o["label"] for o in options(three_level_release)["level"]] == [
        "All levels", "0 · base", "1 · top", "2 · group"]


def test_controls_map_all_choices_to_no_filter():
    assert from_controls("all", "", "", -1) == Filters()
    assert from_controls("quizzing", "medical", "en", 0) == Filters("quizzing", "medical", "en", 0)
    described = Filters(mode="quizzing", domain="medical", level=0).describe()
    assert described == "mostly quizzing · domain medical · level 0"
    assert Filters(level=0).describe(with_level=False) == ""


@pytest.mark.parametrize("search, expected", [
    ("?q=python&c=b3", {"q": "python", "c": "b3"}), ("", {}), (None, {}), ("?q=" + "a" * 500, {"q": "a" * 200})])
def test_parse_query(search, expected):
    assert parse_query(search) == expected

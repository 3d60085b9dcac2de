"""The Dash app over HTTP: nav links in the layout, routing, callbacks that answer only from the release."""
from __future__ import annotations

import base64
import json
import re
import shutil

import pytest
from plotly.io.json import to_json_plotly

from dashboard.app import create_app, route
from tests.fakes.release import SCRIPT

PATHS = ["/", "/map", "/explorer", "/coverage", "/suites", "/audit"]
ALL_PATHS = PATHS + ["/cluster/b3", "/cluster/b7", "/cluster/nope"]


def _update(client, output: str, inputs: list, changed: str, state: list | None = None):
    """POST one callback exactly as the browser does (``output`` is ``"id.property"``)."""
    oid, prop = output.split(".")
    payload = {"output": output, "outputs": {"id": oid, "property": prop}, "inputs": inputs,
               "changedPropIds": [changed], "state": state or []}
    return client.post("/_dash-update-component", json=payload)


def _route(client, pathname: str, filters: dict | None = None, search: str = ""):
    inputs = [{"id": "url", "property": "pathname", "value": pathname},
              {"id": "url", "property": "search", "value": search},
              {"id": "filters", "property": "data", "value": filters},
              {"id": "theme", "property": "data", "value": "light"}]
    return _update(client, "page.children", inputs, "url.pathname")


def _download(client, path):
    bid = {"path": path, "type": "download"}
    inputs = [[{"id": bid, "property": "n_clicks", "value": 1}]]
    return _update(client, "download.data", inputs, json.dumps(bid, separators=(",", ":")) + ".n_clicks")


def test_index_and_layout_answer_200_with_a_plain_link_to_every_page(app):
    client = app.server.test_client()
    assert client.get("/").status_code == 200
    resp = client.get("/_dash-layout")
    assert resp.status_code == 200
    hrefs = re.findall(r'"href": "(/[a-z0-9_/-]*)"', resp.get_data(as_text=True))
    assert set(PATHS) <= set(hrefs)


def test_layout_has_the_filter_controls_and_stores(app):
    body = app.server.test_client().get("/_dash-layout").get_data(as_text=True)
    for component_id in ("f-mode", "f-domain", "f-language", "f-level", "f-reset", "filters", "theme", "download"):
        assert f'"id": "{component_id}"' in body


@pytest.mark.parametrize("pathname", ALL_PATHS + ["/clusters"])
def test_routing_each_path_returns_content(pathname, app, release_dir):
    assert "Page not found" not in to_json_plotly(route(pathname, release_dir))
    resp = _route(app.server.test_client(), pathname)
    assert resp.status_code == 200 and len(resp.data) > 500


def test_unknown_path_renders_not_found_page(app, release_dir):
    assert "Page not found" in to_json_plotly(route("/no/such/page", release_dir))
    assert _route(app.server.test_client(), "/no/such/page").status_code == 200


@pytest.mark.parametrize("cluster_id", ["nope", "b3%2F..%2F..", "%3Cscript%3E", "t1%00", "x" * 300])
def test_unreleased_cluster_ids_get_not_in_this_release_never_an_error(app, cluster_id):
    resp = _route(app.server.test_client(), f"/cluster/{cluster_id}")
    assert resp.status_code == 200
    assert "Not in this release" in resp.get_data(as_text=True)


@pytest.mark.parametrize("filters", [None, {}, {"mode": "bogus", "level": "x"}, {"domain": {"$ne": 1}},
                                     {"mode": "quizzing", "domain": "education", "language": "en", "level": 0}])
def test_router_accepts_any_filter_store_value(app, filters):
    for pathname in PATHS:
        assert _route(app.server.test_client(), pathname, filters).status_code == 200


def test_filters_change_what_the_router_returns(app):
    client = app.server.test_client()
    everything = _route(client, "/explorer").get_data(as_text=True)
    quizzing = _route(client, "/explorer", {"mode": "quizzing"}).get_data(as_text=True)
    assert "Python debugging help" in everything and "Python debugging help" not in quizzing
    assert "Filtered: " in quizzing


def test_search_in_the_url_narrows_the_explorer(app):
    body = _route(app.server.test_client(), "/explorer", search="?q=sql").get_data(as_text=True)
    assert "SQL query writing" in body and "Python debugging help" not in body


def test_download_sends_only_files_the_release_lists(app, release_dir):
    client = app.server.test_client()
    resp = _download(client, "suites/medical/suite.jsonl")
    assert resp.status_code == 200
    data = resp.get_json()["response"]["download"]["data"]
    assert data["filename"] == "medical-suite.jsonl"
    assert base64.b64decode(data["content"]) == (release_dir / "suites" / "medical" / "suite.jsonl").read_bytes()
    (release_dir.parent / "secret.txt").write_text("private")
    for forged in ("../secret.txt", "summary.json", "/etc/passwd", "suites/medical/../../../secret.txt", 7):
        resp = _download(client, forged)
        assert resp.status_code == 204 or "download" not in resp.get_json()["response"], forged


def test_when_release_missing_then_create_app_explains(tmp_path):
    with pytest.raises(FileNotFoundError, match="clio demo"):
        create_app(tmp_path / "release")


def test_when_release_removed_while_serving_then_pages_and_layout_explain(app, release_dir):
    shutil.rmtree(release_dir)
    assert "No release to show" in to_json_plotly(route("/", release_dir))
    assert app.server.test_client().get("/_dash-layout").status_code == 200


def _script_sites(node, component=None, prop=None, sites=None):
    """(component type, top-level prop) of every string holding the planted script."""
    sites = [] if sites is None else sites
    if isinstance(node, dict) and {"type", "namespace", "props"} <= node.keys():
        for key, value in node["props"].items():
            _script_sites(value, node["type"], key, sites)
    elif isinstance(node, dict):
        for value in node.values():
            _script_sites(value, component, prop, sites)
    elif isinstance(node, list):
        for value in node:
            _script_sites(value, component, prop, sites)
    elif isinstance(node, str) and SCRIPT in node:
        sites.append((component, prop))
    return sites


@pytest.mark.parametrize("pathname", ALL_PATHS)
def test_script_in_cluster_name_is_only_ever_a_text_string(pathname, app):
    body = _route(app.server.test_client(), pathname).get_data(as_text=True)
    assert "dangerously" not in body.lower() and '"type":"Markdown"' not in body.replace(" ", "")
    assert "<script" not in body  # escaped in the wire format
    tree = json.loads(body)["response"]["page"]["children"]
    sites = _script_sites(tree)
    assert all(prop in {"data", "figure", "children"} for _, prop in sites), sites
    assert all(comp in {"DataTable", "Graph"} or prop == "children" for comp, prop in sites), sites
    if pathname == "/explorer":
        assert ("DataTable", "data") in sites
        assert "&lt;script&gt;" in json.dumps(tree)  # the treemap label, entity-escaped for plotly

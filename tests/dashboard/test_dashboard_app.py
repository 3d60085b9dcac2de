"""The Dash app: HTTP endpoints, nav links in the initial layout, routing, and safe text rendering."""
from __future__ import annotations

import json
import re
import shutil

import pytest
from plotly.io.json import to_json_plotly

from dashboard.app import create_app, route

PATHS = ["/", "/clusters", "/coverage", "/audit"]
SCRIPT = "<script>alert(1)</script>"


def _update(client, pathname: str):
    """POST the routing callback exactly as the browser does."""
    payload = {"output": "page.children", "outputs": {"id": "page", "property": "children"},
               "inputs": [{"id": "url", "property": "pathname", "value": pathname}],
               "changedPropIds": ["url.pathname"], "state": []}
    return client.post("/_dash-update-component", json=payload)


def test_index_and_layout_answer_200_with_the_four_page_links(app):
    client = app.server.test_client()
    assert client.get("/").status_code == 200
    resp = client.get("/_dash-layout")
    assert resp.status_code == 200
    hrefs = re.findall(r'"href": "(/[^"]*)"', resp.get_data(as_text=True))
    assert set(PATHS) <= set(hrefs)


@pytest.mark.parametrize("pathname", PATHS)
def test_routing_each_path_returns_content(pathname, app, release_dir):
    assert route(pathname, release_dir) is not None
    callback = app.callback_map["page.children"]["callback"]
    content = getattr(callback, "__wrapped__", callback)(pathname)
    assert "Page not found" not in to_json_plotly(content)
    resp = _update(app.server.test_client(), pathname)
    assert resp.status_code == 200 and len(resp.data) > 500


def test_unknown_path_renders_not_found_page(app, release_dir):
    assert "Page not found" in to_json_plotly(route("/no/such/page", release_dir))
    assert _update(app.server.test_client(), "/no/such/page").status_code == 200


def test_when_release_missing_then_create_app_explains(tmp_path):
    with pytest.raises(FileNotFoundError, match="clio demo"):
        create_app(tmp_path / "release")


def test_when_release_removed_while_serving_then_page_explains(app, release_dir):
    shutil.rmtree(release_dir)
    assert "No release to show" in json.loads(to_json_plotly(route("/", release_dir)))["props"]["children"][0][
        "props"]["children"]


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


@pytest.mark.parametrize("pathname", PATHS)
def test_script_in_cluster_name_is_only_ever_a_text_string(pathname, app):
    body = _update(app.server.test_client(), pathname).get_data(as_text=True)
    assert "dangerously" not in body.lower() and '"type":"Markdown"' not in body.replace(" ", "")
    assert "<script" not in body  # escaped in the wire format
    tree = json.loads(body)["response"]["page"]["children"]
    allowed = {"data", "figure", "children"}
    sites = _script_sites(tree)
    assert all(prop in allowed for _, prop in sites), sites
    assert all(comp in {"DataTable", "Graph"} or prop == "children" for comp, prop in sites), sites
    if pathname == "/clusters":
        assert ("DataTable", "data") in sites
        assert "&lt;script&gt;" in json.dumps(tree)  # the treemap label, entity-escaped for plotly

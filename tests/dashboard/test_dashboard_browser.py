"""The dashboard in a real browser (system Chromium via Playwright) against a fake release.

Each page loads without console errors, a map click opens its cluster, filters change figures, CSV and
suite downloads work, the XSS canaries never run, auth refuses unauthenticated requests on every route,
and every page is screenshotted (laptop and phone width) under ``test-artifacts/dashboard/``.
"""
from __future__ import annotations

import base64
import contextlib
import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from dashboard.app import create_app
from tests.fakes.release import JS_URL, SCRIPT, release_docs, write_release

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip(f"browser tests skipped: no Chromium at {CHROMIUM} (`make test` installs it when run as root: "
                "apt-get install -y chromium)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="browser tests need `pip install playwright`")

pytestmark = pytest.mark.slow
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "dashboard"
PAGES = {"overview": "/", "map": "/map", "explorer": "/explorer", "coverage": "/coverage", "suites": "/suites",
         "audit": "/audit", "cluster": "/cluster/b9", "cluster-canary": "/cluster/b7", "cluster-unknown": "/cluster/zz"}
USERS = {"alice": "s3cret"}
READY = ("!document.querySelector('[data-dash-is-loading=\"true\"]') && [...document.querySelectorAll('.dash-graph')]"
         ".every(g => { const p = g.querySelector('.js-plotly-plot'); return p && p._fullLayout; })")
COLOURS = ("[getComputedStyle(document.body).backgroundColor,"
           " document.querySelector('#cluster-map .js-plotly-plot')._fullLayout.font.color]")
POINTS = ("(() => { const g = document.querySelector('#cluster-map .js-plotly-plot');"
          " return g && g.data ? g.data.reduce((n, t) => n + t.x.length, 0) : -1; })()")


@contextlib.contextmanager
def _serving(app):
    """Serve a Dash app on a free loopback port in a background thread."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(5)


@pytest.fixture(scope="module")
def release_root(tmp_path_factory) -> Path:
    return write_release(tmp_path_factory.mktemp("browser") / "ws" / "release", release_docs())


@pytest.fixture(scope="module")
def base_url(release_root):
    with _serving(create_app(release_root)) as url:
        yield url


@pytest.fixture(scope="module")
def protected_url(release_root):
    with _serving(create_app(release_root, users=USERS)) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


def wait_js(page, expression: str, timeout: float = 15_000) -> None:
    """Poll a JavaScript expression from here until it is truthy. The dashboard's Content-Security-Policy forbids
    eval in the page, which Playwright's own wait_for_function uses; page.evaluate goes through DevTools instead."""
    deadline = time.monotonic() + timeout / 1000
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise TimeoutError(f"waited {timeout / 1000:.0f} s for: {expression[:120]}")
        page.wait_for_timeout(100)


class Watched:
    """A page plus everything it reported: console errors, uncaught exceptions, dialogs (alert/confirm)."""

    def __init__(self, context):
        self.context = context
        self.page = context.new_page()
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))

    def open(self, url: str, ready: str = "#page .page") -> None:
        """Go to ``url`` and wait until ``ready`` exists, no callback is pending and every graph is drawn."""
        self.page.goto(url)
        self.page.wait_for_selector(ready, timeout=15_000)
        wait_js(self.page, READY, timeout=15_000)

    def assert_clean(self) -> None:
        assert self.errors == [], self.errors
        assert self.dialogs == [], self.dialogs
        assert self.page.evaluate("typeof window.__xss") == "undefined"


@pytest.fixture
def watched(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, accept_downloads=True)
    yield Watched(context)
    context.close()


def test_each_page_loads_clean_and_is_screenshotted(browser, base_url, capsys):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shots = []
    for width, scheme in ((1366, "light"), (390, "dark")):
        context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
        w = Watched(context)
        for name, path in PAGES.items():
            w.open(base_url + path)
            w.page.wait_for_timeout(150)  # let plotly finish its transitions before the screenshot
            assert "Page not found" not in w.page.inner_text("#page")
            if width < 500:  # phone width: nothing scrolls sideways
                assert w.page.evaluate("document.documentElement.scrollWidth") <= width + 1, name
            shot = ARTIFACTS / f"{name}-{width}-{scheme}.png"
            w.page.screenshot(path=str(shot), full_page=True)
            shots.append(shot)
        w.assert_clean()
        context.close()
    with capsys.disabled():
        print("\ndashboard screenshots:\n  " + "\n  ".join(str(s) for s in shots))
    assert all(s.stat().st_size > 10_000 for s in shots)


def test_click_on_a_map_marker_opens_its_cluster(watched, base_url):
    page = watched.page
    watched.open(base_url + "/map", "#cluster-map .scatterlayer .point")
    ids = page.evaluate("document.querySelector('#cluster-map .js-plotly-plot').data[0].customdata.map(r => r[0])")
    point = page.locator("#cluster-map .scatterlayer .point").nth(1)
    box = point.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.wait_for_selector(".hoverlayer .hovertext")
    assert "Conversations about" in page.locator(".hoverlayer").text_content()  # hover shows the description
    page.mouse.click(x, y)
    page.wait_for_url(f"**/cluster/{ids[1]}")
    wait_js(page, "document.querySelector('#page h1') && document.querySelector('#page h1')"
                           ".textContent === 'SQL query writing'")
    watched.assert_clean()


def test_filters_change_the_figures_on_every_page_they_apply_to(watched, base_url):
    page = watched.page
    watched.open(base_url + "/map", "#cluster-map .scatterlayer .point")
    assert page.evaluate(POINTS) == 4
    page.get_by_text("Mostly quizzing", exact=True).click()
    wait_js(page, f"{POINTS} === 2")
    page.click("#f-domain")
    page.get_by_role("option", name="medical", exact=True).click()
    wait_js(page, f"{POINTS} === 1")
    page.get_by_role("link", name="Explorer").click()  # filters persist across pages
    page.wait_for_selector("#explorer-table")
    assert "domain medical" in page.inner_text(".filter-note")
    assert page.locator("#explorer-table td[data-dash-column=name]").all_inner_texts() == [JS_URL]
    page.click("#f-reset")
    wait_js(page, "document.querySelectorAll('#explorer-table td[data-dash-column=name]').length === 6")
    page.get_by_role("link", name="Map").click()
    wait_js(page, f"{POINTS} === 4")
    page.get_by_text("Top-level category", exact=True).click()
    wait_js(page, "document.querySelector('#cluster-map .js-plotly-plot').data.length === 2")
    watched.assert_clean()


def test_explorer_search_and_benchmark_selection_update_the_page(watched, base_url):
    page = watched.page
    watched.open(base_url + "/explorer", "#explorer-table")
    page.fill("#explorer-search", "sql")
    wait_js(page, "document.querySelectorAll('#explorer-table td[data-dash-column=name]').length === 1")
    page.locator("#explorer-table td[data-dash-column=name]").first.click()
    page.wait_for_url("**/cluster/b5")
    page.goto(base_url + "/coverage")
    page.wait_for_selector("#coverage-cluster-table")
    header = "[...document.querySelectorAll('#coverage-cluster-table th')].map(e => e.textContent).join('|')"
    assert "humaneval" in page.evaluate(header)
    page.locator("#coverage-benchmarks").get_by_text("humaneval").click()
    wait_js(page, f"!({header}).includes('humaneval')")
    watched.assert_clean()


def test_csv_export_and_suite_download_work(watched, base_url, release_root):
    page = watched.page
    watched.open(base_url + "/explorer", "#explorer-table")
    with page.expect_download() as download:
        page.locator("#explorer-table button.export").click()
    csv = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert csv.splitlines()[0].startswith("Cluster,Level,Parent,Conversations")
    assert "Python debugging help" in csv and SCRIPT in csv
    page.goto(base_url + "/suites")
    page.wait_for_selector("#suite-preview")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download suite.jsonl").click()
    assert download.value.suggested_filename == "medical-suite.jsonl"
    assert Path(download.value.path()).read_bytes() == (release_root / "suites/medical/suite.jsonl").read_bytes()
    watched.assert_clean()


def test_suites_and_coverage_pages_show_the_new_artifacts_in_the_browser(watched, base_url):
    page = watched.page
    watched.open(base_url + "/suites", "#suite-preview")
    cells = "[...document.querySelectorAll('#suite-preview td[data-dash-column=COL]')].map(e => e.textContent)"
    assert set(page.evaluate(cells.replace("COL", "source"))) == {"release", "pool", "llm"}
    assert any(t.startswith("answer: A of A) 5 mg") for t in page.evaluate(cells.replace("COL", "criteria")))
    left = page.locator("#suite-left-out td[data-dash-column=c0]").all_inner_texts()
    assert left == ["SQL query writing", SCRIPT]  # the canary is shown as text
    assert page.locator("#suite-clusters td[data-dash-column=short]").all_inner_texts() == ["1", "0"]
    watched.open(base_url + "/coverage", "#coverage-realism .js-plotly-plot")
    bars = page.evaluate("document.querySelector('#coverage-realism .js-plotly-plot').data[0]")
    assert bars["x"] == ["mmlu", "humaneval"] and bars["error_y"]["array"]
    text = page.inner_text("#coverage-benchmarks-table")
    assert "0.69 [0.62, 0.75]" in text and "0.480 [0.440, 0.530]" in text
    assert "Usage 95% interval" in page.inner_text("#coverage-category-table")
    watched.assert_clean()


def test_xss_canaries_are_shown_as_text_and_never_run(watched, base_url):
    page = watched.page
    watched.open(base_url + "/cluster/b7")
    assert page.inner_text("#page h1") == SCRIPT
    page.goto(base_url + "/explorer?q=javascript")
    page.wait_for_selector("#explorer-table")
    page.get_by_role("link", name=JS_URL).first.click()  # a link whose text is the canary: a site path
    page.wait_for_url("**/cluster/b9")
    assert page.evaluate("[...document.querySelectorAll('a')].every(a => !a.href.startsWith('javascript'))")
    page.goto(base_url + "/map")
    page.wait_for_selector("#cluster-map .scatterlayer .point")
    for i in range(4):  # hover every marker, canaries included
        box = page.locator("#cluster-map .scatterlayer .point").nth(i).bounding_box()
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.wait_for_timeout(100)
    watched.assert_clean()


def test_theme_follows_the_system_setting(browser, base_url):
    colours = {}
    for scheme in ("light", "dark"):
        context = browser.new_context(color_scheme=scheme)
        w = Watched(context)
        w.open(base_url + "/map", "#cluster-map .scatterlayer .point")
        wait_js(w.page, "document.querySelector('#cluster-map .js-plotly-plot')._fullLayout")
        colours[scheme] = w.page.evaluate(COLOURS)
        if scheme == "light":  # a system switch while the page is open restyles the figures too
            w.page.emulate_media(color_scheme="dark")
            wait_js(w.page, f"{COLOURS}[1] !== {json.dumps(colours['light'][1])}", timeout=5000)
            colours["switched"] = w.page.evaluate(COLOURS)
        w.assert_clean()
        context.close()
    assert colours["light"][0] != colours["dark"][0] and colours["light"][1] != colours["dark"][1]
    assert colours["switched"] == colours["dark"]


def _status(url: str, method: str = "GET", headers: dict | None = None, data: bytes | None = None) -> int:
    request = urllib.request.Request(url, method=method, headers=headers or {}, data=data)
    try:
        with urllib.request.urlopen(request, timeout=10) as resp:
            return resp.status
    except urllib.error.HTTPError as e:
        return e.code


def test_with_auth_on_every_route_refuses_unauthenticated_requests(protected_url, browser):
    body = (b'{"output":"page.children","outputs":{"id":"page","property":"children"},"inputs":[{"id":"url",'
            b'"property":"pathname","value":"/"}],"changedPropIds":["url.pathname"],"state":[]}')
    json_header = {"Content-Type": "application/json"}
    good = {"Authorization": "Basic " + base64.b64encode(b"alice:s3cret").decode()}
    routes = [("GET", "/", None), ("GET", "/audit", None), ("GET", "/_dash-layout", None),
              ("GET", "/_dash-dependencies", None), ("POST", "/_dash-update-component", body),
              ("GET", "/assets/style.css", None)]
    for method, path, data in routes:
        assert _status(protected_url + path, method, json_header, data) == 401, path
    for method, path, data in routes[:4] + routes[5:]:
        assert _status(protected_url + path, method, {**json_header, **good}, data) == 200, path
    context = browser.new_context()
    try:  # headless Chromium turns an unanswerable auth challenge into a navigation error
        assert context.new_page().goto(protected_url + "/").status == 401
    except sync_api.Error as e:
        assert "ERR_INVALID_AUTH_CREDENTIALS" in str(e)
    context.close()
    context = browser.new_context(http_credentials={"username": "alice", "password": "s3cret"})
    w = Watched(context)
    w.open(protected_url + "/map", "#cluster-map .scatterlayer .point")  # callbacks ran with credentials
    w.assert_clean()
    context.close()


def _fetch(url: str, method: str = "GET", headers: dict | None = None, data: bytes | None = None):
    """(status, headers) of one request."""
    request = urllib.request.Request(url, method=method, headers=headers or {}, data=data)
    try:
        with urllib.request.urlopen(request, timeout=10) as resp:
            return resp.status, resp.headers
    except urllib.error.HTTPError as e:
        return e.code, e.headers


def _hardened(headers) -> bool:
    csp = headers.get("Content-Security-Policy", "")
    return ("frame-ancestors 'none'" in csp and headers.get("X-Frame-Options") == "DENY"
            and headers.get("X-Content-Type-Options") == "nosniff" and headers.get("Server") is None)


@pytest.fixture(scope="module")
def service(release_root, tmp_path_factory):
    """`clio dashboard` itself, as an operator runs it (waitress, a users file), on a free loopback port."""
    import socket
    import subprocess

    from tests.fakes.procs import child_env, clio_command

    users = tmp_path_factory.mktemp("service") / "users.txt"
    users.write_text("# who may read the release\nalice:s3cret\n")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([*clio_command(), "dashboard", "--workspace", str(release_root.parent), "--port",
                             str(port), "--users-file", str(users)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=child_env())
    try:
        announced = proc.stdout.readline()
        assert announced.startswith(f"dashboard on http://127.0.0.1:{port}/ "), announced + proc.stderr.read()
        url = f"http://127.0.0.1:{port}"
        for _ in range(300):  # the URL is announced just before waitress binds
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
                break
            time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        proc.communicate(timeout=20)


def test_the_service_refuses_every_route_and_callback_without_credentials_and_serves_them_with(service, browser):
    good = {"Authorization": "Basic " + base64.b64encode(b"alice:s3cret").decode()}
    status, _ = _fetch(service + "/_dash-dependencies", headers=good)
    assert status == 200
    with urllib.request.urlopen(urllib.request.Request(service + "/_dash-dependencies", headers=good)) as resp:
        callbacks = [c for c in json.loads(resp.read()) if not c.get("clientside_function")]
    assert len(callbacks) >= 5
    # without credentials: every page, Dash route and server callback answers 401, hardened and without a banner
    paths = [*PAGES.values(), "/_dash-layout", "/_dash-dependencies", "/assets/style.css", "/_favicon.ico"]
    for path in paths:
        status, headers = _fetch(service + path)
        assert status == 401 and _hardened(headers), (path, status, dict(headers))
    for cb in callbacks:
        body = json.dumps({"output": cb["output"], "inputs": [{**i, "value": None} for i in cb["inputs"]],
                           "changedPropIds": [], "state": [{**s, "value": None} for s in cb.get("state", [])]})
        status, headers = _fetch(service + "/_dash-update-component", "POST",
                                 {"Content-Type": "application/json"}, body.encode())
        assert status == 401 and _hardened(headers), (cb["output"], status)
    context = browser.new_context()
    page = context.new_page()
    for path in PAGES.values():
        try:  # headless Chromium turns an unanswerable auth challenge into a navigation error
            assert page.goto(service + path).status == 401
        except sync_api.Error as e:
            assert "ERR_INVALID_AUTH_CREDENTIALS" in str(e)
    context.close()
    # with credentials, in the browser: every page renders clean under the CSP (a violation is a console error),
    # and every callback the pages fire is answered
    context = browser.new_context(http_credentials={"username": "alice", "password": "s3cret"})
    w = Watched(context)
    answers: list[tuple[str, int, dict]] = []
    w.page.on("response", lambda r: answers.append((r.url, r.status, r.headers)))
    for path in PAGES.values():
        w.open(service + path)
        assert "Page not found" not in w.page.inner_text("#page")
    w.assert_clean()
    context.close()
    fired = [(u, s) for u, s, _ in answers if urllib.parse.urlsplit(u).path == "/_dash-update-component"]
    assert len(fired) >= len(PAGES) and all(s in (200, 204) for _, s in fired), fired
    assert all(s < 400 and "server" not in h and "frame-ancestors 'none'" in h.get("content-security-policy", "")
               for u, s, h in answers if u.startswith(service)), [(u, s) for u, s, _ in answers if s >= 400]

"""Optional basic auth covers every route; serving beyond loopback needs auth unless insecure=True."""
from __future__ import annotations

import base64

import pytest
from werkzeug.security import generate_password_hash

from dashboard import auth
from dashboard.app import create_app, serve

USERS = {"alice": "s3cret", "bob": "pw:with:colons"}


def _basic(user: str, password: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}


def _routes(client) -> dict[str, object]:
    """One request of each kind: page, layout, dependencies, callback, asset, component bundle, favicon."""
    payload = {"output": "page.children", "outputs": {"id": "page", "property": "children"},
               "inputs": [{"id": "url", "property": "pathname", "value": "/"},
                          {"id": "url", "property": "search", "value": ""},
                          {"id": "filters", "property": "data", "value": None},
                          {"id": "theme", "property": "data", "value": "light"}],
               "changedPropIds": ["url.pathname"], "state": []}
    return {
        "/": lambda h: client.get("/", headers=h),
        "/cluster/b3": lambda h: client.get("/cluster/b3", headers=h),
        "/_dash-layout": lambda h: client.get("/_dash-layout", headers=h),
        "/_dash-dependencies": lambda h: client.get("/_dash-dependencies", headers=h),
        "/_dash-update-component": lambda h: client.post("/_dash-update-component", json=payload, headers=h),
        "/_dash-update-component (not json)": lambda h: client.post("/_dash-update-component", data="x", headers=h),
        "/_dash-update-component (json list)": lambda h: client.post("/_dash-update-component", json=[1], headers=h),
        "/assets/style.css": lambda h: client.get("/assets/style.css", headers=h),
        "/_favicon.ico": lambda h: client.get("/_favicon.ico", headers=h),
    }


@pytest.fixture
def protected(release_dir):
    return create_app(release_dir, users=USERS)


@pytest.mark.parametrize("route", list(_routes(None)))
@pytest.mark.parametrize("headers", [
    {}, _basic("alice", "wrong"), _basic("mallory", "s3cret"), {"Authorization": "Basic !!!notbase64"},
    {"Authorization": "Bearer abc"}, {"Authorization": "Basic " + base64.b64encode(b"\xff\xfe").decode()},
    {"Authorization": "Basic " + base64.b64encode(b"no-colon").decode()}])
def test_without_valid_credentials_every_route_answers_401(protected, route, headers):
    resp = _routes(protected.server.test_client())[route](headers)
    assert resp.status_code == 401
    assert resp.headers["WWW-Authenticate"].startswith("Basic ")
    assert b"Programming" not in resp.data


@pytest.mark.parametrize("route", ["/", "/_dash-layout", "/_dash-dependencies", "/_dash-update-component",
                                   "/assets/style.css"])
@pytest.mark.parametrize("user", list(USERS))
def test_with_valid_credentials_routes_answer(protected, route, user):
    resp = _routes(protected.server.test_client())[route](_basic(user, USERS[user]))
    assert resp.status_code == 200


def test_component_bundles_need_credentials_too(protected):
    client = protected.server.test_client()
    index = client.get("/", headers=_basic("alice", "s3cret")).get_data(as_text=True)
    bundle = next(src for src in __import__("re").findall(r'src="([^"]+)"', index) if "_dash-component-suites" in src)
    assert client.get(bundle).status_code == 401
    assert client.get(bundle, headers=_basic("alice", "s3cret")).status_code == 200


def test_hashed_passwords_in_a_users_file_work(release_dir, tmp_path):
    users_file = tmp_path / "users.txt"
    users_file.write_text(f"# dashboard users\ncarol:{generate_password_hash('open sesame')}\n\ndave:plain,pw\n")
    users = auth.load_users_file(users_file)
    client = create_app(release_dir, users=users).server.test_client()
    assert client.get("/_dash-layout", headers=_basic("carol", "open sesame")).status_code == 200
    assert client.get("/_dash-layout", headers=_basic("carol", users["carol"])).status_code == 401
    assert client.get("/_dash-layout", headers=_basic("dave", "plain,pw")).status_code == 200


def test_without_users_nothing_asks_for_credentials(app):
    assert app.server.test_client().get("/_dash-layout").status_code == 200


@pytest.mark.parametrize("text, expected", [
    ("alice:pw,bob:pw2", {"alice": "pw", "bob": "pw2"}),
    (" alice:pw , ,bob:a:b ", {"alice": "pw", "bob": "a:b"}),
    ("", {}),
])
def test_parse_users(text, expected):
    assert auth.parse_users(text) == expected


@pytest.mark.parametrize("text", ["alice", "alice:", ":pw", "alice:pw,bob"])
def test_parse_users_rejects_malformed_entries_without_echoing_them(text):
    with pytest.raises(ValueError) as err:
        auth.parse_users(text)
    assert "pw" not in str(err.value) and "alice" not in str(err.value)


def test_users_from_env_prefers_the_variable_then_the_file(tmp_path):
    f = tmp_path / "u.txt"
    f.write_text("erin:x\n")
    assert auth.users_from_env({auth.ENV_USERS: "a:b"}) == {"a": "b"}
    assert auth.users_from_env({auth.ENV_USERS_FILE: str(f)}) == {"erin": "x"}
    assert auth.users_from_env({}) is None


@pytest.mark.parametrize("host, loopback", [("127.0.0.1", True), ("127.0.0.2", True), ("::1", True),
                                            ("[::1]", True), ("localhost", True), ("0.0.0.0", False),
                                            ("::", False), ("192.168.1.5", False), ("example.com", False)])
def test_is_loopback(host, loopback):
    assert auth.is_loopback(host) is loopback


@pytest.mark.parametrize("host", ["0.0.0.0", "10.0.0.8", "::"])
def test_serve_refuses_a_public_address_without_auth(release_dir, host, monkeypatch):
    monkeypatch.delenv(auth.ENV_USERS, raising=False)
    monkeypatch.delenv(auth.ENV_USERS_FILE, raising=False)
    with pytest.raises(auth.InsecureBindError, match="CLIO_DASHBOARD_USERS"):
        serve(release_dir.parent, host=host, port=1)


def test_serve_refuses_the_debugger_on_a_public_address_even_with_auth(release_dir):
    with pytest.raises(auth.InsecureBindError, match="debugger"):
        serve(release_dir.parent, host="0.0.0.0", port=1, debug=True, users=USERS)


@pytest.mark.parametrize("kwargs", [{"users": USERS}, {"insecure": True}, {"users_file": "FILE"}, {"env": True}])
def test_serve_binds_a_public_address_with_auth_or_when_insecure(release_dir, tmp_path, monkeypatch, kwargs):
    calls = []
    monkeypatch.setattr("waitress.serve", lambda app, **kw: calls.append((app, kw)))
    monkeypatch.delenv(auth.ENV_USERS, raising=False)
    if kwargs.pop("env", False):
        monkeypatch.setenv(auth.ENV_USERS, "alice:s3cret")
    if kwargs.get("users_file"):
        kwargs["users_file"] = tmp_path / "u.txt"
        kwargs["users_file"].write_text("alice:s3cret\n")
    serve(release_dir.parent, host="0.0.0.0", port=1, say=lambda s: None, **kwargs)
    (server, run_kwargs), = calls
    assert run_kwargs["host"] == "0.0.0.0"
    expected = 200 if kwargs.get("insecure") else 401
    assert server.test_client().get("/_dash-layout").status_code == expected


def test_serve_defaults_to_loopback_with_waitress_and_no_server_banner(release_dir, monkeypatch):
    calls, said = [], []
    monkeypatch.setattr("waitress.serve", lambda app, **kw: calls.append(kw))
    monkeypatch.delenv(auth.ENV_USERS, raising=False)
    monkeypatch.delenv(auth.ENV_USERS_FILE, raising=False)
    serve(release_dir.parent, say=said.append)
    (kw,) = calls
    assert (kw["host"], kw["port"], kw["ident"]) == ("127.0.0.1", 8050, "")
    assert said == [f"dashboard on http://127.0.0.1:8050/ (reads {release_dir} only)"]


@pytest.mark.parametrize("route", ["/", "/_dash-layout", "/assets/style.css", "/cluster/nope", "/no-such-route"])
@pytest.mark.parametrize("creds", [None, ("alice", "s3cret"), ("alice", "wrong")])
def test_every_response_carries_the_security_headers_and_no_server_banner(protected, route, creds):
    client = protected.server.test_client()
    resp = client.get(route, headers=_basic(*creds) if creds else {})
    assert resp.headers["X-Frame-Options"] == "DENY"
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    csp = resp.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp and "''" not in csp
    assert "'unsafe-inline'" not in \
        csp.split("script-src")[1].split(";")[0]
    assert "Server" not in resp.headers


def test_failed_logins_are_limited_per_client_and_the_limit_lifts(release_dir):
    now = [1000.0]
    limiter = auth.AttemptLimiter(max_failures=5, window=60, clock=lambda: now[0])
    app = create_app(release_dir)
    auth.protect(app, USERS, limiter)
    client = app.server.test_client()
    codes = [client.get("/_dash-layout", headers=_basic("alice", f"guess{i}")).status_code for i in range(30)]
    assert codes[:5] == [401] * 5 and set(codes[5:]) == {429}
    locked = client.get("/_dash-layout", headers=_basic("alice", "s3cret"))  # the right password waits too
    assert locked.status_code == 429 and int(locked.headers["Retry-After"]) > 0
    other = client.get("/_dash-layout", headers=_basic("alice", "s3cret"), environ_base={"REMOTE_ADDR": "127.0.0.9"})
    assert other.status_code == 200  # another address is not locked out
    assert client.get("/_dash-layout").status_code == 429
    now[0] += 61
    assert client.get("/_dash-layout", headers=_basic("alice", "s3cret")).status_code == 200


def test_bare_requests_without_credentials_are_not_counted_as_failed_attempts(protected):
    client = protected.server.test_client()
    assert {client.get("/").status_code for _ in range(20)} == {401}
    assert client.get("/", headers=_basic("alice", "s3cret")).status_code == 200


@pytest.mark.parametrize("content, line", [("alice:pw\nbob\n", 2), ("# c\n\nmallory:\n", 3)])
def test_a_malformed_users_file_is_named_with_its_line_never_its_content(tmp_path, content, line):
    f = tmp_path / "users.txt"
    f.write_text(content)
    with pytest.raises(ValueError) as err:
        auth.load_users_file(f)
    assert str(f) in str(err.value) and f"line {line}" in str(err.value)
    assert "bob" not in str(err.value) and "mallory" not in str(err.value)


def test_an_empty_or_unreadable_users_file_is_a_clear_error(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("# nobody\n")
    with pytest.raises(ValueError, match="no 'name:password' line"):
        auth.load_users_file(empty)
    binary = tmp_path / "bin.txt"
    binary.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(ValueError, match="cannot be read"):
        auth.load_users_file(binary)

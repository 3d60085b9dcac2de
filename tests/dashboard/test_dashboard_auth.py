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
    monkeypatch.setattr("dash.Dash.run", lambda self, **kw: calls.append((self, kw)))
    monkeypatch.delenv(auth.ENV_USERS, raising=False)
    if kwargs.pop("env", False):
        monkeypatch.setenv(auth.ENV_USERS, "alice:s3cret")
    if kwargs.get("users_file"):
        kwargs["users_file"] = tmp_path / "u.txt"
        kwargs["users_file"].write_text("alice:s3cret\n")
    serve(release_dir.parent, host="0.0.0.0", port=1, **kwargs)
    (app, run_kwargs), = calls
    assert run_kwargs["host"] == "0.0.0.0"
    expected = 200 if kwargs.get("insecure") else 401
    assert app.server.test_client().get("/_dash-layout").status_code == expected


def test_serve_defaults_to_loopback(release_dir, monkeypatch):
    calls = []
    monkeypatch.setattr("dash.Dash.run", lambda self, **kw: calls.append(kw))
    monkeypatch.delenv(auth.ENV_USERS, raising=False)
    monkeypatch.delenv(auth.ENV_USERS_FILE, raising=False)
    serve(release_dir.parent)
    assert calls == [{"host": "127.0.0.1", "port": 8050, "debug": False}]

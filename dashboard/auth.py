"""Optional HTTP basic authentication for the dashboard (dash-auth), and the rule for where it may bind.

Users come from ``CLIO_DASHBOARD_USERS="alice:pw,bob:pw2"`` or from a file named by
``CLIO_DASHBOARD_USERS_FILE`` (one ``user:password`` a line, ``#`` comments; a password may be a
werkzeug hash such as ``scrypt:...`` from ``werkzeug.security.generate_password_hash``). When users are
set, every route answers 401 without valid credentials: pages, ``/_dash-layout``, callbacks, assets and
component bundles.
"""
from __future__ import annotations

import hashlib
import hmac
import ipaddress
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

ENV_USERS = "CLIO_DASHBOARD_USERS"
ENV_USERS_FILE = "CLIO_DASHBOARD_USERS_FILE"
HASH_PREFIXES = ("scrypt:", "pbkdf2:")
REALM = "Clio dashboard"


class InsecureBindError(ValueError):
    """Raised when asked to serve beyond loopback without authentication (and without ``insecure=True``)."""


def parse_users(text: str, separator: str = ",") -> dict[str, str]:
    """``"alice:pw,bob:pw2"`` -> ``{"alice": "pw", "bob": "pw2"}``; a malformed entry raises `ValueError`.

    The error names the entry's position, never its content (it holds a password).
    """
    users: dict[str, str] = {}
    for i, entry in enumerate(text.split(separator), 1):
        entry = entry.strip()
        if not entry or entry.startswith("#"):
            continue
        name, sep, password = entry.partition(":")
        if not sep or not name.strip() or not password:
            raise ValueError(f"user entry {i} is not 'name:password'")
        users[name.strip()] = password
    return users


def load_users_file(path: Path) -> dict[str, str]:
    """Users from a file of ``name:password`` lines."""
    return parse_users(Path(path).read_text(encoding="utf-8"), separator="\n")


def users_from_env(environ: Mapping[str, str] | None = None) -> dict[str, str] | None:
    """Users from `ENV_USERS` or the file named by `ENV_USERS_FILE`; None when neither is set."""
    environ = os.environ if environ is None else environ
    if environ.get(ENV_USERS):
        return parse_users(environ[ENV_USERS])
    if environ.get(ENV_USERS_FILE):
        return load_users_file(Path(environ[ENV_USERS_FILE]))
    return None


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and ``localhost``; everything else (including 0.0.0.0) is not."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip().strip("[]")).is_loopback
    except ValueError:
        return False


def check_bind(host: str, authenticated: bool, debug: bool, insecure: bool) -> None:
    """Refuse to serve beyond loopback without users, or with the debugger on, unless ``insecure``."""
    if is_loopback(host) or insecure:
        return
    if debug:
        raise InsecureBindError(f"refusing to run the debugger on {host}: it executes code for anyone who "
                                "reaches it; use 127.0.0.1 or pass insecure=True")
    if not authenticated:
        raise InsecureBindError(f"refusing to bind {host} without authentication: set {ENV_USERS}='name:password' "
                                f"(or {ENV_USERS_FILE}=FILE), or pass insecure=True on a trusted network")


def protect(app: Any, users: Mapping[str, str]) -> Any:
    """Require HTTP basic auth on every route of ``app``; returns the dash-auth object."""
    import flask
    from dash_auth import BasicAuth

    users = {str(k): str(v) for k, v in users.items()}
    if not users:
        raise ValueError("protect() needs at least one user")

    class HardenedBasicAuth(BasicAuth):
        """dash-auth's BasicAuth with a tolerant header parser and constant-time password checks.

        dash-auth 2.3 raises (HTTP 500) on a header that is not ``Basic <base64 user:pw>``; here any
        malformed header is simply unauthorised. Verified headers are remembered by digest so hashed
        passwords are not re-derived for each asset request.
        """

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            self._verified: set[str] = set()
            super().__init__(*args, **kwargs)

        def is_authorized(self) -> bool:
            header = flask.request.headers.get("Authorization", "")
            digest = hashlib.sha256(header.encode("utf-8", "replace")).hexdigest()
            if digest in self._verified:
                return True
            name, password = _basic_credentials(header)
            if name is None or not _password_ok(users.get(name), password):
                return False
            if len(self._verified) < 1024:
                self._verified.add(digest)
            return True

        def login_request(self) -> Any:
            return flask.Response("Authentication required", status=401,
                                  headers={"WWW-Authenticate": f'Basic realm="{REALM}", charset="UTF-8"'})

    holder: dict[str, Any] = {}

    @app.server.before_request
    def refuse_unauthorised_callbacks() -> Any:
        # Runs before dash-auth's own hook, which parses callback bodies first and answers a malformed one
        # with 400/415/500 rather than 401.
        if flask.request.path.endswith("/_dash-update-component") and not holder["auth"].is_authorized():
            return holder["auth"].login_request()
        return None

    holder["auth"] = HardenedBasicAuth(app, auth_func=lambda name, password: False)
    return holder["auth"]


def _basic_credentials(header: str) -> tuple[str | None, str]:
    import base64
    import binascii

    scheme, _, token = header.strip().partition(" ")
    if scheme.lower() != "basic" or not token:
        return None, ""
    try:
        decoded = base64.b64decode(token.strip(), validate=True).decode("utf-8")
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None, ""
    name, sep, password = decoded.partition(":")
    return (name, password) if sep else (None, "")


def _password_ok(expected: str | None, given: str) -> bool:
    if expected is None:
        hmac.compare_digest(given.encode("utf-8"), given.encode("utf-8"))  # similar work for unknown users
        return False
    if expected.startswith(HASH_PREFIXES):
        from werkzeug.security import check_password_hash

        return check_password_hash(expected, given)
    return hmac.compare_digest(expected.encode("utf-8"), given.encode("utf-8"))

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
import threading
import time
from collections.abc import Callable, Mapping
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
    """Users from a file of ``name:password`` lines; `ValueError` naming the file (and the line, never its text) when
    it cannot be read or holds no user."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise ValueError(f"users file {path}: cannot be read ({type(e).__name__})") from None
    try:
        users = parse_users(text, separator="\n")
    except ValueError as e:
        raise ValueError(f"users file {path}: {str(e).replace('user entry', 'line')}") from None
    if not users:
        raise ValueError(f"users file {path}: no 'name:password' line")
    return users


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


class AttemptLimiter:
    """Failed logins per client address: after `max_failures` within `window` seconds the address is refused (429)
    until the window has passed, whatever it sends, so passwords cannot be guessed at request speed. A success
    clears the address. Bounded memory: at most `max_clients` addresses are tracked (oldest dropped)."""

    def __init__(self, max_failures: int = 5, window: float = 60.0, clock: Callable[[], float] = time.monotonic,
                 max_clients: int = 10_000):
        self.max_failures, self.window, self.clock, self.max_clients = max_failures, window, clock, max_clients
        self._failures: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, client: str, now: float) -> list[float]:
        times = [t for t in self._failures.get(client, []) if now - t < self.window]
        if times:
            self._failures[client] = times
        else:
            self._failures.pop(client, None)
        return times

    def retry_after(self, client: str) -> int:
        """Seconds until `client` may try again; 0 when it may now."""
        with self._lock:
            now = self.clock()
            times = self._recent(client, now)
            if len(times) < self.max_failures:
                return 0
            return max(1, int(times[-self.max_failures] + self.window - now + 0.999))

    def failed(self, client: str) -> None:
        with self._lock:
            if client not in self._failures and len(self._failures) >= self.max_clients:
                self._failures.pop(next(iter(self._failures)))
            self._failures.setdefault(client, []).append(self.clock())

    def succeeded(self, client: str) -> None:
        with self._lock:
            self._failures.pop(client, None)


def protect(app: Any, users: Mapping[str, str], limiter: AttemptLimiter | None = None) -> Any:
    """Require HTTP basic auth on every route of ``app``, with failed attempts limited per client address
    (`AttemptLimiter`: 5 a minute by default); returns the dash-auth object."""
    import flask
    from dash_auth import BasicAuth

    users = {str(k): str(v) for k, v in users.items()}
    if not users:
        raise ValueError("protect() needs at least one user")
    limiter = limiter or AttemptLimiter()

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
                if header:  # credentials were offered and are wrong: one attempt (a bare request is not)
                    limiter.failed(_client())
                return False
            limiter.succeeded(_client())
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
        # with 400/415/500 rather than 401. A client over its failed-attempt limit gets 429 on every route.
        wait = limiter.retry_after(_client())
        if wait:
            return flask.Response("Too many failed logins; try again later", status=429,
                                  headers={"Retry-After": str(wait)})
        if flask.request.path.endswith("/_dash-update-component") and not holder["auth"].is_authorized():
            return holder["auth"].login_request()
        return None

    holder["auth"] = HardenedBasicAuth(app, auth_func=lambda name, password: False)
    return holder["auth"]


def _client() -> str:
    import flask

    return flask.request.remote_addr or "unknown"


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

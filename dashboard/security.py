"""Response headers for the dashboard as a service: a Content-Security-Policy Dash runs under, no framing, no MIME
sniffing, no referrer, and no server banner.

The CSP allows scripts only from this origin plus the hashes of the inline scripts Dash writes into its index page
(its renderer bootstrap and the clientside callbacks, from `app.csp_hashes()`); styles may be inline because Dash
components and plotly set style attributes; images may be data:/blob: URLs (plotly's mode bar, PNG export,
downloads). A release string is always data in a JSON payload, never markup, so nothing in it can run.
"""
from __future__ import annotations

from typing import Any

STATIC_HEADERS = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}


def content_security_policy(script_hashes: list[str]) -> str:
    scripts = " ".join(["'self'", *(h if h.startswith("'") else f"'{h}'" for h in script_hashes)])
    return "; ".join([
        "default-src 'self'", f"script-src {scripts}", "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:", "font-src 'self' data:", "connect-src 'self'", "object-src 'none'",
        "base-uri 'self'", "form-action 'self'", "frame-ancestors 'none'",
    ])


def harden(app: Any) -> None:
    """Add the security headers to every response of a Dash `app` (errors and 401s included) and drop `Server`."""
    policy: dict[str, str] = {}

    @app.server.after_request
    def add_headers(response: Any) -> Any:
        if "csp" not in policy:  # after every clientside callback is registered: the first request
            policy["csp"] = content_security_policy(app.csp_hashes())
        response.headers["Content-Security-Policy"] = policy["csp"]
        for k, v in STATIC_HEADERS.items():
            response.headers[k] = v
        response.headers.pop("Server", None)
        return response

"""Security headers on every response, with a strict Content-Security-Policy.

No inline scripts and no inline styles: pages get their data from ``data-*`` attributes or
JSON data blocks, so the policy can forbid everything not served by us. The one exception is
a page that carries a static file inline (the phone page, app/pages/inline.py): its own policy
allows exactly those texts by their SHA-256 hashes, never ``'unsafe-inline'``.
"""

from __future__ import annotations

from flask import Flask, request


def policy_with_hashes(*, scripts: list[str] = (), styles: list[str] = ()) -> str:
    """The policy, also allowing the inline scripts and styles with these hash sources
    (``'sha256-…'``)."""
    return "; ".join([
        "default-src 'self'",
        " ".join(["script-src 'self'", *scripts]),
        " ".join(["style-src 'self'", *styles]),
        *_REST,
    ])


_REST = [
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
]
CONTENT_SECURITY_POLICY = policy_with_hashes()

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}
HSTS = "max-age=31536000; includeSubDomains"


def register_security_headers(app: Flask) -> None:
    """Add the security headers to every response (HSTS only when served over TLS)."""

    @app.after_request
    def secure(response):
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        if request.is_secure:
            response.headers.setdefault("Strict-Transport-Security", HSTS)
        return response

"""Response headers that keep plan text and place names data, never code.

The Content-Security-Policy allows scripts only from this server plus the exact inline
blocks of the explorer page (by hash), so markup smuggled into a document can never run
even if a rendering path forgot to treat it as text.
"""
from __future__ import annotations

import base64
import hashlib
import re

from flask import Flask, Response

_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)
#: Web tiles are the only thing the page may load from elsewhere, and only when switched on.
TILE_HOSTS = "https://tile.openstreetmap.org"


def script_hashes(html: str) -> list[str]:
    return [f"'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'"
            for s in _INLINE_SCRIPT.findall(html)]


def policy(hashes: list[str]) -> str:
    return "; ".join([
        "default-src 'self'",
        f"script-src 'self' {' '.join(hashes)}".rstrip(),
        "style-src 'self' 'unsafe-inline'",   # Folium and Leaflet position elements with inline styles
        f"img-src 'self' data: {TILE_HOSTS}",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ])


def install(app: Flask, page: str) -> None:
    """Send the policy and ``nosniff`` with every response."""
    csp = policy(script_hashes(page))

    @app.after_request
    def headers(response: Response) -> Response:
        response.headers["Content-Security-Policy"] = csp
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        return response

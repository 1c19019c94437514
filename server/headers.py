"""Security headers on every answer, and the endpoint that browsers report CSP breaches to.

Pages load scripts and styles only from this server (no inline script, no style
attribute); JSON islands (`<script type="application/json">`) are data, not scripts, and
need no exception. Nothing that carries a ticket token or a staff page is cached.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from flask import Blueprint, Flask, request

from server.extensions import csrf

log = logging.getLogger("anlaufstelle.csp")

REPORT_PATH = "/csp-report"
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        # Letters embed their QR code as a data: URI; spoken calls play from blob: URLs.
        "img-src 'self' data:",
        "media-src 'self' blob:",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'self'",
        f"report-uri {REPORT_PATH}",
    )
)
HSTS = "max-age=31536000; includeSubDomains"

bp = Blueprint("csp", __name__)


@bp.post(REPORT_PATH)
@csrf.exempt
def csp_report() -> Any:
    """Log what a browser blocked (a page of ours that breaks the policy shows up here)."""
    try:
        report = json.loads(request.get_data(cache=False)[:8192] or b"{}")
    except (ValueError, UnicodeDecodeError, RecursionError):
        report = {}
    body = report.get("csp-report", report) if isinstance(report, dict) else {}
    if isinstance(body, dict):
        log.warning(
            "CSP blocked %s on %s (%s)",
            str(body.get("blocked-uri", "?"))[:200],
            str(body.get("document-uri", "?"))[:200],
            str(body.get("violated-directive", "?"))[:100],
        )
    return "", 204


def _never_cached(path: str) -> bool:
    # Static files and the gong are the same for everyone and may be cached;
    # everything else is a staff page, a token, a position or a live state.
    return not (path.startswith("/static/") or "/static/" in path or path.endswith(".wav"))


def init_headers(app: Flask, *, hsts: bool) -> None:
    app.register_blueprint(bp)

    @app.after_request
    def security_headers(response: Any) -> Any:
        headers = response.headers
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "no-referrer")
        headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        if hsts:
            headers.setdefault("Strict-Transport-Security", HSTS)
        if _never_cached(request.path):
            headers["Cache-Control"] = "no-store"
        return response

"""Server-wide pages: the start page listing a site's devices, the visitor's status page."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template

from server.runtime import runtime

bp = Blueprint("pages", __name__)


@bp.get("/")
def index() -> Any:
    return render_template("index.html", sites=runtime().settings.sites)

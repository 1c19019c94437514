"""JSON API v1 (see ../shared/API.md): views only turn requests into service calls."""

from flask import Blueprint

from server.extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")
# Session clients are checked in server.auth.staff_required, after login and role,
# in the order the contract fixes; kiosks and phones hold no session to forge.
csrf.exempt(bp)

from server.api import (  # noqa: E402,F401  (routes register on bp)
    admin,
    alerts,
    appointments,
    images,
    kiosks,
    languages,
    openapi,
    public,
    staff,
    statistics,  # noqa: E402,F401  (routes register on bp)
)

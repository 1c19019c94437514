"""The counter blueprint."""

from flask import Blueprint

bp = Blueprint(
    "counter", __name__, url_prefix="/counter", template_folder="templates", static_folder="static"
)

from counter import appointments, kiosks, views  # noqa: E402,F401  (routes register on bp)

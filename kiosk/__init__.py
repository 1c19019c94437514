"""The kiosk blueprint."""

from flask import Blueprint

bp = Blueprint(
    "kiosk", __name__, url_prefix="/kiosk", template_folder="templates", static_folder="static"
)

from kiosk import listen, views  # noqa: E402,F401  (routes register on bp)

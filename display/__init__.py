"""The display blueprint: the waiting-room screen; `status_bp` is the visitor's phone page."""

from flask import Blueprint

bp = Blueprint(
    "display", __name__, url_prefix="/display", template_folder="templates", static_folder="static"
)

from display import views  # noqa: E402,F401  (routes register on bp)
from display.status import status_bp  # noqa: E402

__all__ = ["bp", "status_bp"]

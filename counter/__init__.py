"""The counter blueprint."""

from flask import Blueprint

bp = Blueprint(
    "counter", __name__, url_prefix="/counter", template_folder="templates", static_folder="static"
)

from counter import admin, appointments, kiosks, statistics, views  # noqa: E402,F401  (routes register on bp)


@bp.app_context_processor
def _staff_sites() -> dict[str, object]:
    from counter.access import chosen_site, user_sites

    return {"staff_sites": user_sites, "current_site_id": lambda: chosen_site().id}

"""The application factory."""

from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path
from typing import Any

from flask import Flask, g, request
from werkzeug.middleware.proxy_fix import ProxyFix

from server.config import Settings, load_settings
from server.db import Database, make_engine
from server.errors import init_errors
from server.extensions import babel, socketio
from server.green import async_mode
from server.guards import init_guards
from server.headers import init_headers
from server.i18n import LANGUAGE_NAMES, select_locale, text_direction
from server.realtime import Hub, init_realtime
from server.resync import ResyncingRedisManager, resync_clients
from server.runtime import Runtime, init_runtime
from server.scheduler import init_scheduler
from server.socket_gate import SocketGate

ROOT = Path(__file__).resolve().parent.parent
log = logging.getLogger(__name__)


def _secret_key(settings: Settings) -> str:
    if settings.server.secret_key:
        return settings.server.secret_key
    # One box, no key configured: keep a random key in var/ so sessions survive restarts
    # and all workers of this box agree on it.
    path = Path(os.environ.get("ANLAUFSTELLE_VAR", ROOT / "var")) / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        key = secrets.token_hex(32)
        try:
            with open(path, "x") as f:
                f.write(key)
            os.chmod(path, 0o600)
        except FileExistsError:
            return path.read_text().strip()
        return key


def create_app(settings: Settings | None = None, *, testing: bool = False) -> Flask:
    """Build the app for a site configuration (default: config.toml + environment)."""
    settings = settings or load_settings()
    app = Flask(__name__, static_folder="static", template_folder="templates")
    app.config.update(
        SECRET_KEY=_secret_key(settings),
        TESTING=testing,
        BABEL_DEFAULT_LOCALE="de",
        BABEL_DEFAULT_TIMEZONE="Europe/Berlin",
        # Each part owns its catalog (server: translations/, blueprints: <part>/translations);
        # Flask-Babel merges them.
        BABEL_TRANSLATION_DIRECTORIES=";".join(
            str(ROOT / part / "translations") for part in ("kiosk", "counter", "display")
        )
        + ";"
        + str(ROOT / "translations"),
        MAX_CONTENT_LENGTH=64 * 1024,
        JSON_SORT_KEYS=False,
    )
    db = Database(
        make_engine(
            settings.server.database_url, sqlite_synchronous=settings.server.sqlite_synchronous
        )
    )
    runtime = Runtime(settings, db)
    init_runtime(app, runtime)

    if settings.server.trusted_proxies:
        hops = settings.server.trusted_proxies
        proxied = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
        app.wsgi_app = proxied  # type: ignore[method-assign]

    babel.init_app(app, locale_selector=select_locale)
    queue: dict[str, Any] = {}
    if settings.server.redis_url:
        manager = ResyncingRedisManager(
            settings.server.redis_url,
            on_resubscribed=lambda: resync_clients(app, manager),
            channel="flask-socketio",
        )
        queue = {"client_manager": manager}
    socketio.init_app(
        app,
        async_mode=async_mode(),
        message_queue=settings.server.redis_url,
        cors_allowed_origins=[],
        logger=False,
        engineio_logger=False,
        **queue,
    )
    SocketGate(socketio.server, settings.server)
    init_realtime(socketio)
    runtime.hub = Hub(socketio, runtime)
    init_scheduler(app, runtime)

    from server.auth import init_auth

    init_auth(app)
    init_errors(app)
    init_guards(app)

    from counter import bp as counter_bp
    from display import bp as display_bp
    from display import status_bp
    from kiosk import bp as kiosk_bp
    from server.api import bp as api_bp
    from server.invitations import bp as invitations_bp
    from server.pages import bp as pages_bp

    app.register_blueprint(api_bp)
    app.register_blueprint(pages_bp)
    app.register_blueprint(kiosk_bp)
    app.register_blueprint(counter_bp)
    app.register_blueprint(display_bp)
    app.register_blueprint(status_bp)
    app.register_blueprint(invitations_bp)

    @app.context_processor
    def page_language() -> dict[str, Any]:
        language = select_locale()
        return {
            "lang": language,
            "dir": text_direction(language),
            "language_names": LANGUAGE_NAMES,
            "text_direction": text_direction,
            "settings": settings,
        }

    init_headers(app, hsts=settings.server.secure_cookies)

    @app.after_request
    def language_cookie(response: Any) -> Any:
        if getattr(g, "set_lang_cookie", None):
            response.set_cookie("lang", g.set_lang_cookie, max_age=3600, samesite="Lax")
        return response

    @app.before_request
    def remember_language() -> None:
        wanted = request.args.get("lang")
        if wanted in settings.languages:
            g.set_lang_cookie = wanted

    return app

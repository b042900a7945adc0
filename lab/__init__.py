"""Laboratorio: the platform of the Interregional Social Innovation Laboratory."""
import logging
import os

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from config import CONFIGS


def create_app(config=None, overrides: dict | None = None) -> Flask:
    """Build the application for a config name or class (``LAB_CONFIG`` by default)."""
    app = Flask(__name__, template_folder="../templates", static_folder="../static")
    _load_config(app, config, overrides or {})
    register_extensions(app)
    register_blueprints(app)
    register_sockets(app)
    register_errors(app)
    register_commands(app)
    register_proxies(app)
    return app


def _load_config(app: Flask, config, overrides: dict) -> None:
    if config is None or isinstance(config, str):
        name = config or os.environ.get("LAB_CONFIG") or "development"
        config = CONFIGS[name]
    if hasattr(config, "check"):
        config.check()
    app.config.from_object(config)
    app.config.update(overrides)
    app.config["INSTANCE_DIR"].mkdir(parents=True, exist_ok=True)
    app.logger.setLevel(logging.INFO)


def register_extensions(app: Flask) -> None:
    # database sets SQLite pragmas; changes moves the public data's version at commits
    from lab.core import changes, database, i18n, jobs, requestlog, security  # noqa: F401
    from lab.extensions import csrf, db, limiter, login_manager, migrate
    from lab.library.index import outside_models

    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = database.engine_options(app.config)
    db.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(app.root_path, "..", "migrations"),
                     include_name=outside_models)  # autogenerate leaves full-text tables be
    requestlog.init_app(app)  # first, so its clock and request id start before anything else
    csrf.init_app(app)
    limiter.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    login_manager.init_app(app)
    jobs.init_app(app)


def register_blueprints(app: Flask) -> None:
    from lab import accounts, core, events, groups, library, notifications, pact, rooms
    from lab.core import params

    params.init_app(app)  # bounded <int:...> ids, before any rule uses the converter
    for module in (core, accounts, pact, groups, library, rooms, events, notifications):
        app.register_blueprint(module.bp)


def register_sockets(app: Flask) -> None:
    from lab.core import security
    from lab.extensions import socketio
    from lab.rooms import sockets  # noqa: F401  (registers the /rooms namespace before init_app)

    socketio.init_app(
        app,
        async_mode=app.config["SOCKETIO_ASYNC_MODE"],
        message_queue=app.config["SOCKETIO_MESSAGE_QUEUE"],
        # Deployments (or test clusters) sharing one Redis must not hear each other's messages.
        channel=app.config["ROOMS_REDIS_PREFIX"] + "socketio",
        cors_allowed_origins=security.socket_origins(app.config),
        max_http_buffer_size=64 * 1024,
    )


def register_proxies(app: Flask) -> None:
    """Believe the X-Forwarded-* headers of the ``PROXY_COUNT`` proxies in front, if any.

    Last, so that it wraps the Socket.IO middleware too: sockets see the client's address.
    """
    count = app.config["PROXY_COUNT"]
    if count:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)


def register_errors(app: Flask) -> None:
    from lab.core import errors

    errors.init_app(app)


def register_commands(app: Flask) -> None:
    from lab.cli import lab_cli
    from lab.core.cli import jobs_cli
    from lab.events.cli import events_cli
    from lab.library.cli import library_cli
    from lab.pact.cli import pact_cli

    app.cli.add_command(lab_cli)
    app.cli.add_command(jobs_cli)
    app.cli.add_command(pact_cli)
    app.cli.add_command(library_cli)
    app.cli.add_command(events_cli)

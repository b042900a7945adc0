"""Home page, health check, the favicon and the npm packages the pages use."""
import re
from functools import cache
from pathlib import Path

from flask import (
    Response, abort, current_app, jsonify, render_template, request, send_from_directory,
)
from flask_login import login_required
from sqlalchemy import text

from lab.core import bp
from lab.core.pagecache import kept_for_visitors
from lab.core.text import check_text, check_texts
from lab.extensions import db

# Only these npm paths are served: the built assets, never package sources or metadata.
VENDOR_PREFIXES = (
    "bootstrap-italia/dist/",
    "socket.io-client/dist/",
    "@svg-maps/italy/",
    "axe-core/axe.min.js",
)
# Bootstrap Italia's stylesheet embeds video.js's icon font as a data: URL, which Chromium loads
# on every page and the Content-Security-Policy (fonts from our origin only) refuses, filling the
# console. The site shows no videos, so that font is left out of the copy we serve.
BOOTSTRAP_CSS = "bootstrap-italia/dist/css/bootstrap-italia.min.css"
VIDEOJS_FONT = re.compile(rb"@font-face\{font-family:VideoJS;[^}]*\}")


@bp.before_app_request
def refuse_invalid_text():
    """Refuse a query string or JSON body holding text that cannot be stored (forms: Form)."""
    for key, value in request.args.items(multi=True):
        check_text(key)
        check_text(value)
    if request.is_json:
        check_texts(request.get_json(silent=True))


@bp.get("/")
@kept_for_visitors
def home():
    """Show what the Laboratory is and where to start."""
    return render_template("core/home.html")


@bp.get("/welcome")
@login_required
def welcome():
    """Welcome a person who has just joined: their region, their groups, the Pact, the rooms."""
    return render_template("core/welcome.html")


@bp.get("/accessibility")
@kept_for_visitors
def accessibility():
    """Show the accessibility statement."""
    return render_template("core/accessibility.html")


@bp.get("/favicon.ico")
def favicon():
    """Serve the site's icon where browsers look for it."""
    return current_app.send_static_file("favicon.ico")


@bp.get("/healthz")
def healthz():
    """Report whether the application can reach its database."""
    try:
        db.session.execute(text("SELECT 1"))
        database = "ok"
    except Exception as error:  # noqa: BLE001 - any failure means the database is unusable
        current_app.logger.warning("Health check failed: %s", error)
        database = "unavailable"
    status = 200 if database == "ok" else 503
    return jsonify(status="ok" if status == 200 else "degraded", database=database), status


@bp.get("/vendor/<path:filename>")
def vendor(filename: str):
    """Serve a front-end asset installed from npm."""
    if not filename.startswith(VENDOR_PREFIXES) or ".." in filename:
        abort(404)
    if filename == BOOTSTRAP_CSS:
        css = _bootstrap_css(Path(current_app.config["NODE_MODULES_DIR"]) / BOOTSTRAP_CSS)
        return Response(css, mimetype="text/css",
                        headers={"Cache-Control": "public, max-age=86400"})
    return send_from_directory(current_app.config["NODE_MODULES_DIR"], filename, max_age=86400)


@cache
def _bootstrap_css(path: Path) -> bytes:
    return VIDEOJS_FONT.sub(b"", path.read_bytes())

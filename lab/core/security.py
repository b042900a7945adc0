"""Security headers and the permission checks every route and socket event relies on."""
from functools import wraps
from urllib.parse import urlsplit

from flask import abort
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from lab.extensions import login_manager

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])


def socket_origins(config) -> list[str]:
    """Return the origins whose pages may open a socket.

    Production: SITE_URL's and SOCKETIO_ALLOWED_ORIGINS only. Development also accepts the
    addresses the server listens on, so ``PORT=8000 make run`` or http://localhost:5000 connect.
    """
    site = urlsplit(config["SITE_URL"])
    origins = [f"{site.scheme}://{site.netloc}", *config["SOCKETIO_ALLOWED_ORIGINS"]]
    if config["SOCKETIO_LOCAL_ORIGINS"]:
        names = ["localhost", "127.0.0.1", "[::1]"]
        if config["HOST"] not in ("0.0.0.0", "::", *names):  # every interface: not a name
            names.append(config["HOST"])
        origins += [f"http://{name}:{config['PORT']}" for name in names]
    return list(dict.fromkeys(origins))


def init_app(app) -> None:
    login_manager.login_view = "accounts.sign_in"
    login_manager.login_message = _l("Accedi per continuare.")
    login_manager.login_message_category = "info"
    login_manager.refresh_view = "accounts.sign_in"

    @app.after_request
    def set_security_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if app.config.get("SESSION_COOKIE_SECURE"):
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        return response


def permission_required(check):
    """Guard a view: anonymous users go to sign-in, signed-in users failing ``check`` get 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not check(current_user):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def platform_admin_required(view):
    """Let only platform admins in."""
    return permission_required(lambda user: user.is_platform_admin)(view)


def admin_required(view):
    """Let in platform admins and region admins; services narrow what a region admin sees."""
    return permission_required(lambda user: user.is_platform_admin or user.is_region_admin)(view)

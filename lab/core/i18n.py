"""Language choice: Italian first, English on request, remembered in a cookie and the profile."""
from flask import current_app, has_request_context, request
from flask_login import current_user

from flask_babel import get_locale

from lab.core.markup import markdown_filter
from lab.core.navigation import nav_items
from lab.extensions import babel

LANG_COOKIE = "lab_lang"


def select_locale() -> str:
    """Pick the signed-in person's language, else the remembered cookie, else Italian."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    user_locale = getattr(current_user, "locale", None) if current_user else None
    if user_locale in languages:
        return user_locale
    cookie = request.cookies.get(LANG_COOKIE)
    if cookie in languages:
        return cookie
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def init_app(app) -> None:
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.filters["markdown"] = markdown_filter
    app.jinja_env.add_extension("jinja2.ext.i18n")
    app.jinja_env.add_extension("jinja2.ext.do")

    @app.context_processor
    def page_context():
        return {"current_locale": str(get_locale()), "nav_items": nav_items}

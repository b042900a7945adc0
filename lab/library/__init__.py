"""The good-practice library: structured practices, their review, and search."""
from flask import Blueprint

bp = Blueprint("library", __name__)

from lab.library import models  # noqa: E402,F401  (the tables, until the routes import them)
from lab.library import index, search_routes  # noqa: E402,F401  (the index follows publication)

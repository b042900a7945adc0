"""Email notifications: who is told what after a change is committed, and their settings.

This package reacts to the other domains' signals, so it may import any of them and none of
them imports it: only the app factory and the CLI do.
"""
from flask import Blueprint

bp = Blueprint("notifications", __name__)

from lab.notifications import mails, routes  # noqa: E402,F401  (the receivers and the routes)

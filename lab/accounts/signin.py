"""What every page that signs a browser in shares (password, second step, invitation)."""
from flask import request
from flask_limiter.util import get_remote_address
from flask_login import login_user

from lab.accounts import sessions


def sign_in_browser(user, remember: bool = False) -> None:
    """Open a server-side session for a person who proved who they are, and sign the browser in."""
    sessions.start_session(user, request.user_agent.string, get_remote_address())
    login_user(user, remember=remember)

"""Outgoing email: SMTP in production and tests, ``.eml`` files under ``instance/mail`` in development."""
import re
import smtplib
import ssl
import uuid
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from flask import current_app

_LINK = re.compile(r"https?://\S+")


class MailError(Exception):
    """The message could not be handed to the mail server."""


def send_mail(to: str, subject: str, body: str) -> None:
    """Send a plain-text message now; raise ``MailError`` if the server refuses it."""
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_DEFAULT_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="laboratorio.localhost")
    message.set_content(body)
    if config["MAIL_BACKEND"] == "file":
        _write_file(message, body)
    else:
        _send_smtp(message)


def _send_smtp(message: EmailMessage) -> None:
    config = current_app.config
    server_class = smtplib.SMTP_SSL if config["MAIL_USE_SSL"] else smtplib.SMTP
    try:
        with server_class(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10) as server:
            if config["MAIL_USE_TLS"]:
                server.starttls(context=ssl.create_default_context())
            if config["MAIL_USERNAME"]:
                server.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
            server.send_message(message)
    except (OSError, smtplib.SMTPException) as error:
        current_app.logger.error("Mail to %s failed: %s", message["To"], error)
        raise MailError(str(error)) from error


def _write_file(message: EmailMessage, body: str) -> None:
    folder = current_app.config["MAIL_FILE_DIR"]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{uuid.uuid4().hex}.eml"
    path.write_bytes(message.as_bytes())
    links = " ".join(_LINK.findall(body))
    current_app.logger.info("Mail to %s written to %s %s", message["To"], path, links)

"""Outgoing email, always through the job queue: SMTP in production and tests, ``.eml`` files
under ``instance/mail`` in development.

``send_mail`` builds the message during the request and queues it; it leaves once the
transaction commits, and a server that is down only delays it (``lab.core.jobs`` retries).
"""
import re
import smtplib
import ssl
import uuid
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from flask import current_app

from lab.core import jobs

_LINK = re.compile(r"https?://\S+")


def send_mail(to: str, subject: str, body: str,
              attachments: list[tuple[str, str, bytes]] = (), html: str | None = None) -> None:
    """Queue a message for after the commit: plain text, with ``html`` as its alternative if
    given (safe HTML: render user Markdown with ``render_markdown``), and attachments
    (filename, mimetype, bytes)."""
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    # Made here, so every retry of the message carries the same Message-ID.
    message["Message-ID"] = make_msgid(domain="laboratorio.localhost")
    message.set_content(body)
    if html is not None:
        message.add_alternative(html, subtype="html")
    for filename, mimetype, data in attachments:
        maintype, subtype = mimetype.split("/", 1)
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    jobs.enqueue(deliver_mail, message.as_bytes())


def _parse(raw: bytes) -> EmailMessage:
    return message_from_bytes(raw, policy=policy.default)


def _describe(raw: bytes) -> str:
    message = _parse(raw)
    return f"{message['To']}: {message['Subject']}"


@jobs.job(describe=_describe)
def deliver_mail(raw: bytes) -> None:
    """Hand a queued message to the mail server (or write it to a file); raise if that fails."""
    message = _parse(raw)
    if current_app.config["MAIL_BACKEND"] == "file":
        _write_file(message, raw)
    else:
        _send_smtp(message)


def _send_smtp(message: EmailMessage) -> None:
    config = current_app.config
    server_class = smtplib.SMTP_SSL if config["MAIL_USE_SSL"] else smtplib.SMTP
    with server_class(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10) as server:
        if config["MAIL_USE_TLS"]:
            server.starttls(context=ssl.create_default_context())
        if config["MAIL_USERNAME"]:
            server.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        server.send_message(message)


def _write_file(message: EmailMessage, raw: bytes) -> None:
    folder = current_app.config["MAIL_FILE_DIR"]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{uuid.uuid4().hex}.eml"
    path.write_bytes(raw)
    links = " ".join(_LINK.findall(message.get_body(("plain",)).get_content()))
    current_app.logger.info("Mail to %s written to %s %s", message["To"], path, links)

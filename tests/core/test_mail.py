"""Outgoing mail: attachments (the events' .ics files), and the development backend's files."""
import logging

from lab.core.mail import send_mail

ICS = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n"


def test_attachments_arrive_with_the_message(smtp):
    send_mail("forum@example.org", "Forum di Torino", "In allegato il calendario.",
              attachments=[("forum.ics", "text/calendar", ICS)])
    message = smtp.to("forum@example.org")[-1]
    [attachment] = [part for part in message.walk() if part.get_filename()]
    assert attachment.get_filename() == "forum.ics"
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_payload(decode=True) == ICS
    text = message.get_payload()[0].get_payload(decode=True).decode()
    assert "In allegato il calendario." in text


def test_the_file_backend_writes_the_message_and_logs_its_link(app, smtp, tmp_path, monkeypatch,
                                                               caplog):
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "file")
    monkeypatch.setitem(app.config, "MAIL_FILE_DIR", tmp_path)
    with caplog.at_level(logging.INFO):
        send_mail("file@example.org", "Prova", "Apri http://127.0.0.1:5000/invitations/abc\n")
    [path] = tmp_path.glob("*.eml")
    assert b"To: file@example.org" in path.read_bytes() and smtp.messages == []
    assert f"written to {path} http://127.0.0.1:5000/invitations/abc" in caplog.text

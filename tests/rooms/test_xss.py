"""Script and HTML in messages are shown as text or removed, never run."""
import html
import re
from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from lab.core.text import text_problem
from lab.extensions import db
from lab.rooms.models import Message
from tests.rooms.xss_payloads import XSS_PAYLOADS

FORBIDDEN_TAGS = {"script", "style", "svg", "math", "iframe", "frame", "object", "embed", "img",
                  "link", "meta", "base", "form", "input", "button", "textarea", "select", "video",
                  "audio", "source", "template", "applet", "body", "html", "noscript", "details"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "background", "cite"}
SAFE_SCHEMES = ("http:", "https:", "mailto:")


class Inspector(HTMLParser):
    """Collect every tag and attribute of a piece of HTML, as a browser would parse it."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.attributes = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes.extend((tag, name, value or "") for name, value in attrs)

    handle_startendtag = handle_starttag


def dangers(fragment: str) -> list[str]:
    """List what in the HTML could run script, style the page or smuggle SVG/MathML."""
    inspector = Inspector()
    inspector.feed(fragment)
    inspector.close()
    found = [f"<{tag}>" for tag in inspector.tags if tag in FORBIDDEN_TAGS]
    for tag, name, value in inspector.attributes:
        if name.startswith("on") or name == "style":
            found.append(f"{tag}[{name}]")
        if name in URL_ATTRIBUTES:
            url = re.sub(r"[\x00-\x20]", "", html.unescape(value)).lower()
            if ":" in url.split("/")[0] and not url.startswith(SAFE_SCHEMES):
                found.append(f"{tag}[{name}={url[:30]}]")
    # data-* attributes (the page keeps the Markdown source there for editing) never run.
    if re.search(r"javascript:", " ".join(v for _, n, v in inspector.attributes
                                          if not n.startswith("data-")), re.I):
        found.append("javascript: in an attribute")
    return found


def test_the_list_is_long_enough():
    assert len(XSS_PAYLOADS) >= 100 and len(set(XSS_PAYLOADS)) == len(XSS_PAYLOADS)


@pytest.mark.parametrize("fragment, expected", [
    ('<a href="javascript:alert(1)">x</a>', ["a[href=javascript:alert(1)]", "javascript: in an attribute"]),
    ("<p onclick=x>y</p>", ["p[onclick]"]),
    ("<svg></svg>", ["<svg>"]),
    ('<a href="https://ok.example">ok</a>', []),
])
def test_the_inspector_sees_what_it_should(fragment, expected):
    assert dangers(fragment) == expected


def test_xss_payloads_are_stored_harmless_and_sent_harmless(app, connect, room, delegate,
                                                            coordinator, monkeypatch):
    monkeypatch.setitem(app.config, "ROOMS_FLOOD_LIMIT", 1000)
    sender, reader = connect(delegate), connect(coordinator)
    reader.emit("join", {"room": room.id})
    accepted = [payload for payload in XSS_PAYLOADS if text_problem(payload) is None]
    for payload in XSS_PAYLOADS:
        ack = sender.send(room, payload)
        if payload not in accepted:  # a NUL inside a tag: refused where it enters
            assert ack["code"] == "bad_payload", (payload, ack)
            continue
        assert ack["ok"], (payload, ack)
        assert dangers(ack["message"]["html"]) == [], payload
    stored = db.session.scalars(select(Message).where(Message.room_id == room.id)
                                .order_by(Message.seq)).all()
    assert [m.body_source for m in stored] == [p.strip() for p in accepted]
    for message in stored:
        assert dangers(message.body_html) == [], message.body_source
        lowered = message.body_html.lower()
        assert "<script" not in lowered and "<svg" not in lowered and "<math" not in lowered
        assert "<style" not in lowered and " style=" not in lowered
    broadcast = reader.received("message_posted")
    assert len(broadcast) == len(accepted)
    assert all(dangers(m["html"]) == [] for m in broadcast)


def test_the_room_page_runs_only_its_own_scripts(app, connect, room, delegate, monkeypatch):
    monkeypatch.setitem(app.config, "ROOMS_FLOOD_LIMIT", 1000)
    sender = connect(delegate)
    for payload in XSS_PAYLOADS[:50]:
        sender.send(room, payload)
    page = sender.http.get(f"/rooms/{room.id}").get_data(as_text=True)
    scripts = re.findall(r"<script\b[^>]*>", page, re.I)
    assert scripts == ['<script type="application/json" id="room-i18n">',
                       '<script src="/static/js/vendor-options.js">',
                       '<script src="/vendor/bootstrap-italia/dist/js/bootstrap-italia.bundle.min.js">',
                       '<script src="/vendor/socket.io-client/dist/socket.io.min.js">',
                       '<script src="/static/js/rooms.js">']
    messages = page[page.index('id="room-messages"'):page.index('id="room-typing"')]
    assert dangers(messages) == []

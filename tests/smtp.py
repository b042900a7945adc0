"""A real SMTP server in-process (aiosmtpd) that keeps what it receives, for tests."""
import email
import re
import socket
import threading
from email.message import Message

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Handler:
    def __init__(self, sink: "SmtpSink"):
        self.sink = sink

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content)
        with self.sink.lock:
            self.sink.messages.append(message)
        return "250 Message accepted for delivery"


class SmtpSink:
    def __init__(self):
        self.port = free_port()
        self.messages: list[Message] = []
        self.lock = threading.Lock()
        self.controller = None

    def start(self) -> None:
        """Listen on the sink's port; a stopped sink may start again (a controller serves once)."""
        self.controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()

    def clear(self) -> None:
        with self.lock:
            self.messages.clear()

    def to(self, address: str) -> list[Message]:
        with self.lock:
            return [m for m in self.messages if m["To"] == address]

    def last_link(self, address: str) -> str:
        """Return the last link in the last message sent to an address."""
        body = self.to(address)[-1].get_payload(decode=True).decode()
        return re.findall(r"https?://\S+", body)[-1]

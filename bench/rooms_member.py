"""A room member as the browser client behaves (bench/rooms_chaos.py runs 50 of them).

It orders and de-duplicates by id, fills a gap over HTTP, rejoins after the last id it holds
when its process dies, and, as a sender, retries with the same key until acknowledged.
"""
import threading
import time
import uuid

import requests
import socketio

import rooms_common  # noqa: F401  (messages handled without a thread each)

NS = "/rooms"


class Member:
    def __init__(self, spec: dict, room: int, acked):
        self.spec, self.room, self.acked = spec, room, acked
        self.headers = {"Cookie": f"session={spec['cookie']}"}
        self.messages: dict[int, str] = {}
        self.progress: list[tuple[float, int]] = []
        self.acks: dict[str, int] = {}
        self.contiguous = self.dropped = self.out_of_order = self.reconnected = 0
        self.rejoined_at: float | None = None
        self.lock = threading.RLock()
        self.connected = threading.Event()
        self.stopping = False
        self.client, self.url = None, spec["home"]

    # --- receiving ------------------------------------------------------------------------

    def connect(self, url: str) -> None:
        client = socketio.Client(reconnection=False)
        client.on("message_posted", self.on_message, namespace=NS)
        client.on("disconnect", self.on_disconnect, namespace=NS)
        client.connect(url, headers=self.headers, namespaces=[NS], transports=["websocket"],
                       wait_timeout=10)
        ack = client.call("join", {"room": self.room, "after": self.contiguous}, namespace=NS,
                          timeout=10)
        self.client, self.url = client, url
        self.absorb(ack["messages"])
        if ack.get("reload"):
            self.fetch_after()
        self.connected.set()

    def on_message(self, data) -> None:
        self.absorb([data])

    def absorb(self, messages: list[dict]) -> None:
        with self.lock:
            for message in messages:
                if message["id"] in self.messages:
                    self.dropped += 1
                else:
                    self.messages[message["id"]] = message["key"]
            before = self.contiguous
            while self.contiguous + 1 in self.messages:
                self.contiguous += 1
            if self.contiguous != before:
                self.progress.append((time.time(), self.contiguous))
            gap = self.messages and max(self.messages) > self.contiguous
        if gap:
            threading.Timer(1.0, self.fill_gap, args=(self.contiguous,)).start()

    def fill_gap(self, seen: int) -> None:
        if self.contiguous == seen and not self.stopping:
            self.fetch_after()

    def fetch_after(self) -> None:
        """Page through the HTTP history after the last contiguous id."""
        while not self.stopping:
            try:
                page = requests.get(f"{self.url}/rooms/{self.room}/messages",
                                    params={"after": self.contiguous, "limit": 500},
                                    headers=self.headers, timeout=10).json()
            except (requests.RequestException, ValueError):
                return
            self.absorb(page["messages"])
            if not page["more"]:
                return

    def on_disconnect(self, *_reason) -> None:
        if not self.stopping:
            self.connected.clear()
            threading.Thread(target=self.reconnect, daemon=True).start()

    def reconnect(self) -> None:
        """Connect again, to the other process when ours is gone, and rejoin after our last id."""
        urls = [self.spec["fallback"], self.spec["home"]]
        attempt = 0
        while not self.stopping:
            try:
                self.connect(urls[attempt % 2])
                self.reconnected += 1
                self.rejoined_at = time.time()
                return
            except Exception:  # noqa: BLE001 - refused while the process is down: try the other
                attempt += 1
                time.sleep(0.1)

    # --- sending --------------------------------------------------------------------------

    def send_all(self, go) -> None:
        go.wait()
        last = 0
        for n in range(self.spec["send"]):
            key = f"{self.spec['name']}-{n}-{uuid.uuid4().hex[:8]}"
            seq = self.send_one(key, f"{self.spec['name']} n. {n}")
            self.acks[key] = seq
            if seq <= last:
                self.out_of_order += 1
            last = seq
            with self.acked.get_lock():
                self.acked.value += 1

    def send_one(self, key: str, body: str) -> int:
        while True:
            self.connected.wait()
            try:
                ack = self.client.call("send", {"room": self.room, "body": body, "key": key},
                                       namespace=NS, timeout=5)
            except Exception:  # noqa: BLE001 - disconnected or no answer: the same key again
                time.sleep(0.05)
                continue
            if ack.get("ok"):
                return ack["id"]
            time.sleep(ack.get("wait", 0.1))

    def report(self) -> dict:
        with self.lock:
            return {"messages": {str(k): v for k, v in self.messages.items()},
                    "progress": list(self.progress), "rejoined_at": self.rejoined_at}


def member_process(specs: list[dict], room: int, acked, go, finish, control, results) -> None:
    """Run some members in one process; report when told the run is over."""
    members = [Member(spec, room, acked) for spec in specs]
    for member in members:
        member.connect(member.spec["home"])
    control.put("ready")
    senders = [threading.Thread(target=m.send_all, args=(go,), daemon=True)
               for m in members if m.spec["send"]]
    for thread in senders:
        thread.start()
    for thread in senders:
        thread.join()
    finish.wait()
    for member in members:
        member.stopping = True
    results.put({
        "acks": {k: v for m in members for k, v in m.acks.items()},
        "out_of_order": sum(m.out_of_order for m in members),
        "dropped_duplicates": sum(m.dropped for m in members),
        "reconnected": sum(1 for m in members if m.reconnected),
        "views": [m.report() for m in members],
    })
    for member in members:
        try:
            member.client.disconnect()
        except Exception:  # noqa: BLE001 - the run is over
            pass

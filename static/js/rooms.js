/* A room in real time: send with an idempotency key, receive, replay after reconnecting,
   order and de-duplicate by the room's message id, load older messages by scrolling back. */
(function () {
  "use strict";

  var root = document.getElementById("room");
  if (!root || typeof io === "undefined") { return; }

  var T = JSON.parse(document.getElementById("room-i18n").textContent);
  var roomId = Number(root.dataset.roomId);
  var me = Number(root.dataset.userId);
  var myName = root.dataset.userName;
  var moderator = root.dataset.moderator === "true";
  var lang = root.dataset.lang || "it";
  var list = document.getElementById("room-messages");
  var panel = list.parentElement;
  var statusLine = document.getElementById("room-status");
  var feedback = document.getElementById("room-feedback");
  var typingLine = document.getElementById("room-typing");
  var composer = document.getElementById("composer");
  var textarea = document.getElementById("body");
  var EDIT_WINDOW_MS = 15 * 60 * 1000;
  var timeFormat = new Intl.DateTimeFormat(lang === "en" ? "en-GB" : "it-IT",
    {timeZone: "Europe/Rome", day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", timeZoneName: "short"});

  var byId = new Map();      // message id -> <li>
  var pending = new Map();   // idempotency key -> {body, li}
  var lastId = 0;            // every id up to this one is on the page
  var closed = false;        // signed out or removed: stop reconnecting
  var readSent = Number(root.dataset.lastRead) || 0;
  var typingTimer = null;
  var lastTyping = 0;

  function text(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, name) { return values[name]; });
  }

  function setStatus(message, online) {
    statusLine.textContent = message;
    statusLine.classList.toggle("is-online", online === true);
    statusLine.classList.toggle("is-offline", online === false);
  }

  function nodeKey() {
    // A routing key per tab, so a proxy hashing on it keeps one connection on one process.
    var key = sessionStorage.getItem("lab-node");
    if (!key) { key = randomKey(); sessionStorage.setItem("lab-node", key); }
    return key;
  }

  function randomKey() {
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  // --- the list of messages -----------------------------------------------------------------

  function nearBottom() {
    return panel.scrollHeight - panel.scrollTop - panel.clientHeight < 80;
  }

  function element(tag, className, content) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (content) { node.textContent = content; }
    return node;
  }

  function render(m) {
    var li = element("li", "room-message" + (m.deleted ? " is-deleted" : ""));
    li.id = "m-" + m.id;
    li.dataset.id = m.id;
    li.dataset.author = m.author.id;
    li.dataset.created = m.created_at;
    li.dataset.edited = m.edited_at || "";
    li.dataset.source = m.source || "";
    var meta = element("div", "room-message-meta");
    meta.appendChild(element("span", "room-message-author", m.author.name));
    var region = lang === "en" ? m.author.region_en : m.author.region_it;
    if (region) { meta.appendChild(element("span", "room-message-region", region)); }
    var time = element("time", null, timeFormat.format(new Date(m.created_at)));
    time.setAttribute("datetime", m.created_at);
    meta.appendChild(time);
    if (m.edited_at && !m.deleted) {
      var edited = element("a", "room-message-edited", T.edited);
      edited.href = root.dataset.historyUrl.replace(/0\/history$/, m.id + "/history");
      meta.appendChild(edited);
    }
    var body = element("div", "room-message-body");
    if (m.deleted) {
      body.appendChild(element("p", "room-message-placeholder", T.deleted));
    } else {
      body.innerHTML = m.html;  // sanitised on the server by render_markdown (bleach)
    }
    li.appendChild(meta);
    li.appendChild(body);
    if (root.dataset.proposeUrl && !m.deleted) {  // present only for those who may propose
      var propose = element("a", "room-message-propose small", T.propose);
      propose.href = root.dataset.proposeUrl.replace(/0\/propose$/, m.id + "/propose");
      li.appendChild(propose);
    }
    decorate(li);
    return li;
  }

  function decorate(li) {
    var author = Number(li.dataset.author);
    var deleted = li.classList.contains("is-deleted");
    if (!deleted && author !== me && myName && li.textContent.indexOf("@" + myName) !== -1) {
      li.classList.add("is-mention");
    }
    var old = li.querySelector(".room-message-actions");
    if (old) { old.remove(); }
    if (deleted) { return; }
    var actions = element("span", "room-message-actions");
    var recent = Date.now() - new Date(li.dataset.created).getTime() < EDIT_WINDOW_MS;
    if (author === me && recent && li.dataset.source !== undefined) {
      actions.appendChild(button(T.edit, function () { startEdit(li); }));
    }
    if (author === me || moderator) {
      actions.appendChild(button(T.delete, function () { remove(li); }));
    }
    if (actions.childNodes.length) { li.querySelector(".room-message-meta").appendChild(actions); }
  }

  function button(label, action) {
    var b = element("button", "btn btn-link", label);
    b.type = "button";
    b.addEventListener("click", action);
    return b;
  }

  function add(m) {
    if (m.room !== roomId) { return; }
    var stick = nearBottom();
    var empty = document.getElementById("room-empty");
    if (empty) { empty.remove(); }
    var current = byId.get(m.id);
    var li = render(m);
    if (current) {
      current.replaceWith(li);
    } else {
      insertSorted(li, m.id);
    }
    byId.set(m.id, li);
    var waiting = pending.get(m.key);
    if (waiting && m.author.id === me) { waiting.li.remove(); pending.delete(m.key); }
    advance();
    if (stick) { panel.scrollTop = panel.scrollHeight; }
  }

  function insertSorted(li, id) {
    var node = list.lastElementChild;
    while (node && (!node.dataset.id || Number(node.dataset.id) > id)) { node = node.previousElementSibling; }
    list.insertBefore(li, node ? node.nextSibling : list.firstChild);
    var firstPending = list.querySelector(".is-pending");
    if (firstPending && li.compareDocumentPosition(firstPending) & Node.DOCUMENT_POSITION_PRECEDING) {
      list.insertBefore(li, firstPending);  // sent messages waiting for their id stay last
    }
  }

  function advance() {
    var before = lastId;
    while (byId.has(lastId + 1)) { lastId += 1; }
    var highest = Math.max.apply(null, Array.from(byId.keys()).concat([0]));
    if (highest > lastId) { setTimeout(fillGap, 1000, before); }  // a message arrived out of order
    markRead();
  }

  function fillGap() {
    var missing = Array.from(byId.keys()).some(function (id) { return id > lastId; });
    if (missing) { fetchAfter(lastId); }
  }

  function fetchAfter(after) {
    return fetch(root.dataset.messagesUrl + "?after=" + after + "&limit=500", {credentials: "same-origin"})
      .then(function (r) { return r.json(); })
      .then(function (page) {
        page.messages.forEach(add);
        if (page.more) { return fetchAfter(lastId); }
      });
  }

  function loadOlder(event) {
    if (event) { event.preventDefault(); }
    var first = list.querySelector(".room-message[data-id]");
    if (!first || loadOlder.busy) { return; }
    loadOlder.busy = true;
    var height = panel.scrollHeight;
    fetch(root.dataset.messagesUrl + "?before=" + first.dataset.id, {credentials: "same-origin"})
      .then(function (r) { return r.json(); })
      .then(function (page) {
        page.messages.forEach(function (m) {
          if (!byId.has(m.id)) { var li = render(m); byId.set(m.id, li); insertSorted(li, m.id); }
        });
        panel.scrollTop += panel.scrollHeight - height;
        var more = document.getElementById("room-older");
        if (!page.more && more) { more.parentElement.remove(); }
      })
      .finally(function () { loadOlder.busy = false; });
  }

  Array.prototype.forEach.call(list.querySelectorAll(".room-message[data-id]"), function (li) {
    byId.set(Number(li.dataset.id), li);
    decorate(li);
  });
  if (byId.size) { lastId = Math.max.apply(null, Array.from(byId.keys())); }
  panel.scrollTop = panel.scrollHeight;
  // On a phone the room opens on the latest messages and the box to write, as chats do (rooms.css
  // sizes the panel so that both fit one screen); the heading is a scroll up.
  function keepComposerInView() {
    if (composer.getBoundingClientRect().bottom > window.innerHeight) { composer.scrollIntoView({block: "end"}); }
  }
  keepComposerInView();
  // The page may still grow above the box after that (the web font wrapping the heading, the
  // status line, who is here): until the person scrolls, touches or types, it stays in view.
  var settling = new ResizeObserver(keepComposerInView);
  settling.observe(document.body);
  ["wheel", "touchstart", "pointerdown", "keydown"].forEach(function (type) {
    window.addEventListener(type, function () { settling.disconnect(); }, {once: true, passive: true});
  });
  var older = document.getElementById("room-older");
  if (older) { older.addEventListener("click", loadOlder); }
  panel.addEventListener("scroll", function () {
    if (panel.scrollTop < 40 && document.getElementById("room-older")) { loadOlder(); }
    markRead();
  });

  // --- the connection -----------------------------------------------------------------------

  var socket = io("/rooms", {query: {node: nodeKey()}, reconnectionDelay: 500, reconnectionDelayMax: 4000});
  setStatus(T.connecting);

  socket.on("connect", function () {
    socket.emit("join", {room: roomId, after: lastId}, function (ack) {
      if (!ack || !ack.ok) { setStatus(T.connected, true); return; }
      if (ack.reload) { window.location.reload(); return; }
      ack.messages.forEach(add);
      markRead();  // what the page showed before the socket was there to say so
      showPresent(ack.present);
      setStatus(T.connected, true);
      pending.forEach(function (_, key) { send(key); });  // same keys: stored once
    });
  });
  socket.on("disconnect", function (reason) {
    if (closed) { return; }
    setStatus(T.reconnecting, false);
    if (reason === "io server disconnect") { setTimeout(function () { socket.connect(); }, 1000); }
  });
  socket.on("connect_error", function (error) {
    if (error && error.data && error.data.code === "unauthorized") { stop(T.signedOut); return; }
    setStatus(T.reconnecting, false);
  });
  socket.on("message_posted", add);
  socket.on("message_updated", function (m) { if (byId.has(m.id)) { add(m); } });
  socket.on("presence", function (p) { if (p.room === roomId) { showPresent(p.people); } });
  socket.on("typing", showTyping);
  socket.on("mention", function (n) { if (n.room !== roomId) { showMention(n); } });
  socket.on("muted", function (n) { if (n.room === roomId) { feedback.textContent = n.message; } });
  socket.on("room_closed", function (n) { if (n.room === roomId) { stop(n.message); } });
  socket.on("signed_out", function (n) { stop(n.message); });
  socket.on("error", function (e) {
    if (e.code !== "rate_limited") { feedback.textContent = e.message; }
  });

  function stop(message) {
    closed = true;
    socket.disconnect();
    setStatus(message, false);
    composer.querySelector("button[type=submit]").disabled = true;
    textarea.disabled = true;
  }

  function showPresent(people) {
    var box = document.getElementById("room-present");
    box.textContent = "";
    (people.length ? people : [{name: T.nobody, none: true}]).forEach(function (person) {
      box.appendChild(element("li", person.none ? "text-muted" : null, person.name));
    });
  }

  function showMention(n) {
    // "{name} mentioned you in {room}.", with the room as a link to the message
    var parts = T.mention.split("{room}");
    var notice = element("p", "room-mention-notice", text(parts[0], {name: n.by}));
    var link = element("a", null, n.title[lang] || n.title.it);
    link.href = root.dataset.roomsUrl + "/" + n.room + "#m-" + n.id;
    notice.append(link, text(parts[1] || "", {name: n.by}));
    document.getElementById("room-mentions").appendChild(notice);
  }

  function showTyping(t) {
    if (t.room !== roomId || t.user.id === me) { return; }
    typingLine.textContent = text(T.typingOne, {name: t.user.name});
    clearTimeout(typingTimer);
    typingTimer = setTimeout(function () { typingLine.textContent = ""; }, 4000);
  }

  function lastVisible() {
    var bottom = Math.min(panel.getBoundingClientRect().bottom, window.innerHeight);
    for (var id = lastId; id > readSent; id -= 1) {
      var li = byId.get(id);
      if (li && li.getBoundingClientRect().top < bottom) { return id; }
    }
    return readSent;
  }

  function markRead() {
    if (!socket.connected || document.hidden) { return; }
    var upTo = lastVisible();
    if (upTo <= readSent) { return; }
    readSent = upTo;
    socket.emit("read", {room: roomId, id: upTo}, function (ack) {
      if (ack && ack.ok) { root.dataset.lastRead = ack.last_read; }
    });
  }
  document.addEventListener("visibilitychange", markRead);
  window.addEventListener("focus", markRead);

  // --- sending, editing, deleting -------------------------------------------------------------

  function send(key) {
    var item = pending.get(key);
    if (!item || !socket.connected) { return; }
    socket.timeout(10000).emit("send", {room: roomId, body: item.body, key: key}, function (err, ack) {
      if (err || !pending.has(key)) { return; }  // no answer: sent again with the same key on reconnect
      if (ack.ok) { add(ack.message); feedback.textContent = ""; return; }
      if (ack.code === "rate_limited") {
        feedback.textContent = text(T.rateLimited, {seconds: Math.ceil(ack.wait)});
        setTimeout(send, Math.ceil(ack.wait * 1000), key);
        return;
      }
      feedback.textContent = ack.message;
      item.li.classList.replace("is-pending", "is-failed");
      item.li.querySelector(".room-message-meta").appendChild(element("span", null, " · " + T.failed));
      pending.delete(key);
    });
  }

  composer.addEventListener("submit", function (event) {
    event.preventDefault();
    var body = textarea.value.trim();
    if (!body) { return; }
    var key = randomKey();
    var li = element("li", "room-message is-pending");
    var meta = element("div", "room-message-meta");
    meta.appendChild(element("span", "room-message-author", myName));
    meta.appendChild(element("span", null, T.sending));
    li.appendChild(meta);
    li.appendChild(element("div", "room-message-body", body));
    var empty = document.getElementById("room-empty");
    if (empty) { empty.remove(); }
    list.appendChild(li);
    panel.scrollTop = panel.scrollHeight;
    pending.set(key, {body: body, li: li});
    textarea.value = "";
    send(key);
  });

  textarea.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); composer.requestSubmit(); }
  });
  textarea.addEventListener("input", function () {
    if (socket.connected && Date.now() - lastTyping > 2000) {
      lastTyping = Date.now();
      socket.emit("typing", {room: roomId});
    }
  });

  function startEdit(li) {
    var body = li.querySelector(".room-message-body");
    var editor = element("form", "room-message-editor");
    var label = element("label", "visually-hidden", T.edit);
    var area = element("textarea", "form-control");
    area.id = "edit-" + li.dataset.id;
    label.htmlFor = area.id;
    area.value = li.dataset.source || body.textContent.trim();
    area.maxLength = 5000;
    editor.append(label, area, element("button", "btn btn-primary btn-sm me-1", T.save));
    editor.appendChild(button(T.cancel, function () { editor.replaceWith(body); }));
    editor.addEventListener("submit", function (event) {
      event.preventDefault();
      socket.emit("edit", {room: roomId, id: Number(li.dataset.id), body: area.value}, function (ack) {
        if (ack.ok) { add(ack.message); } else { feedback.textContent = ack.message; }
      });
    });
    body.replaceWith(editor);
    area.focus();
  }

  function remove(li) {
    if (!window.confirm(T.confirmDelete)) { return; }
    socket.emit("delete", {room: roomId, id: Number(li.dataset.id)}, function (ack) {
      if (ack.ok) { add(ack.message); } else { feedback.textContent = ack.message; }
    });
  }
})();

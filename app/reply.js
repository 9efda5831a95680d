// Ken je rechten: "Lees je antwoord" (/antwoord, /en/reply), loaded by site.js on that page
// only. The reference and the three code words open the conversation; the person reads the
// confidant's replies and writes back.
//
// Everything lives in this function's variables: nothing in storage, cookies or the address,
// and every call brings the reference and the words again. Leaving the page (also by the
// quick exit or an in-site link) forgets it all; so do ten minutes without activity, and the
// page says why. The texts are the page's own (data attributes), in its language.

export function start(root) {
  if (root.dataset.started) return;
  root.dataset.started = "yes";
  var d = root.dataset;
  var problems = JSON.parse(d.problems || "{}");
  var openForm = root.querySelector("#reply-open");
  var writeForm = root.querySelector("#reply-write");
  var conversation = root.querySelector("#reply-conversation");
  var list = conversation.querySelector(".messages");
  var ended = root.querySelector("#reply-ended");
  var reference = root.querySelector("#reply-reference");
  var words = root.querySelector("#reply-words");
  var text = root.querySelector("#reply-text");
  var openStatus = root.querySelector("#reply-open-status");
  var writeStatus = root.querySelector("#reply-write-status");
  var secret = null; // { reference, code_words } while the conversation is open
  var key = null; // the Idempotency-Key of the message being sent, until it is stored
  var idle = null;
  var idleSeconds = 600;
  var busy = false;

  function say(where, message, alert) {
    where.textContent = message || "";
    where.hidden = !message;
    where.setAttribute("role", alert ? "alert" : "status");
  }

  function forget(why) {
    clearTimeout(idle);
    idle = null;
    secret = null;
    key = null;
    list.textContent = "";
    text.value = "";
    reference.value = "";
    words.value = "";
    conversation.hidden = true;
    openForm.hidden = false;
    say(writeStatus, "");
    say(openStatus, why || "");
  }

  // Ten minutes after the last tap or key, the conversation closes.
  function touch() {
    if (!secret) return;
    clearTimeout(idle);
    idle = setTimeout(function () { forget(d.idle); }, idleSeconds * 1000);
  }

  function newKey() {
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }

  // The API's answer in the page's language, by its code.
  function problem(body) {
    var code = body && body.error;
    var said = code && problems[code];
    if (!said) return d.failed;
    var minutes = Math.max(1, Math.ceil(((body && body.retry_after_seconds) || 60) / 60));
    return said.replace("{n}", String(minutes));
  }

  function post(path, body, idempotencyKey) {
    var headers = { "content-type": "application/json" };
    if (idempotencyKey) headers["idempotency-key"] = idempotencyKey;
    return fetch(path, {
      method: "POST", headers: headers, body: JSON.stringify(body),
      credentials: "omit", cache: "no-store"
    }).then(function (response) {
      return response.text().then(function (raw) {
        var json = null;
        try { json = JSON.parse(raw); } catch (e) { json = null; }
        if (response.ok && json) return json;
        throw { body: json };
      });
    }, function () { throw { body: null }; });
  }

  function line(className, content) {
    var p = document.createElement("p");
    p.className = className;
    p.textContent = content;
    return p;
  }

  function show(c) {
    list.textContent = "";
    if (!c.messages.length) {
      var none = document.createElement("li");
      none.className = "none";
      none.textContent = d.none;
      list.appendChild(none);
    }
    c.messages.forEach(function (m) {
      var li = document.createElement("li");
      var mine = m.from === "asker";
      li.className = mine ? "from-asker" : "from-confidant";
      li.appendChild(line("who", mine ? d.you : (m.name ? m.name + ", " + d.confidant : d.confidant)));
      li.appendChild(line("text", m.text));
      list.appendChild(li);
    });
    ended.hidden = !!c.open;
    writeForm.hidden = !c.open;
    idleSeconds = c.idle_seconds || idleSeconds;
  }

  openForm.addEventListener("submit", function (e) {
    e.preventDefault();
    if (busy) return;
    var body = { reference: reference.value, code_words: words.value };
    if (!body.reference.trim() || !body.code_words.trim()) {
      say(openStatus, d.fill, true);
      return;
    }
    busy = true;
    say(openStatus, d.busy);
    post("/api/conversations/open", body).then(function (c) {
      secret = body;
      key = newKey();
      show(c);
      say(openStatus, "");
      openForm.hidden = true;
      conversation.hidden = false;
      touch();
      conversation.querySelector("h2").focus();
    }, function (failure) {
      say(openStatus, problem(failure.body), true);
    }).then(function () { busy = false; });
  });

  writeForm.addEventListener("submit", function (e) {
    e.preventDefault();
    touch();
    if (busy || !secret) return;
    if (!text.value.trim()) {
      say(writeStatus, d.writeFirst, true);
      return;
    }
    busy = true;
    say(writeStatus, d.busy);
    var body = { reference: secret.reference, code_words: secret.code_words, text: text.value };
    post("/api/conversations/messages", body, key).then(function (c) {
      show(c);
      text.value = "";
      key = newKey();
      say(writeStatus, d.sent);
    }, function (failure) {
      // What was typed stays, and so does the key: sending again adds it once.
      say(writeStatus, problem(failure.body), true);
    }).then(function () { busy = false; });
  });

  root.querySelector("#reply-close").addEventListener("click", function () {
    forget("");
    reference.focus();
  });
  root.addEventListener("keydown", touch);
  root.addEventListener("pointerdown", touch);
  root.addEventListener("input", touch);

  // Leaving: the tab or the quick exit (pagehide), or another page of the site loaded in
  // this one's place (site.js says kjr:left).
  function leave() { forget(""); }
  function left() {
    forget("");
    window.removeEventListener("pagehide", leave);
    document.removeEventListener("kjr:left", left);
  }
  window.addEventListener("pagehide", leave);
  document.addEventListener("kjr:left", left);
}

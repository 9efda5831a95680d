// Ken je rechten: the picture route for children under 12 (/vraag/plaatjes,
// /en/ask/pictures), loaded by site.js on that page only.
//
// Six screens, one question each, every screen already in the page (hidden). A tap on a
// picture answers; on screens with one answer it also goes on to the next. Going back and
// forward changes no history entry. Each question and each picture is read aloud when tapped
// (with site.js's reading), unless the child turns the sound off.
//
// The answers live in this function's variables only: nothing in storage, cookies or the
// address. Leaving the page (the quick exit too: site.js says kjr:left) forgets them all.
// What is sent is the same request as the full form's, with asker=child and
// age_band=under_12.

export function start(root, speech) {
  if (root.dataset.started) return;
  root.dataset.started = "yes";
  var t = JSON.parse(root.dataset.texts || "{}");
  var steps = Array.prototype.slice.call(root.querySelectorAll(".step"));
  var order = ["feeling", "topics", "safe", "reach", "name", "check"];
  var sound = true;
  var current = null;
  // The Idempotency-Key of the request, and the body it was first sent with: a retry of the
  // same answers (the first answer got lost) uses the same key, so the request is stored
  // once; changed answers (say "Nee" instead of "Ja") get a new key, so they are not lost
  // behind the first try.
  var key = null;
  var keyBody = null;
  var answers;
  var leaving = false; // the quick exit or a link away: nothing more is said
  var inFlight = null; // the AbortController of a send

  // No answers, no key, nothing typed (also what a browser might restore on a reload).
  function fresh() {
    answers = { feeling: null, topics: [], safe_now: null, channel: "on_website", adult: null, contact_times: [] };
    key = null;
    keyBody = null;
    $$("textarea, input", root).forEach(function (f) { f.value = ""; });
  }
  fresh();

  function $(css, within) { return (within || root).querySelector(css); }
  function $$(css, within) { return Array.prototype.slice.call((within || root).querySelectorAll(css)); }
  function stepEl(name) { return $(".step[data-step=" + name + "]"); }

  // ---- Reading aloud ---------------------------------------------------------------
  var status = $(".voice-status");
  function sentences(text) {
    return (text.match(/[^.!?]+[.!?]*/g) || []).map(function (s) { return s.trim(); }).filter(Boolean);
  }
  function say(texts, asked) {
    if (leaving || (!sound && !asked)) return;
    var list = [];
    texts.forEach(function (x) { list = list.concat(sentences(x)); });
    var said = speech.say(list, t.voice);
    if (said === null) {
      // The voices load after the page in some browsers: wait for them once.
      var again = function () {
        if (!leaving && speech.say(list, t.voice) === false) status.textContent = t.no_voice;
      };
      window.speechSynthesis.addEventListener("voiceschanged", again, { once: true });
    } else if (said === false && asked) {
      status.textContent = t.no_voice;
    }
  }
  var soundButton = $("#pictures-sound");
  if (!window.speechSynthesis || !window.SpeechSynthesisUtterance) {
    soundButton.parentNode.hidden = true;
    $$(".say").forEach(function (b) { b.hidden = true; });
  }

  // What a screen's speaker button says: its question, and the hint under it.
  function asked(name) {
    return $(".question .say", stepEl(name)).dataset.sayText;
  }

  // ---- Screens ---------------------------------------------------------------------
  // Shows screen `name`; its question gets the focus (and so scrolls into view), except for
  // the first screen when the page opens.
  var intro = document.getElementById("page-intro");
  var fullForm = document.querySelector(".full-form");
  function show(name, quiet) {
    current = name;
    steps.forEach(function (s) { s.hidden = s.dataset.step !== name; });
    var step = stepEl(name);
    problem(step, "");
    if (name === "check") {
      fillCheck();
      $(".send-status", step).textContent = "";
    }
    // After the first screen the introduction makes room for the pictures.
    if (intro) intro.classList.toggle("compact", name !== "feeling");
    if (fullForm) fullForm.hidden = name === "sent";
    var heading = $("h2", step);
    if (heading && !quiet) {
      heading.focus({ preventScroll: true });
      step.scrollIntoView({ block: "start" });
    }
  }
  function problem(step, text) {
    var p = $(".step-problem", step);
    if (!p) return;
    p.textContent = text;
    p.hidden = !text;
  }
  function go(delta) {
    var i = order.indexOf(current) + delta;
    if (i >= 0 && i < order.length) show(order[i]);
  }

  // Whether the answers of a screen let the child go on; if not, says what is missing.
  function ready(name) {
    var step = stepEl(name);
    var missing = "";
    if (name === "feeling" && !answers.feeling) missing = t.pick_first;
    if (name === "topics" && answers.topics.length === 0) missing = t.pick_first;
    if (name === "safe" && !answers.safe_now) missing = t.pick_first;
    if (name === "reach") {
      if (answers.channel === "via_person" && (!answers.adult || answers.contact_times.length === 0)) missing = t.pick_first;
      if (answers.channel === "phone") {
        if (!$("#pictures-number").value.trim()) missing = t.number_first;
        else if (answers.contact_times.length === 0) missing = t.pick_first;
      }
    }
    problem(step, missing);
    if (missing) say([missing]);
    return !missing;
  }

  // Marks the buttons of answer `name` as pressed where they hold its answer.
  function press(name) {
    $$('.pic-choice[data-answer="' + name + '"]').forEach(function (b) {
      var on = Array.isArray(answers[name]) ? answers[name].indexOf(b.dataset.value) >= 0 : answers[name] === b.dataset.value;
      b.setAttribute("aria-pressed", on ? "true" : "false");
    });
  }

  function showReach() {
    var c = answers.channel;
    $(".reach-adult").hidden = c !== "via_person";
    $(".reach-phone").hidden = c !== "phone";
    $(".reach-when").hidden = c === "on_website";
  }

  // A tap on a picture: the answer, its word read aloud, and on one-answer screens the
  // next screen (with its question read aloud).
  function choose(button) {
    var name = button.dataset.answer;
    var value = button.dataset.value;
    var step = button.closest(".step");
    problem(step, "");
    var next = null;
    if (name === "topics" || name === "contact_times") {
      var list = answers[name];
      var at = list.indexOf(value);
      if (at >= 0) list.splice(at, 1); else list.push(value);
    } else {
      answers[name] = value;
    }
    press(name);
    if (name === "feeling") next = "topics";
    if (name === "safe_now") {
      var help = $(".pictures-help");
      help.hidden = value === "yes";
      if (value === "yes") next = "reach";
    }
    if (name === "channel") {
      showReach();
      if (value === "on_website") next = "name";
    }
    var words = [button.dataset.say];
    if (next) {
      show(next);
      words.push(asked(next));
    } else if (name === "safe_now") {
      // "No" (or "not sure"): the help first, at once, and then how to go on.
      $("#help-now").focus();
      $$(".pictures-help h3, .pictures-help p").forEach(function (p) { words.push(p.textContent); });
    }
    say(words);
  }

  // The answers as pictures, each under its question.
  function fillCheck() {
    var list = $(".answers", stepEl("check"));
    list.textContent = "";
    function group(question, items) {
      var li = document.createElement("li");
      var asked = document.createElement("p");
      asked.className = "asked";
      asked.textContent = question;
      li.appendChild(asked);
      items.forEach(function (item) {
        var b = $('.pic-choice[data-answer="' + item[0] + '"][data-value="' + item[1] + '"]');
        if (!b) return;
        var answer = document.createElement("p");
        answer.className = "answer";
        answer.appendChild(b.querySelector("svg").cloneNode(true));
        var span = document.createElement("span");
        span.textContent = b.dataset.say;
        answer.appendChild(span);
        li.appendChild(answer);
      });
      list.appendChild(li);
    }
    function q(id) { return $("#" + id).textContent; }
    group(q("q-feeling"), [["feeling", answers.feeling]]);
    group(q("q-topics"), answers.topics.map(function (v) { return ["topics", v]; }));
    group(q("q-safe"), [["safe_now", answers.safe_now]]);
    var reach = [["channel", answers.channel]];
    if (answers.channel === "via_person") reach.push(["adult", answers.adult]);
    if (answers.channel !== "on_website") {
      answers.contact_times.forEach(function (v) { reach.push(["contact_times", v]); });
    }
    group(q("q-reach"), reach);
    if (answers.channel === "phone") {
      var number = document.createElement("p");
      number.className = "answer";
      number.textContent = $("#pictures-number").value.trim();
      list.lastChild.appendChild(number);
    }
    group(q("q-name"), []);
    var name = document.createElement("p");
    name.className = "answer";
    name.textContent = $("#pictures-name").value.trim() || t.no_name;
    list.lastChild.appendChild(name);
  }

  // ---- Sending ---------------------------------------------------------------------
  function draft() {
    var message = $("#pictures-message").value.trim();
    var nickname = $("#pictures-name").value.trim();
    var d = {
      asker: "child",
      age_band: "under_12",
      feeling: answers.feeling,
      topics: answers.topics.slice(),
      safe_now: answers.safe_now,
      channel: answers.channel,
      // Never through the foster parents, unless the child chose one of them.
      never_via_foster_parents: !(answers.channel === "via_person" && answers.adult === "foster-parent")
    };
    if (message) d.message = message;
    if (nickname) d.nickname = nickname;
    if (answers.channel === "via_person") {
      d.contact = $('.pic-choice[data-answer="adult"][data-value="' + answers.adult + '"]').dataset.say;
    }
    if (answers.channel === "phone") {
      d.contact = $("#pictures-number").value.trim();
      // A young child's phone is often checked by adults: nothing is left on it.
      d.may_leave_message = false;
    }
    if (answers.channel !== "on_website") d.contact_times = answers.contact_times.slice();
    return d;
  }

  function newKey() {
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  // A send that has no answer after this long is given up: the child can try again (with
  // the same key, so a request that did arrive is not stored twice).
  var SEND_TIMEOUT_MS = 20000;
  function send() {
    if (inFlight) return;
    var state = $(".send-status", stepEl("check"));
    state.textContent = t.sending;
    var body = JSON.stringify(draft());
    if (body !== keyBody) {
      key = newKey();
      keyBody = body;
    }
    var mine = new AbortController();
    inFlight = mine;
    var timer = setTimeout(function () { mine.abort(); }, SEND_TIMEOUT_MS);
    fetch("/api/requests", {
      method: "POST",
      headers: { "content-type": "application/json", "idempotency-key": key, "accept-language": root.dataset.lang },
      body: body,
      credentials: "same-origin",
      cache: "no-store",
      signal: mine.signal
    }).then(function (r) {
      return r.json().then(function (answer) { return { ok: r.ok, body: answer }; });
    }).then(function (r) {
      if (mine.forgotten) return; // the quick exit came first: nothing is shown or said
      inFlight = null;
      state.textContent = "";
      if (r.ok) return sent(r.body);
      if (r.body.error === "validation_failed" && r.body.fields && r.body.fields.length) return refused(r.body.fields[0]);
      throw new Error("refused");
    }).catch(function () {
      if (mine.forgotten) return;
      inFlight = null;
      state.textContent = t.failed;
      say([t.failed]);
    }).then(function () { clearTimeout(timer); });
  }

  // The API refused an answer: back to the screen that asked it, saying what to do there.
  var screenOf = {
    feeling: ["feeling"], topics: ["topics"], message: ["topics", "#pictures-message"],
    safe_now: ["safe"], channel: ["reach"], contact: ["reach", "#pictures-number"],
    contact_times: ["reach"], nickname: ["name", "#pictures-name"]
  };
  function refused(field) {
    var to = screenOf[field.field];
    if (!to) throw new Error("refused");
    var text = t.fix_this;
    if (field.problem === "required" || field.problem === "unknown_choice") text = t.pick_first;
    if (field.problem === "too_long") text = t.too_long;
    if (field.field === "contact") text = t.number_wrong;
    show(to[0]);
    problem(stepEl(to[0]), text);
    if (to[1]) $(to[1]).focus();
    say([text]);
  }

  function within(hours) {
    if (hours >= 24 && hours % 24 === 0) {
      var days = hours / 24;
      return days + " " + (days === 1 ? t.day : t.days);
    }
    return hours + " " + (hours === 1 ? t.hour : t.hours);
  }

  function sent(receipt) {
    fresh();
    var done = stepEl("sent");
    var reference = $("#reference", done);
    reference.textContent = receipt.reference;
    // Letter by letter for the voice: K J R, 7 F 3 K, 9 Q X 2.
    reference.dataset.say = receipt.reference.split("-").map(function (g) { return g.split("").join(" "); }).join(", ") + ".";
    var words = $(".words", done);
    words.hidden = !receipt.code_words;
    $("#code-words", done).textContent = receipt.code_words || "";
    $(".read-reply", done).hidden = !receipt.replies_on_website;
    var template = receipt.replies_on_website ? t.next_on_website : t.next_reached;
    $(".next-steps", done).textContent = template.replace("{when}", within(receipt.respond_within_hours));
    show("sent");
    say(receiptTexts());
  }

  // What the receipt says, for the voice: the reference spelled, the words with pauses.
  function receiptTexts() {
    var out = [$("#q-sent").textContent];
    $$("#receipt p").forEach(function (p) {
      if (p.closest("[hidden]") || !p.textContent) return;
      if (p.id === "reference") out.push(p.dataset.say);
      else if (p.id === "code-words") out.push(p.textContent.split(" ").join(", ") + ".");
      else out.push(p.textContent);
    });
    return out;
  }

  // ---- Taps and keys -----------------------------------------------------------------
  root.addEventListener("click", function (e) {
    var b = e.target.closest("button");
    if (!b || !root.contains(b)) return;
    if (b.classList.contains("pic-choice")) {
      choose(b);
    } else if (b.classList.contains("say")) {
      status.textContent = "";
      if (b.dataset.sayFrom === "receipt") say(receiptTexts(), true);
      else say([b.dataset.sayText], true);
    } else if (b.id === "pictures-sound") {
      sound = !sound;
      if (!sound) speech.silence();
      b.setAttribute("aria-checked", sound ? "true" : "false");
      $(".sound-state", b).textContent = sound ? t.sound_on : t.sound_off;
      $("use", b).setAttribute("href", sound ? "#pic-speaker" : "#pic-speaker-off");
    } else if (b.dataset.go === "back") {
      go(-1);
      say([asked(current)]);
    } else if (b.dataset.go === "next") {
      if (ready(current)) {
        go(1);
        say([asked(current)]);
      }
    } else if (b.dataset.go === "send") {
      send();
    }
  });
  // Enter in the name or number field goes on, as "Verder" does.
  root.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && e.target.tagName === "INPUT") {
      e.preventDefault();
      var next = $('[data-go="next"]', e.target.closest(".step"));
      if (next) next.click();
    }
  });

  // Back to the first screen with nothing answered: on the quick exit, on a link away, and
  // when the page is hidden (a browser may show it again from its cache).
  function forget() {
    if (inFlight) {
      inFlight.forgotten = true;
      inFlight.abort();
      inFlight = null;
    }
    fresh();
    Object.keys(answers).forEach(press);
    showReach();
    $(".pictures-help").hidden = true;
    $$(".answers, .send-status, .voice-status, #reference, #code-words").forEach(function (p) { p.textContent = ""; });
    show("feeling", true);
  }
  function left() {
    leaving = true;
    forget();
    document.removeEventListener("kjr:left", left);
  }
  document.addEventListener("kjr:left", left);
  window.addEventListener("pagehide", forget);

  press("channel");
  showReach();
  root.classList.add("running");
  show("feeling", true);
}

// Ken je rechten: quick exit and in-site navigation for every page.
//
// Plain JavaScript, loaded before the wasm app and on pages without it, so "Snel weg" works
// from the first moment. It stores nothing anywhere.
//
// - "Snel weg" (#quick-exit) and pressing Shift three times hide the page at once, drop what
//   was typed and replace this history entry with the neutral site, so Back does not return.
// - Links inside the site load the next page into this one and *replace* the history entry,
//   so the browser history holds at most one page of the site. Focus moves to the new
//   page's heading, as screen readers expect.
// - "Lees voor" reads a page aloud with the browser's own speech (Web Speech API), one
//   sentence per utterance, highlighting the sentence being read; only with a voice of the
//   page's language, never with another one. Leaving stops it at once.
// - Search (search.js, Pagefind and its index) loads only when someone starts to search;
//   the conversation of "Lees je antwoord" (reply.js) only on that page.
(function () {
  "use strict";
  var SHIFT_PRESSES = 3;
  var SHIFT_WINDOW_MS = 2000;

  // Read once: leaving empties the page, and the address is the same on every page.
  var exitLink = document.getElementById("quick-exit");
  var exitUrl = exitLink ? exitLink.href : "about:blank";
  var loading = 0;

  function exiting() {
    return document.documentElement.className === "exiting";
  }

  function leave(event) {
    if (event) event.preventDefault();
    silence();
    // Scripts of the page forget what they hold (reply.js, pictures.js).
    document.dispatchEvent(new Event("kjr:left"));
    var target = exitUrl;
    loading++; // a page still loading must not be shown (or loaded) any more
    document.documentElement.className = "exiting";
    // Clear every field, then drop the page: a copy kept in the back/forward cache holds
    // nothing that was typed.
    var fields = document.querySelectorAll("input, textarea, select");
    for (var i = 0; i < fields.length; i++) {
      var f = fields[i];
      if (f.type === "checkbox" || f.type === "radio") f.checked = false;
      else f.value = "";
    }
    document.title = "";
    document.body.textContent = "";
    location.replace(target);
  }

  var presses = [];
  document.addEventListener("keydown", function (e) {
    if (e.key !== "Shift") {
      presses = [];
      return;
    }
    if (e.repeat) return;
    var now = Date.now();
    presses = presses.filter(function (t) { return now - t < SHIFT_WINDOW_MS; });
    presses.push(now);
    if (presses.length >= SHIFT_PRESSES) leave();
  });

  // Leaving in any other way (a link out, closing the tab) silences the reading too.
  window.addEventListener("pagehide", function () { silence(); });

  // A page restored from the back/forward cache after leaving goes straight back out.
  window.addEventListener("pageshow", function (e) {
    if (e.persisted && exiting()) leave();
  });

  // ---- Read aloud -------------------------------------------------------------------
  // Looked up when used, not once: the voices and the engine belong to the browser.
  function speech() {
    return window.speechSynthesis;
  }
  var reading = null; // { control, sentences, index, voice, token }

  function silence() {
    if (reading) {
      reading.token++;
      reading = null;
    }
    if (speech()) speech().cancel();
    if (window.CSS && CSS.highlights) CSS.highlights.delete("kjr-reading");
    var marked = document.querySelectorAll(".reading");
    for (var i = 0; i < marked.length; i++) marked[i].classList.remove("reading");
  }

  // A voice of the page's language (nl-NL and nl_NL alike), local voices first.
  function voiceFor(tag) {
    var lang = tag.toLowerCase().split(/[-_]/)[0];
    var voices = (speech().getVoices() || []).filter(function (v) {
      return (v.lang || "").toLowerCase().replace("_", "-").split("-")[0] === lang;
    });
    voices.sort(function (a, b) {
      var exact = function (v) { return v.lang.replace("_", "-").toLowerCase() === tag.toLowerCase() ? 0 : 1; };
      return (b.localService ? 1 : 0) - (a.localService ? 1 : 0) || exact(a) - exact(b);
    });
    return voices[0] || null;
  }

  // The sentences of the text, each with the range it covers (for the highlight).
  function sentencesOf(root) {
    var out = [];
    var blocks = root.querySelectorAll("p, li, h2, h3, dt, dd");
    for (var b = 0; b < blocks.length; b++) {
      var block = blocks[b];
      if (block.querySelector("p, li")) continue; // its own blocks are read
      // A block that is said differently from how it reads (a reference spelled out).
      if (block.dataset.say) {
        out.push({ text: block.dataset.say, block: block, whole: true });
        continue;
      }
      var walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
      var nodes = [];
      var text = "";
      while (walker.nextNode()) {
        nodes.push({ node: walker.currentNode, at: text.length });
        text += walker.currentNode.data;
      }
      // A sentence ends at . ! or ? followed by a space or the end (so "4.2" and "9.00" stay
      // whole), as the reading-ease test counts them.
      var start = 0;
      for (var i = 0; i <= text.length; i++) {
        var end = i === text.length || (/[.!?]/.test(text[i]) && (i + 1 === text.length || /\s/.test(text[i + 1])));
        if (!end) continue;
        var to = Math.min(i + 1, text.length);
        var piece = text.slice(start, to);
        var lead = piece.length - piece.replace(/^\s+/, "").length;
        var said = piece.trim();
        if (/[A-Za-z\u00C0-\u024F]/.test(said)) {
          out.push({ text: said, block: block, nodes: nodes, from: start + lead, to: start + lead + said.length });
        }
        start = to;
      }
    }
    return out;
  }

  function rangeOf(s) {
    var range = document.createRange();
    for (var i = 0; i < s.nodes.length; i++) {
      var n = s.nodes[i];
      var end = n.at + n.node.data.length;
      if (s.from >= n.at && s.from <= end) range.setStart(n.node, s.from - n.at);
      if (s.to >= n.at && s.to <= end) { range.setEnd(n.node, s.to - n.at); break; }
    }
    return range;
  }

  function highlight(s) {
    var marked = document.querySelectorAll(".reading");
    for (var i = 0; i < marked.length; i++) marked[i].classList.remove("reading");
    if (window.CSS && CSS.highlights) CSS.highlights.delete("kjr-reading");
    if (window.CSS && CSS.highlights && window.Highlight && !s.whole) {
      CSS.highlights.set("kjr-reading", new Highlight(rangeOf(s)));
    } else {
      s.block.classList.add("reading");
    }
  }

  // Shows the buttons of `state`; focus moves with them, so a keyboard or screen reader never
  // loses its place when the button it pressed disappears.
  function setButtons(control, state) {
    var play = control.querySelector("[data-action=play]");
    var pause = control.querySelector("[data-action=pause]");
    var had = control.contains(document.activeElement);
    play.hidden = state !== "idle";
    pause.hidden = state === "idle";
    pause.textContent = state === "paused" ? control.dataset.resume : control.dataset.pause;
    control.querySelector("[data-action=stop]").hidden = state === "idle";
    if (had) (state === "idle" ? play : pause).focus();
  }

  function speakNext(r) {
    if (r !== reading) return;
    if (r.index >= r.sentences.length) {
      var control = r.control;
      silence();
      setButtons(control, "idle");
      return;
    }
    var s = r.sentences[r.index];
    highlight(s);
    var u = new window.SpeechSynthesisUtterance(s.text);
    u.voice = r.voice;
    u.lang = r.voice.lang.replace("_", "-");
    var token = r.token;
    u.onend = function () {
      if (reading === r && r.token === token && !r.paused) {
        r.index++;
        speakNext(r);
      }
    };
    // A cancelled utterance (pause, stop) reports an error too: only a current one counts.
    u.onerror = function () {
      if (reading !== r || r.token !== token || r.paused) return;
      var control = r.control;
      silence();
      setButtons(control, "idle");
      control.querySelector(".read-aloud-status").textContent = control.dataset.failed;
    };
    speech().speak(u);
  }

  function readAloud(control, action) {
    var status = control.querySelector(".read-aloud-status");
    if (action === "play") {
      silence();
      var voice = voiceFor(control.dataset.voice);
      if (!voice && !control.waited && speech().getVoices().length === 0) {
        // Some browsers load their voices after the page: wait for them once.
        control.waited = true;
        var again = function () { readAloud(control, "play"); };
        speech().addEventListener("voiceschanged", again, { once: true });
        setTimeout(function () { speech().removeEventListener("voiceschanged", again); if (!reading) again(); }, 1500);
        return;
      }
      if (!voice) {
        status.textContent = control.dataset.noVoice;
        return;
      }
      status.textContent = "";
      // The text it reads: its own (data-text, an id), or the page's.
      var text = (control.dataset.text && document.getElementById(control.dataset.text)) ||
        document.querySelector(".read-aloud-text");
      reading = { control: control, sentences: sentencesOf(text), index: 0, voice: voice, token: 0, paused: false };
      setButtons(control, "playing");
      // Spoken from the tap itself: iOS speaks only in answer to a user gesture.
      speakNext(reading);
    } else if (action === "pause" && reading) {
      if (reading.paused) {
        reading.paused = false;
        reading.token++;
        setButtons(control, "playing");
        speakNext(reading);
      } else {
        // Cancel and start the sentence again on "Verder": pause() is unreliable in Chrome.
        reading.paused = true;
        reading.token++;
        speech().cancel();
        setButtons(control, "paused");
      }
    } else if (action === "stop") {
      silence();
      setButtons(control, "idle");
    }
  }

  // Speaks `texts` one after another with a voice of `tag` (the picture route). False when
  // the device has voices but none of that language: then nothing is said.
  function sayAll(texts, tag) {
    silence();
    if (!speech() || !window.SpeechSynthesisUtterance) return false;
    var voice = voiceFor(tag);
    if (!voice) return speech().getVoices().length === 0 ? null : false;
    var r = { token: 0 };
    reading = r;
    var i = 0;
    (function next() {
      if (reading !== r || i >= texts.length) {
        if (reading === r) reading = null;
        return;
      }
      var u = new window.SpeechSynthesisUtterance(texts[i++]);
      u.voice = voice;
      u.lang = voice.lang.replace("_", "-");
      u.onend = next;
      speech().speak(u);
    })();
    return true;
  }

  // Controls that need JavaScript appear only where it runs (also after an in-site
  // navigation replaced the page).
  function enhance() {
    var controls = document.querySelectorAll(".read-aloud");
    for (var i = 0; i < controls.length; i++) {
      // Without speech the control goes, with the place it kept (style.css).
      if (speech() && window.SpeechSynthesisUtterance) controls[i].hidden = false;
      else controls[i].remove();
    }
    if (speech() && speech().getVoices) speech().getVoices(); // starts loading the voices
    // "Lees je antwoord": its script loads on that page only.
    var reply = document.getElementById("reply");
    if (reply) import("/reply.js").then(function (m) { m.start(reply); }).catch(function () {});
    // The picture route: its script, with the reading of site.js.
    var pictures = document.getElementById("pictures");
    if (pictures) {
      import("/pictures.js").then(function (m) {
        m.start(pictures, { say: sayAll, silence: silence });
      }).catch(function () {});
    }
  }

  // Search: /search.js (and through it Pagefind and its index) loads on the first use.
  var searching = null;
  function search(form, focusFirst) {
    if (!searching) {
      searching = import("/search.js");
      searching.catch(function () { searching = null; });
    }
    return searching.then(function (m) { if (form) m.search(form, focusFirst); else m.warm(); });
  }
  document.addEventListener("input", function (e) {
    var form = e.target.closest && e.target.closest("form.search");
    if (form) search(form, false);
  });
  document.addEventListener("focusin", function (e) {
    if (e.target.closest && e.target.closest("form.search")) search(null);
  });
  document.addEventListener("submit", function (e) {
    var form = e.target.closest && e.target.closest("form.search");
    if (!form) return;
    e.preventDefault();
    search(form, true);
  });
  enhance();

  function samePage(a) {
    return a.pathname === location.pathname && a.search === location.search;
  }

  function inSiteLink(e) {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) {
      return null;
    }
    var a = e.target.closest ? e.target.closest("a[href]") : null;
    if (!a || a.target || a.hasAttribute("download") || a.origin !== location.origin) return null;
    // Which paths are files is the server's rule (kjr_site::is_asset_path): a link that
    // answers with something other than a page is loaded normally (see the fetch below).
    if (a.pathname.indexOf("/api/") === 0) return null;
    return a;
  }

  // A jump within the page (the skip link): focus the target without a new history entry.
  function jump(a, e) {
    var target = document.getElementById(decodeURIComponent(a.hash.slice(1)));
    if (!target) return;
    e.preventDefault();
    if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
    target.focus();
    target.scrollIntoView();
  }

  var appStarted = !!document.querySelector('script[src="/init.js"]');
  function show(html, url) {
    // The page being replaced forgets what it holds (reply.js: the conversation).
    document.dispatchEvent(new Event("kjr:left"));
    var next = new DOMParser().parseFromString(html, "text/html");
    document.title = next.title;
    document.documentElement.lang = next.documentElement.lang || "nl";
    document.documentElement.dir = next.documentElement.dir || "ltr";
    silence();
    document.body.replaceWith(document.adoptNode(next.body));
    enhance();
    history.replaceState(null, "", url);
    window.scrollTo(0, 0);
    var heading = document.querySelector("main h1");
    if (heading) heading.focus();
    if (document.getElementById("app")) {
      // The form page: the first time, loading the app mounts it; after that the running
      // app is asked to mount again.
      if (appStarted) {
        document.dispatchEvent(new Event("kjr:page"));
      } else {
        appStarted = true;
        import("/init.js").catch(function () {
          // The app could not load (flaky connection): load the page itself instead.
          appStarted = false;
          if (!exiting()) location.replace(url);
        });
      }
    }
  }

  document.addEventListener("click", function (e) {
    if (e.target.closest && e.target.closest("#quick-exit")) {
      leave(e);
      return;
    }
    var button = e.target.closest && e.target.closest(".read-aloud button");
    if (button) {
      readAloud(button.closest(".read-aloud"), button.dataset.action);
      return;
    }
    var a = inSiteLink(e);
    if (!a) return;
    if (a.hash && samePage(a)) {
      jump(a, e);
      return;
    }
    e.preventDefault();
    var url = a.href;
    // Switching language on the form keeps who the form is for (?voor=...).
    if (a.classList.contains("lang-switch") && document.getElementById("app") && !a.search) {
      url += location.search;
    }
    var mine = ++loading;
    fetch(url, { headers: { Accept: "text/html" }, credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        if (type.indexOf("text/html") !== 0) throw new Error("not a page");
        return response.text();
      })
      .then(function (html) {
        if (mine === loading && !exiting()) show(html, url);
      })
      .catch(function () {
        // Offline or odd answer: a normal page load (still replacing this entry).
        if (mine === loading && !exiting()) location.replace(url);
      });
  });
})();

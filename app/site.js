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

  // A page restored from the back/forward cache after leaving goes straight back out.
  window.addEventListener("pageshow", function (e) {
    if (e.persisted && exiting()) leave();
  });

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
    var next = new DOMParser().parseFromString(html, "text/html");
    document.title = next.title;
    document.documentElement.lang = next.documentElement.lang || "nl";
    document.documentElement.dir = next.documentElement.dir || "ltr";
    document.body.replaceWith(document.adoptNode(next.body));
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

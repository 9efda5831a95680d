// Ken je rechten: search over the knowledge base with Pagefind, loaded by site.js the first
// time someone focuses or types in a search box. Pagefind's own script and its index (one per
// language, chosen by the page's lang) load on the first search. Results are the pages' titles
// and summaries, as links; nothing is stored.

var pagefind = null;
var pagefindLang = null;
// What each result shows (fragment id → url, title, summary), from the build's
// results.LANG.json: no request per result. An id it lacks falls back to Pagefind's data().
var shown = {};
var searchRun = 0;

// Pagefind chooses its index by the page's language when it starts; after an in-site switch
// to the other language it is started again.
function loadSearch() {
  var lang = document.documentElement.lang;
  if (pagefind && pagefindLang !== lang) {
    var old = pagefind;
    pagefind = null;
    return old
      .then(function (pf) { return pf.destroy && pf.destroy(); })
      .catch(function () {})
      .then(loadSearch);
  }
  if (!pagefind) {
    pagefindLang = lang;
    var list = fetch("/pagefind/results." + lang + ".json")
      .then(function (r) { return r.ok ? r.json() : {}; })
      .catch(function () { return {}; });
    pagefind = import("/pagefind/pagefind.js").then(function (pf) {
      return Promise.all([pf.init && pf.init(), list]).then(function (done) {
        shown = done[1] || {};
        return pf;
      });
    });
    pagefind.catch(function () { pagefind = null; });
  }
  return pagefind;
}

// Starts loading Pagefind and the index (on focus), so the first results come sooner.
export function warm() {
  loadSearch();
}

function pageAddress(url) {
  var path = url.replace(/\.html$/, "").replace(/\/index$/, "/");
  return path === "" ? "/" : path;
}

export function search(form, focusFirst) {
  var input = form.querySelector("input");
  var list = form.querySelector(".search-results");
  var status = form.querySelector(".search-status");
  var query = input.value.trim();
  var mine = ++searchRun;
  if (!query) {
    list.textContent = "";
    status.textContent = "";
    return;
  }
  status.textContent = form.dataset.loading;
  var total = 0;
  loadSearch().then(function (pf) {
    return pf.search(query);
  }).then(function (found) {
    total = found.results.length;
    return Promise.all(found.results.slice(0, 8).map(function (r) {
      var page = shown[r.id];
      if (page) return { url: page.url, meta: { title: page.title, summary: page.summary } };
      return r.data();
    }));
  }).then(function (pages) {
    if (mine !== searchRun) return;
    list.textContent = "";
    pages.forEach(function (p) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = pageAddress(p.url);
      a.textContent = p.meta.title || "";
      li.appendChild(a);
      if (p.meta.summary) {
        var summary = document.createElement("p");
        summary.textContent = p.meta.summary;
        li.appendChild(summary);
      }
      list.appendChild(li);
    });
    // Said aloud by screen readers (the status is a live region).
    status.textContent = pages.length ? form.dataset.found.replace("{n}", String(total)) : form.dataset.none;
    list.setAttribute("data-query", query); // what the results answer
    if (focusFirst && pages.length) list.querySelector("a").focus();
  }).catch(function () {
    if (mine === searchRun) status.textContent = form.dataset.failed;
  });
}


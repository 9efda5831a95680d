// `cargo xtask bench search`: how long search results take to appear after typing, in
// headless Chromium (puppeteer-core, which Lighthouse brings), on the local server.
//
// usage: node search-bench.mjs BASE_URL CHROMIUM PROFILE_DIR
// prints one JSON line per language: { tapped: ms, cold: ms, warm: [ms, ...] }
import puppeteer from "puppeteer-core";

const [base, chromium, profile] = process.argv.slice(2);
const browser = await puppeteer.launch({
  executablePath: chromium,
  headless: true,
  userDataDir: profile,
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run"],
});
const page = await browser.newPage();
await page.setViewport({ width: 360, height: 740, isMobile: true, hasTouch: true });

// From the input event to the results in the page (the list says which query it answers).
async function measure(query) {
  return page.evaluate(async (q) => {
    const input = document.getElementById("search-input");
    const list = document.querySelector(".search-results");
    const done = new Promise((resolve) => {
      const seen = new MutationObserver(() => {
        if (list.dataset.query === q) { seen.disconnect(); resolve(performance.now()); }
      });
      seen.observe(list, { attributes: true, attributeFilter: ["data-query"] });
    });
    input.value = q;
    const start = performance.now();
    input.dispatchEvent(new Event("input", { bubbles: true }));
    return (await done) - start;
  }, query);
}

const result = {};
for (const [lang, path, words] of [
  ["nl", "/12-plus", ["reunie", "pleegzorgbegeleider", "klacht", "veilig", "familie", "voogd", "dossier", "geheim", "lichaam", "school"]],
  ["en", "/en/12-plus", ["reunion", "foster care worker", "complaint", "safe", "family", "guardian", "file", "secret", "body", "school"]],
]) {
  // As a child does it: tap the box (which starts loading Pagefind), then type. 300 ms is
  // about the time a phone's keyboard takes to slide up before the first letter.
  await page.goto(base + path, { waitUntil: "load" });
  await page.tap("#search-input");
  await new Promise((r) => setTimeout(r, 300));
  const tapped = await measure(words[0] + "y");
  // Typing with no tap first (a script can, a person cannot): Pagefind and the index load
  // after the input event. Reported apart.
  await page.goto(base + path, { waitUntil: "load" });
  const cold = await measure(words[0] + "x");
  const warm = [];
  for (const w of words) warm.push(await measure(w));
  result[lang] = { tapped, cold, warm };
}
console.log(JSON.stringify(result));
await browser.close();

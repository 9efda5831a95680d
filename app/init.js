// Starts the wasm app on the form page (also imported by site.js after an in-site
// navigation to the form page; its import fails if the app could not load). The page's own
// heading and intro are in the HTML: they are painted first, and the app's code is fetched
// only after that paint (the second animation frame comes after the first one is drawn), so
// on a slow phone the intro does not wait for 140 KB of code.
await new Promise(function (painted) {
  requestAnimationFrame(function () { requestAnimationFrame(painted); });
});
const app = await import("/pkg/kjr.js");
await app.default();

// Starts the wasm app on the form page (also imported by site.js after an in-site
// navigation to the form page).
import init from "/pkg/kjr.js";
init();

import init from "/pkg/kjr.js";
init();

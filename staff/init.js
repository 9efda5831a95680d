// Starts the staff app (its own bundle: the child's pages never load it).
import init from "/staff/pkg/kjr_staff.js";
init();

// The dashboard's router: the view and its filters are the page's query string (/dashboard?view=flows&from=PRK…),
// so every view is a link, and the back button steps through them. Views render into <main>; API errors are shown
// in the alert box above it, as the API worded them.

import { ApiError } from "./api.js";
import * as disputes from "./disputes.js";
import * as entity from "./entity.js";
import * as flows from "./flows.js";
import * as estimateHistory from "./history.js";
import * as timeline from "./timeline.js";
import * as totals from "./totals.js";
import { h } from "./util.js";

const VIEWS = { flows, history: estimateHistory, totals, timeline, disputes, entity };
const main = document.getElementById("main");
const errorBox = document.getElementById("error");
let current = 0; // the newest render; an older one that finishes late is dropped

export function params() {
  return Object.fromEntries(new URLSearchParams(location.search));
}

/** Go to a view: a new history entry (or replace the current one), then render it. */
export function navigate(next, { replace = false } = {}) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(next)) if (v !== undefined && v !== null && v !== "") q.set(k, v);
  const url = `/dashboard?${q}`;
  if (url !== location.pathname + location.search) window.history[replace ? "replaceState" : "pushState"](null, "", url);
  return render();
}

export function showError(err) {
  errorBox.replaceChildren(
    h("strong", {}, err instanceof ApiError ? "The API answered with an error: " : "Something went wrong: "),
    err instanceof ApiError ? err.detail : String(err.message || err),
    err instanceof ApiError ? h("small", {}, ` — ${err.status ? `HTTP ${err.status}` : "no answer"}, GET ${err.url}`) : "");
  errorBox.hidden = false;
}

async function render() {
  const token = ++current;
  const p = params();
  const name = VIEWS[p.view] ? p.view : "flows";
  for (const a of document.querySelectorAll("#views a")) {
    if (a.dataset.view === name) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
  errorBox.hidden = true;
  const target = h("div", { class: `view view-${name}` });
  document.title = `rdkg dashboard — ${name}`;
  main.setAttribute("aria-busy", "true");
  let after = null;
  try {
    after = await VIEWS[name].render(target, p, { navigate, showError, stale: () => token !== current });
  } catch (err) {
    if (token === current) showError(err);
  }
  if (token !== current) return;
  main.replaceChildren(target);
  try {
    if (typeof after === "function") await after(); // charts draw once their element is on the page
  } catch (err) {
    showError(err);
  }
  main.removeAttribute("aria-busy");
  main.dataset.ready = name; // tests and screen readers: the view is drawn
  document.dispatchEvent(new CustomEvent("rdkg:rendered", { detail: name }));
}

// Links to other views (data-nav) go through the router; so do the header's view links.
document.addEventListener("click", (event) => {
  const a = event.target.closest && event.target.closest("a[data-nav], #views a");
  if (!a || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
  event.preventDefault();
  navigate(Object.fromEntries(new URL(a.href).searchParams));
});
window.addEventListener("popstate", () => render());
render();

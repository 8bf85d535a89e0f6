// Flows: what flowed from whom to whom — the distinct flows with their latest figure and range per unit,
// their estimators and claim counts (GET /flows); a row opens the flow (GET /flows/{id}): every estimate with its
// estimator, as-of date and scope, every claim with its quote, stance, confidence and source.

import { get, getOr, queryString } from "./api.js";
import { filterForm } from "./filters.js";
import { claimItem, entityLink, figure, h, period, status, table, viewLink } from "./util.js";

export const FILTERS = ["from", "to", "both_directions", "since", "until", "category", "min_confidence"];
const PAGE = 200;

function apiParams(p) {
  const out = {};
  for (const k of FILTERS) if (p[k]) out[k] = p[k];
  return out;
}

export function flowName(f) {
  return f.designation || f.category_label || f.category || f.id;
}

/** Estimator names of a flow: from its estimates, else the ids its quantities list. */
function estimators(f) {
  const names = new Map();
  for (const e of f.estimates || []) if (e.estimator) names.set(e.estimator.id, e.estimator.name || e.estimator.id);
  for (const q of f.quantities || []) {
    for (const id of q.estimators || []) if (!names.has(id)) names.set(id, id);
    const est = q.latest && q.latest.estimator;
    if (est && !names.has(est.id)) names.set(est.id, est.name || est.id);
  }
  return [...names.values()];
}

/** One line per (unit, measure): the latest figure, and the range across current estimates when it differs. */
function quantityCell(f) {
  if (!(f.quantities || []).length) return h("span", { class: "muted" }, "no figure");
  return h("ul", { class: "plain" }, f.quantities.map((q) => {
    const latest = q.latest || q;
    const unit = q.unit || latest.unit;
    const parts = [h("strong", {}, figure({ ...latest, unit }))];
    if (q.measure && q.measure !== "amount") parts.push(` (${q.measure})`);
    if (q.latest && q.latest.as_of) parts.push(h("small", {}, ` as of ${q.latest.as_of}`));
    const r = q.range;
    if (r && (r.min !== latest.min || r.max !== latest.max) && (r.min != null || r.max != null)) {
      parts.push(h("br"), h("small", {}, `range of current estimates: ${figure({ ...r, unit })}`));
    }
    if (q.estimate_count > 1) parts.push(h("small", {}, ` · ${q.estimate_count} estimates`));
    return h("li", {}, parts);
  }));
}

function claimCount(f) {
  return f.claim_count ?? (f.claims || []).length;
}

function flowRow(f, p) {
  const disputed = f.disputed || f.status === "disputed";
  return h("tr", { "data-flow": f.id, class: p.flow === f.id ? "selected" : null },
    h("th", { scope: "row" },
      viewLink({ ...p, view: "flows", flow: f.id }, flowName(f), { "aria-label": `Open ${flowName(f)}` }),
      h("br"), h("small", { class: "muted" }, f.id),
      disputed ? h("span", { class: "badge disputed" }, " disputed") : null),
    h("td", {}, entityLink(f.from), " → ", entityLink(f.to)),
    h("td", {}, f.category_label || f.category || "—"),
    h("td", {}, period(f.period), f.ongoing ? h("small", {}, " (ongoing)") : null),
    h("td", {}, quantityCell(f)),
    h("td", {}, estimators(f).join(", ") || h("span", { class: "muted" }, "—")),
    h("td", { class: "num" }, String(claimCount(f))));
}

function estimateRows(f) {
  return (f.estimates || []).map((e) => h("tr", { "data-estimate": e.id },
    h("td", {}, e.estimator ? entityLink(e.estimator) : "—"),
    h("td", {}, e.as_of || "—"),
    h("td", {}, e.scope || "—"),
    h("td", {}, e.measure || "amount"),
    h("td", {}, figure(e), e.current === false ? h("small", { class: "muted" }, " (superseded)") : null),
    h("td", {}, period({ start: e.start, end: e.end })),
    h("td", { class: "num" }, String((e.claims || []).length)),
    h("td", {}, e.note || "")));
}

async function flowDetail(id, fromList, p) {
  const f = await getOr("/flows/{id}", `/flows/${encodeURIComponent(id)}`, {}, fromList);
  if (!f) return h("section", { class: "detail" }, status(`No flow ${id} in the current results.`));
  const estimates = f.estimates || [];
  const claims = f.claims || [...new Map(estimates.flatMap((e) => e.claims || []).map((c) => [c.id, c])).values()];
  return h("section", { class: "detail", "aria-labelledby": "flow-title", id: "flow-detail" },
    h("h2", { id: "flow-title" }, flowName(f)),
    h("p", {}, entityLink(f.from), " → ", entityLink(f.to), " · ", period(f.period),
      f.status ? ` · ${f.status}` : "", f.former_id ? ` · formerly ${f.former_id}` : ""),
    f.note ? h("p", { class: "note" }, f.note) : null,
    f.part_of ? h("p", {}, "Part of ", viewLink({ ...p, flow: f.part_of.id ?? f.part_of }, f.part_of.id ?? f.part_of)) : null,
    h("p", {}, viewLink({ view: "history", flow: f.id }, "Estimate history chart →"), " · ",
      viewLink({ view: "flows", ...Object.fromEntries(Object.entries(p).filter(([k]) => k !== "flow")) }, "Close")),
    h("h3", {}, `Estimates (${estimates.length})`),
    estimates.length
      ? table(null, ["Estimator", "As of", "Scope", "Measure", "Figure", "Period", "Claims", "Note"], estimateRows(f),
        { class: "estimates" })
      : h("p", {}, "Figures: ", quantityCell(f), h("small", { class: "muted" },
        " (this server's /flows gives no separate estimates for this flow)")),
    h("h3", {}, `Claims (${claims.length})`),
    h("ul", { class: "claims" }, claims.map(claimItem)));
}

export async function render(root, p, { navigate }) {
  const form = await filterForm(p, FILTERS, (values) => navigate({ view: "flows", ...values }));
  const page = await get("/flows", { ...apiParams(p), limit: PAGE });
  const items = page.items || [];
  const csvHref = `/flows${queryString({ ...apiParams(p), limit: PAGE, format: "csv" })}`;
  root.append(
    h("h1", {}, "Flows"),
    h("p", { class: "lead" }, "Distinct flows: for each, the latest figure per unit, the range of the current ",
      "estimates, who estimated it, and how many claims back it. Open a row for every estimate and quote."),
    form,
    h("p", { class: "summary", role: "status" },
      `${page.total} flow${page.total === 1 ? "" : "s"}`,
      page.total > items.length ? ` (the first ${items.length} shown)` : "", " · ",
      h("a", { href: csvHref, download: "flows.csv" }, "Download CSV of these flows")));
  if (p.flow) root.append(await flowDetail(p.flow, items.find((f) => f.id === p.flow), p));
  if (!items.length) {
    root.append(status("No flow matches these filters."));
    return;
  }
  root.append(h("div", { class: "scroll" }, table(null,
    ["Flow", "From → to", "Category", "Period", "Latest figure / range", "Estimators", "Claims"],
    items.map((f) => flowRow(f, p)), { class: "flows", id: "flows-table" })));
  if (p.flow) return () => document.getElementById("flow-detail")?.scrollIntoView({ block: "nearest" });
}

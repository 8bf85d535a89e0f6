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

/** The bodies that made an estimate (several when made jointly). */
export function estimatorsOf(e) {
  return e.estimators || (e.estimator ? [e.estimator] : []);
}

/** Estimator names of a flow: from its estimates, else from its quantities. */
function estimators(f) {
  const names = new Map();
  for (const e of f.estimates || []) for (const a of estimatorsOf(e)) names.set(a.id, a.name || a.id);
  for (const q of f.quantities || []) {
    for (const a of q.estimators || []) if (!names.has(a.id ?? a)) names.set(a.id ?? a, a.name || a.id || a);
  }
  return [...names.values()];
}

/** One end of a range, its qualifier kept ("more than 20,000"). */
function rangeEnd(end, unit) {
  return figure({ min: end.value, max: end.value, qualifier: end.qualifier, unit });
}

/** One line per unit, measure and scope: the latest figure (as of, by whom), and the range across current estimates
 * when it differs — never a sum. */
function quantityCell(f) {
  if (!(f.quantities || []).length) return h("span", { class: "muted" }, "no figure");
  return h("ul", { class: "plain" }, f.quantities.map((q) => {
    const latest = q.latest || q;
    const unit = q.unit || latest.unit;
    const parts = [h("strong", {}, figure({ ...latest, unit }))];
    const what = [q.measure, q.scope && q.scope !== "cumulative" ? q.scope : null,
      q.window ? `${q.window.start ?? "?"}–${q.window.end ?? q.window.start ?? "?"}` : null].filter(Boolean);
    if (what.length) parts.push(` (${what.join(", ")})`);
    if (q.latest && q.latest.as_of) parts.push(h("small", {}, ` as of ${q.latest.as_of}`));
    const by = q.latest ? estimatorsOf(q.latest).map((a) => a.name || a.id).join(", ") : "";
    if (by) parts.push(h("small", {}, ` by ${by}`));
    const r = q.range;
    if (r && r.low && r.high && (r.low.estimate !== r.high.estimate || r.low.value !== r.high.value)) {
      parts.push(h("br"), h("small", { class: "range" },
        `range of current estimates: ${rangeEnd(r.low, null)} … ${rangeEnd(r.high, unit)}`));
    }
    if (q.estimate_count > 1) parts.push(h("small", {}, ` · ${q.estimate_count} estimates`));
    if (q.latest && q.latest.tie_break) parts.push(h("small", {}, ` · tie: ${q.latest.tie_break}`));
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
    h("td", {}, estimatorsOf(e).length ? estimatorsOf(e).map((a, i) => [i ? ", " : "", entityLink(a)]) : "—"),
    h("td", {}, e.as_of || "—"),
    h("td", {}, e.scope || "—"),
    h("td", {}, e.measure || "amount"),
    h("td", {}, figure(e), e.current === false ? h("small", { class: "muted" }, " (superseded or retracted)") : null),
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
      f.status ? ` · ${f.status}` : "", f.resolved_from ? ` · you asked for ${f.resolved_from}, an id it had before` : ""),
    f.note ? h("p", { class: "note" }, f.note) : null,
    (f.part_of || []).length ? h("p", {}, "Part of ", f.part_of.map((w, i) => [i ? ", " : "",
      viewLink({ ...p, flow: w.id }, w.name || w.id)])) : null,
    (f.parts || []).length ? h("p", {}, "Includes ", f.parts.map((w, i) => [i ? ", " : "",
      viewLink({ ...p, flow: w.id }, w.name || w.id)]), " (never added to it)") : null,
    (f.former_ids || []).length ? h("p", {}, h("small", { class: "muted" }, `Former ids: ${f.former_ids.join(", ")}`)) : null,
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

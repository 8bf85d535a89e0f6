// Totals by year and category (GET /flows/summary), as a bar chart per unit, with the API's own statement of how
// each total was combined (and what it would not add up). Never a sum this page makes itself.

import { get } from "./api.js";
import { draw } from "./chart.js";
import { filterForm } from "./filters.js";
import { figure, h, num, status, table, viewLink } from "./util.js";

const FILTERS = ["from", "to", "since", "until", "category"];

/** Rows of either summary shape as {year, category, unit, measure, min, max, flows, method, not_combined}. */
function rows(answer) {
  const out = [];
  for (const r of answer.items || answer.rows || []) {
    if (r.quantities) { // the older shape: one row per year × category with summed quantities
      for (const q of r.quantities) {
        out.push({ year: r.year, category: r.category_label || r.category, unit: q.unit, measure: "amount",
          min: q.min_total, max: q.max_total, flows: r.transfer_ids || [], method: r.method || answer.method,
          not_combined: r.not_combined || [] });
      }
      if (!r.quantities.length) out.push({ year: r.year, category: r.category_label || r.category, unit: null,
        flows: r.transfer_ids || [], method: r.method || answer.method, not_combined: [] });
    } else {
      out.push({ ...r, category: r.category_label || r.category, flows: r.flows || r.flow_ids || [] });
    }
  }
  return out;
}

/** The dates a total counts up to: "2025-05-29", or "2024-03 … 2025-05-29" for a sum of estimates of several dates. */
function asOf(r) {
  if (!r.as_of_to) return "—";
  return r.as_of_from && r.as_of_from !== r.as_of_to ? `${r.as_of_from} \u2026 ${r.as_of_to}` : r.as_of_to;
}

export async function render(root, p, { navigate }) {
  const form = await filterForm(p, FILTERS, (values) => navigate({ view: "totals", ...values, unit: p.unit }));
  const params = {};
  for (const k of FILTERS) if (p[k]) params[k] = p[k];
  const answer = await get("/flows/summary", params);
  const all = rows(answer);
  root.append(h("h1", {}, "Totals by year and category"),
    h("p", { class: "lead" }, "What the API's /flows/summary adds up, per year and category, for one unit at a time. ",
      "Each total states how it was combined; flows it would not add are listed with the reason. ",
    "A year is when the flows began, not the period counted: each total is a running count as of the dates in ",
    "the \u201cas of\u201d column."), form);
  const units = [...new Set(all.filter((r) => r.unit).map((r) => `${r.unit}|${r.measure || "amount"}`))].sort();
  if (!units.length) {
    root.append(status("No totals for these filters."));
    return;
  }
  const unitKey = units.includes(p.unit) ? p.unit : units.reduce((best, u) =>
    (all.filter((r) => `${r.unit}|${r.measure || "amount"}` === u).length
      > all.filter((r) => `${r.unit}|${r.measure || "amount"}` === best).length ? u : best), units[0]);
  const picker = h("select", { name: "unit", id: "unit-picker" }, units.map((u) =>
    h("option", { value: u, selected: u === unitKey }, u.replace("|", " · "))));
  picker.addEventListener("change", () => navigate({ ...p, view: "totals", unit: picker.value }));
  root.append(h("p", {}, h("label", { for: "unit-picker" }, "Unit: "), picker));
  const shown = all.filter((r) => `${r.unit}|${r.measure || "amount"}` === unitKey);
  const methods = [...new Set(all.map((r) => r.method).filter(Boolean))];
  root.append(h("section", { class: "method", "aria-label": "Combination method" }, h("h2", {}, "How these totals are combined"),
    methods.length ? h("ul", {}, methods.map((m) => h("li", {}, m)))
      : h("p", {}, "This server's /flows/summary does not state a method: its totals are sums of the lower and ",
        "upper bounds of each flow's figures per category and start year.")));
  const chart = h("div", { class: "chart", role: "img", "aria-label": `Totals per year, ${unitKey.replace("|", ", ")}` });
  root.append(chart);
  const notCombined = shown.flatMap((r) => (r.not_combined || []).map((n) => ({ ...n, year: r.year, category: r.category })));
  root.append(table("Totals", ["Flows began", "Category", "Total", "As of", "Flows combined", "Method"], shown.map((r) => h("tr", {},
    h("td", {}, r.year ?? "undated"), h("td", {}, r.category || "—"),
    h("td", { class: "num" }, figure({ min: r.min, max: r.max, qualifier: r.qualifier, unit: r.unit })),
    h("td", {}, asOf(r)),
    h("td", {}, (r.flows || []).map((id, i) => [i ? ", " : "", viewLink({ view: "flows", flow: id }, id)])),
    h("td", {}, r.method || "—")))));
  if (notCombined.length) {
    root.append(table("Not combined", ["Year", "Category", "Flow", "Why"], notCombined.map((n) => h("tr", {},
      h("td", {}, n.year ?? "—"), h("td", {}, n.category || "—"), h("td", {}, viewLink({ view: "flows", flow: n.flow?.id ?? n.flow }, n.flow?.id ?? n.flow)),
      h("td", {}, n.reason || "")))));
  }
  return () => {
    const categories = [...new Set(shown.map((r) => r.category))];
    const traces = categories.map((c, i) => {
      const list = shown.filter((r) => r.category === c);
      return {
        type: "bar", name: c, x: list.map((r) => String(r.year ?? "undated")), y: list.map((r) => r.min ?? r.max),
        marker: { pattern: { shape: ["", "/", "x", ".", "\\", "+", "-", "|"][i % 8] } },
        error_y: { type: "data", symmetric: false, array: list.map((r) => (r.max != null && r.min != null ? r.max - r.min : 0)),
          arrayminus: list.map(() => 0), visible: list.some((r) => r.max != null && r.min != null && r.max !== r.min) },
        text: list.map((r) => `${num(r.min ?? r.max)}`), textposition: "auto",
        hovertext: list.map((r) => `${num(r.min ?? r.max)} as of ${asOf(r)}`), hoverinfo: "text+name",
      };
    });
    return draw(chart, traces, { barmode: "group", xaxis: { title: { text: "year the flows began (totals as of the dates in the table)" }, type: "category" },
      yaxis: { title: { text: unitKey.split("|")[0] } }, height: 420 });
  };
}

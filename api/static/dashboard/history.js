// Estimate history: a flow's estimates over their as-of dates (GET /flows/{id}/estimates), one series per
// estimator, one mark per estimate; a range (min–max) is drawn as a band from its low to its high figure, and an
// open figure ("more than 20,000") as a mark with an arrow-like symbol. One chart per unit and measure.

import { get, getOr } from "./api.js";
import { DASHES, SYMBOLS, draw } from "./chart.js";
import { estimatorsOf, flowName } from "./flows.js";
import { entityLink, field, figure, h, status, table, viewLink } from "./util.js";

/** The estimates of a flow, from /flows/{id}/estimates, else from the flow itself (older servers). */
async function series(id, fromList) {
  const answer = await getOr("/flows/{id}/estimates", `/flows/${encodeURIComponent(id)}/estimates`, {}, null);
  if (answer) return { flow: answer.flow, estimates: answer.series || answer.items || [], route: true };
  const flow = await getOr("/flows/{id}", `/flows/${encodeURIComponent(id)}`, {}, fromList);
  if (!flow) throw new Error(`no flow ${id}`);
  return { flow, estimates: flow.estimates || [], route: false };
}

function value(e) {
  return e.min ?? e.max;
}

/** One series per estimator (a joint estimate is its own series, named by all its makers). */
function estimatorName(e) {
  return estimatorsOf(e).map((a) => a.name || a.id).join(" + ") || "unknown estimator";
}

function groupBy(items, key) {
  const out = new Map();
  for (const item of items) (out.get(key(item)) ?? out.set(key(item), []).get(key(item))).push(item);
  return out;
}

function traces(estimates) {
  const out = [];
  [...groupBy(estimates, estimatorName)].forEach(([name, list], i) => {
    list.sort((a, b) => String(a.as_of).localeCompare(String(b.as_of)));
    const ranged = list.filter((e) => e.min != null && e.max != null && e.max !== e.min);
    if (ranged.length) { // the band: upper edge, then the lower edge filled up to it
      const x = ranged.map((e) => e.as_of);
      out.push({ x, y: ranged.map((e) => e.max), mode: "lines", line: { width: 0 }, hoverinfo: "skip",
        showlegend: false, legendgroup: name, name: `${name} (high)` });
      out.push({ x, y: ranged.map((e) => e.min), mode: "lines", line: { width: 0 }, fill: "tonexty", hoverinfo: "skip",
        legendgroup: name, name: `${name}: range` });
    }
    out.push({
      x: list.map((e) => e.as_of), y: list.map(value), name, legendgroup: name, mode: "lines+markers",
      marker: { size: 11, symbol: list.map((e) => (e.max == null && e.min != null && e.qualifier !== "exact"
        ? "triangle-up" : e.min == null && e.max != null ? "triangle-down" : SYMBOLS[i % SYMBOLS.length])) },
      line: { dash: DASHES[i % DASHES.length] },
      error_y: { type: "data", symmetric: false, array: list.map((e) => (e.max != null && e.min != null ? e.max - e.min : 0)),
        arrayminus: list.map(() => 0), visible: list.some((e) => e.max != null && e.min != null && e.max !== e.min) },
      text: list.map((e) => `${figure(e)} (${e.scope || "scope?"})`),
      hovertemplate: "%{x}: %{text}<extra>%{fullData.name}</extra>",
    });
  });
  return out;
}

export async function render(root, p, { navigate }) {
  const page = await get("/flows", { limit: 200 });
  const choices = page.items || [];
  const picker = h("select", { name: "flow" }, h("option", { value: "" }, "choose a flow"),
    choices.map((f) => h("option", { value: f.id, selected: f.id === p.flow }, `${flowName(f)} (${f.from?.id} → ${f.to?.id})`)));
  const form = h("form", { class: "filters", "aria-label": "Flow" }, field("Flow", picker),
    h("button", { type: "submit" }, "Show"));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    navigate({ view: "history", flow: picker.value });
  });
  root.append(h("h1", {}, "Estimate history"),
    h("p", { class: "lead" }, "How a flow's figures grew: each mark is one estimate at its as-of date, one series per ",
      "estimator; bars and bands show ranges, ▲ marks an open figure (“more than”)."), form);
  if (!p.flow) {
    root.append(status("Choose a flow to see its estimates over time."));
    return;
  }
  const { flow, estimates, route } = await series(p.flow, choices.find((f) => f.id === p.flow));
  root.append(h("h2", {}, flowName(flow || { id: p.flow }), " ",
    viewLink({ view: "flows", flow: p.flow }, "(open the flow)")));
  if (!estimates.length) {
    root.append(status(route ? "This flow has no dated estimates to chart."
      : "This server's API has no /flows/{id}/estimates route, and its flows carry no estimates: nothing to chart."));
    return;
  }
  const groups = groupBy(estimates.filter((e) => e.as_of), (e) => `${e.unit || "no unit"} · ${e.measure || "amount"}`);
  const charts = [];
  for (const [key, list] of groups) {
    const el = h("div", { class: "chart", role: "img", "aria-label": `Estimates over time, ${key}`, "data-marks": list.length });
    charts.push([el, list, key]);
    root.append(h("h3", {}, key), el);
  }
  root.append(table("Every estimate", ["As of", "Estimator", "Figure", "Scope", "Measure"],
    estimates.map((e) => h("tr", {}, h("td", {}, e.as_of || "—"),
      h("td", {}, estimatorsOf(e).length ? estimatorsOf(e).map((a, i) => [i ? ", " : "", entityLink(a)]) : "—"),
      h("td", {}, figure(e)), h("td", {}, e.scope || "—"), h("td", {}, e.measure || "amount")))));
  return async () => {
    for (const [el, list, key] of charts) {
      await draw(el, traces(list), { xaxis: { title: { text: "as of" }, type: "date" },
        yaxis: { title: { text: key.split(" · ")[0] }, rangemode: "tozero" }, height: 420 });
    }
  };
}

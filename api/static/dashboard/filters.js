// The filter form shared by the flows, totals and timeline views: from/to (state by name or code), period,
// category (the SKOS tree from /queries/categories), minimum confidence. Submitting it changes the URL.

import { get } from "./api.js";
import { field, h } from "./util.js";

let statesPromise = null;
let categoriesPromise = null;

export function states() {
  statesPromise ??= get("/queries/states").then((r) => r.rows);
  return statesPromise;
}

export function categories() {
  categoriesPromise ??= get("/queries/categories").then((r) => r.rows);
  return categoriesPromise;
}

/** The categories in tree order (each narrower concept under its broader one), with their depth. */
export function categoryTree(rows) {
  const byId = new Map(rows.map((c) => [c.id, c]));
  const children = new Map();
  const roots = [];
  for (const c of rows) {
    const parent = (c.broader || []).find((b) => byId.has(b));
    if (parent) (children.get(parent) ?? children.set(parent, []).get(parent)).push(c);
    else roots.push(c);
  }
  const out = [];
  const walk = (c, depth) => {
    out.push({ ...c, depth });
    for (const k of children.get(c.id) ?? []) walk(k, depth + 1);
  };
  roots.forEach((c) => walk(c, 0));
  return out;
}

/**
 * The form; `fields` picks which filters show. `onSubmit(values)` gets the non-empty values.
 * Returns the <form> element.
 */
export async function filterForm(p, fields, onSubmit, { submitLabel = "Show" } = {}) {
  const [stateRows, categoryRows] = await Promise.all([
    fields.includes("from") ? states() : [],
    fields.includes("category") ? categories() : [],
  ]);
  const controls = [];
  if (fields.includes("from")) {
    controls.push(h("datalist", { id: "state-names" },
      stateRows.flatMap((s) => [h("option", { value: s.id }, s.name),
        ...(s.aliases || []).map((a) => h("option", { value: a }, s.name))])));
    controls.push(field("From", h("input", { name: "from", value: p.from ?? "", list: "state-names", size: 12,
      placeholder: "e.g. DPRK" })));
    controls.push(field("To", h("input", { name: "to", value: p.to ?? "", list: "state-names", size: 12,
      placeholder: "e.g. Russia" })));
  }
  if (fields.includes("both_directions")) {
    controls.push(h("label", { class: "field check" }, h("input", { type: "checkbox", name: "both_directions",
      value: "true", checked: p.both_directions === "true" }), h("span", {}, "both directions")));
  }
  if (fields.includes("since")) {
    controls.push(field("Since", h("input", { name: "since", value: p.since ?? "", size: 10, placeholder: "YYYY[-MM[-DD]]",
      pattern: "\\d{4}(-\\d{2}(-\\d{2})?)?" })));
    controls.push(field("Until", h("input", { name: "until", value: p.until ?? "", size: 10, placeholder: "YYYY[-MM[-DD]]",
      pattern: "\\d{4}(-\\d{2}(-\\d{2})?)?" })));
  }
  if (fields.includes("category")) {
    controls.push(field("Category", h("select", { name: "category" },
      h("option", { value: "" }, "any category"),
      categoryTree(categoryRows).map((c) => h("option", { value: c.id, selected: c.id === p.category },
        `${"\u2003".repeat(c.depth)}${c.label || c.id}`)))));
  }
  if (fields.includes("min_confidence")) {
    controls.push(field("Minimum confidence", h("select", { name: "min_confidence" },
      [["", "any"], ["low", "low"], ["medium", "medium"], ["high", "high"]].map(([v, t]) =>
        h("option", { value: v, selected: (p.min_confidence ?? "") === v }, t)))));
  }
  const form = h("form", { class: "filters", role: "search", "aria-label": "Filters" }, controls,
    h("button", { type: "submit" }, submitLabel));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const values = {};
    for (const [k, v] of new FormData(form)) if (String(v).trim()) values[k] = String(v).trim();
    onSubmit(values);
  });
  return form;
}

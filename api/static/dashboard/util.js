// Small DOM and formatting helpers shared by the views (no framework: h() builds elements, text is never HTML).

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else if (key === "class") el.className = value;
    else if (value === true) el.setAttribute(key, "");
    else el.setAttribute(key, String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** A link to another dashboard view (handled by the app's router: history entry, no reload). */
export function viewLink(params, text, attrs = {}) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== "") q.set(k, v);
  return h("a", { href: `/dashboard?${q}`, "data-nav": "", ...attrs }, text);
}

export function entityLink(ref) {
  if (!ref) return "—";
  return viewLink({ view: "entity", id: ref.id }, ref.name || ref.id);
}

const QUALIFIERS = {
  more_than: "more than", at_least: "at least", up_to: "up to", approximately: "about", nearly: "nearly",
  fewer_than: "fewer than", less_than: "less than", exact: "",
};

export function num(value) {
  return typeof value === "number" ? value.toLocaleString("en") : String(value);
}

/** "more than 20,000 container", "10,000–12,000 soldier": one figure (min/max/qualifier/unit). */
export function figure(f, { unit = true } = {}) {
  if (!f) return "—";
  const { min, max } = f;
  let value;
  if (min == null && max == null) value = "?";
  else if (min == null) value = num(max);
  else if (max == null || max === min) value = num(min);
  else value = `${num(min)}–${num(max)}`;
  const words = [QUALIFIERS[f.qualifier] ?? (f.qualifier || "").replaceAll("_", " "), value];
  if (unit && f.unit) words.push(f.unit);
  return words.filter(Boolean).join(" ");
}

export function period(p) {
  if (!p) return "—";
  const start = p.start ?? p.date;
  if (!start && !p.end) return "undated";
  return p.end && p.end !== start ? `${start ?? "?"} – ${p.end}` : start;
}

export function sourceLink(source) {
  if (!source) return "no source";
  const label = [source.publisher, source.title].filter(Boolean).join(": ") || source.id;
  const date = source.date ? ` (${source.date})` : "";
  return source.url
    ? h("span", {}, h("a", { href: source.url, rel: "noopener noreferrer" }, label), date)
    : h("span", {}, label, date, " ", h("span", { class: "muted" }, `[${source.id}]`));
}

export function claimItem(claim) {
  return h("li", { class: "claim" },
    h("blockquote", {}, claim.quote ? `“${claim.quote}”` : "(no quote)"),
    h("p", { class: "claim-meta" },
      h("span", { class: `stance stance-${claim.stance || "unknown"}` }, claim.stance || "stance unknown"),
      " · confidence: ", claim.confidence || "—",
      claim.date ? ` · ${claim.date}` : "",
      " · ", sourceLink(claim.source)));
}

export function status(text) {
  return h("p", { class: "status", role: "status" }, text);
}

/** A labelled form control: <label>text <input …></label>. */
export function field(labelText, control, hint) {
  return h("label", { class: "field" }, h("span", {}, labelText), control,
    hint ? h("small", { class: "hint" }, hint) : null);
}

export function table(caption, headers, rows, attrs = {}) {
  return h("table", attrs,
    caption ? h("caption", {}, caption) : null,
    h("thead", {}, h("tr", {}, headers.map((x) => h("th", { scope: "col" }, x)))),
    h("tbody", {}, rows));
}

// Where sources disagree (GET /disputes): each disputed fact — a flow, an office held, a figure, an event — with
// the claims that back it on one side and, on the other, the claims that deny it or that its claims dispute.
// Nothing is settled here: every claim is shown with its source.

import { get } from "./api.js";
import { entityLink, field, h, sourceLink, status, viewLink } from "./util.js";

const REASONS = {
  marked_disputed: "marked disputed", denied: "a source denies it or declines to confirm it",
  claims_disagree: "its claims dispute others",
};
const AGAINST = new Set(["denies", "declines_to_confirm"]);

function claim(c) {
  return h("li", { class: "claim", "data-claim": c.id },
    h("blockquote", {}, c.quote ? `“${c.quote}”` : "(no quote)"),
    h("p", { class: "claim-meta" }, h("span", { class: "stance" }, c.stance || "—"),
      ` · confidence: ${c.confidence || "—"}`, c.date ? ` · ${c.date}` : "", " · ", sourceLink(c.source),
      c.claimants.length ? ` · says: ${c.claimants.map((a) => a.name || a.id).join(", ")}` : "",
      c.supports && c.supports.length ? h("span", {}, " · backs ", c.supports.map((n, i) => [i ? ", " : "", entityLink(n)])) : "",
      c.disputes.length ? h("small", { class: "muted" }, ` · disputes ${c.disputes.join(", ")}`) : ""));
}

function column(title, claims) {
  return h("div", { class: "side" }, h("h3", {}, `${title} (${claims.length})`),
    claims.length ? h("ul", { class: "claims" }, claims.map(claim)) : status("none"));
}

function factLink(f) {
  const isFlow = f.labels.includes("Transfer");
  return isFlow ? viewLink({ view: "flows", flow: f.id }, f.name || f.id) : entityLink({ id: f.id, name: f.name });
}

export async function render(root, p, { navigate }) {
  const input = h("input", { name: "about", value: p.about ?? "", placeholder: "an id, e.g. vitaly-shulika" });
  const form = h("form", { class: "filters", role: "search", "aria-label": "Disputes about" },
    field("About (id)", input), h("button", { type: "submit" }, "Show"));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    navigate({ view: "disputes", about: input.value.trim() });
  });
  root.append(h("h1", {}, "Where sources disagree"), h("p", { class: "lead" },
    "Facts that the API marks disputed, that a source denies, or whose claims dispute other claims — the claims on ",
    "each side, side by side. Nothing here is settled by the dashboard."), form);
  const answer = await get("/disputes", { about: p.about, limit: 200 });
  root.append(h("p", { class: "summary", role: "status" },
    `${answer.total} disputed fact${answer.total === 1 ? "" : "s"}`,
    answer.total > answer.items.length ? ` (the first ${answer.items.length} shown)` : ""));
  if (!answer.items.length) {
    root.append(status("No disputed facts."));
    return;
  }
  root.append(h("div", { id: "disputes" }, answer.items.map((f) => h("section", { class: "dispute", "data-id": f.id },
    h("h2", {}, factLink(f), f.status === "disputed" ? h("span", { class: "badge disputed" }, "disputed") : null),
    h("p", { class: "muted" }, f.labels.join(", "), f.about ? h("span", {}, " of ", entityLink(f.about)) : "",
      " · listed because ", f.reasons.map((r) => REASONS[r] || r).join("; ")),
    h("div", { class: "sides" },
      column("Claims backing it", f.claims.filter((c) => !AGAINST.has(c.stance))),
      column("On the other side", [...f.claims.filter((c) => AGAINST.has(c.stance)), ...f.counterclaims]))))));
}

// Where sources disagree: the disputed facts, with the claims on each side side by side. A fact is disputed when
// the API marks it so (a flow's status/disputed) or when a claim about it denies it or disputes another claim.
// Reads GET /flows (every flow) and GET /claims?about=… for each candidate.

import { get } from "./api.js";
import { h, sourceLink, status, viewLink } from "./util.js";

function sideOf(stance) {
  return stance === "denies" || stance === "declines_to_confirm" ? "against" : "for";
}

function isDisputed(answer) {
  return answer.groups.some((g) => sideOf(g.stance) === "against" || g.claims.some((c) => (c.disputes || []).length));
}

function column(title, groups) {
  return h("div", { class: "side" }, h("h3", {}, title),
    groups.length ? h("ul", { class: "claims" }, groups.flatMap((g) => g.claims.map((c) => h("li", { class: "claim" },
      h("blockquote", {}, c.quote ? `“${c.quote}”` : "(no quote)"),
      h("p", { class: "claim-meta" }, h("span", { class: "stance" }, g.stance || "—"), ` · confidence: ${c.confidence || "—"}`,
        c.date ? ` · ${c.date}` : "", " · ", sourceLink(g.source)))))) : status("no claim"));
}

export async function render(root, p) {
  root.append(h("h1", {}, "Where sources disagree"), h("p", { class: "lead" },
    "Facts that a source denies, that claims dispute, or that the API marks disputed — the claims on each side, ",
    "side by side. Nothing here is settled by the dashboard."));
  const flows = (await get("/flows", { limit: 200 })).items;
  const candidates = [...flows.map((f) => ({ id: f.id, name: f.designation || f.category_label || f.id, flow: true,
    marked: f.disputed || f.status === "disputed" }))];
  const answers = await Promise.all(candidates.map((c) => get("/claims", { about: c.id }).catch(() => null)));
  const facts = candidates.map((c, i) => ({ ...c, claims: answers[i] })).filter((c) => c.claims && (c.marked || isDisputed(c.claims)));
  root.append(h("p", { class: "summary", role: "status" }, `${facts.length} disputed fact${facts.length === 1 ? "" : "s"}`));
  if (!facts.length) {
    root.append(status("No disputed facts found."));
    return;
  }
  root.append(h("div", { id: "disputes" }, facts.map((f) => h("section", { class: "dispute", "data-id": f.id },
    h("h2", {}, f.flow ? viewLink({ view: "flows", flow: f.id }, f.claims.about.name || f.name)
      : viewLink({ view: "entity", id: f.id }, f.claims.about.name || f.name), f.marked ? h("span", { class: "badge disputed" }, "disputed") : null),
    h("div", { class: "sides" },
      column("Asserted or reported", f.claims.groups.filter((g) => sideOf(g.stance) === "for")),
      column("Denied or not confirmed", f.claims.groups.filter((g) => sideOf(g.stance) === "against")))))));
}

// Timeline of a period: meetings, visits and other events (GET /timeline), UN Security Council votes (GET /votes),
// reports (GET /sources, kind Report) and deployments (GET /flows, category personnel), in date order, each with
// what happened and, on demand, its sources (GET /claims?about=…).

import { get } from "./api.js";
import { entityLink, field, h, period, sourceLink, status, viewLink } from "./util.js";

function inPeriod(date, since, until) {
  if (!date) return false;
  const d = String(date);
  return (!since || d.slice(0, since.length) >= since) && (!until || d.slice(0, until.length) <= until);
}

async function allSources() {
  const first = await get("/sources", { limit: 200 });
  const items = [...first.items];
  for (let offset = 200; offset < first.total; offset += 200) items.push(...(await get("/sources", { limit: 200, offset })).items);
  return items;
}

async function entries(p) {
  const range = { since: p.since, until: p.until };
  const out = [];
  const events = await get("/timeline", { ...range, limit: 200 });
  for (const e of events.items) {
    out.push({ id: e.id, date: e.period.start, kind: e.kind, what: e.name || e.id, when: period(e.period),
      who: e.participants, where: e.location, about: e.concerns, claims: e.claims });
  }
  const [votes, sources, deployments] = await Promise.all([
    get("/votes"), allSources(), get("/flows", { ...range, category: "personnel", limit: 200 })]);
  for (const r of votes.items) {
    if (!inPeriod(r.date, p.since, p.until)) continue;
    const tally = r.votes.filter((v) => v.choice).map((v) => `${v.voter?.name || v.voter?.id}: ${v.choice.replace("_", " ")}`);
    out.push({ id: r.id, date: r.date, kind: "Vote", when: r.date,
      what: `${r.name || r.symbol || r.id}${r.outcome ? ` — ${r.outcome}` : ""}${r.vote_tally ? ` (${r.vote_tally})` : ""}`,
      detail: tally.join("; "), who: r.sponsors, about: r.concerns });
  }
  for (const s of sources) {
    if (s.kind !== "Report" || !inPeriod(s.date, p.since, p.until)) continue;
    out.push({ id: s.id, date: s.date, kind: "Report", when: s.date, what: s.title || s.id, source: s,
      detail: `${s.claims} claim${s.claims === 1 ? "" : "s"} in the graph cite it` });
  }
  for (const f of deployments.items) {
    out.push({ id: f.id, date: f.period.start, kind: "Deployment", when: period(f.period), flow: f,
      what: `${f.designation || f.category_label || f.id}: ${f.from?.name || f.from?.id} → ${f.to?.name || f.to?.id}`,
      claims: f.claim_count ?? (f.claims || []).length });
  }
  return out.sort((a, b) => String(a.date ?? "9999").localeCompare(String(b.date ?? "9999")) || a.id.localeCompare(b.id));
}

function sourcesButton(id) {
  const box = h("div", { class: "sources", "aria-live": "polite" });
  const button = h("button", { type: "button", "aria-expanded": "false" }, "Sources");
  button.addEventListener("click", async () => {
    if (button.getAttribute("aria-expanded") === "true") {
      box.replaceChildren();
      button.setAttribute("aria-expanded", "false");
      return;
    }
    button.setAttribute("aria-expanded", "true");
    box.replaceChildren(status("Loading sources…"));
    try {
      const answer = await get("/claims", { about: id });
      box.replaceChildren(answer.groups.length ? h("ul", { class: "claims" }, answer.groups.flatMap((g) => g.claims.map((c) =>
        h("li", { class: "claim" }, h("blockquote", {}, c.quote ? `“${c.quote}”` : "(no quote)"),
          h("p", { class: "claim-meta" }, h("span", { class: "stance" }, g.stance || "—"), " · ", sourceLink(g.source))))))
        : status("No claims recorded for this item."));
    } catch (err) {
      box.replaceChildren(h("p", { class: "error" }, `Could not load the sources: ${err.detail || err.message}`));
    }
  });
  return [button, box];
}

function entry(e) {
  const people = (e.who || []).map((r, i) => [i ? ", " : "", entityLink(r)]);
  return h("li", { class: `entry kind-${e.kind.toLowerCase()}`, "data-id": e.id },
    h("p", { class: "entry-head" }, h("time", {}, e.when || "undated"), " ", h("span", { class: "badge" }, e.kind)),
    h("p", { class: "what" }, e.flow ? viewLink({ view: "flows", flow: e.id }, e.what) : e.source ? sourceLink(e.source) : e.what),
    e.detail ? h("p", { class: "muted" }, e.detail) : null,
    people.length ? h("p", {}, e.kind === "Vote" ? "Sponsors: " : "Who: ", people) : null,
    e.where ? h("p", {}, "Where: ", entityLink(e.where)) : null,
    (e.about || []).length ? h("p", {}, "About: ", e.about.map((r, i) => [i ? ", " : "", entityLink(r)])) : null,
    e.source ? null : h("div", {}, sourcesButton(e.id)));
}

export async function render(root, p, { navigate }) {
  const since = h("input", { name: "since", value: p.since ?? "", size: 10, placeholder: "YYYY[-MM[-DD]]" });
  const until = h("input", { name: "until", value: p.until ?? "", size: 10, placeholder: "YYYY[-MM[-DD]]" });
  const form = h("form", { class: "filters", role: "search", "aria-label": "Period" }, field("Since", since),
    field("Until", until), h("button", { type: "submit" }, "Show"));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    navigate({ view: "timeline", since: since.value.trim(), until: until.value.trim() });
  });
  root.append(h("h1", {}, "Timeline"), h("p", { class: "lead" },
    "Meetings, visits and other events, Security Council votes, reports and deployments in a period, in date order. ",
    "“Sources” shows the claims behind an item."), form);
  const list = await entries(p);
  const counts = list.reduce((m, e) => m.set(e.kind, (m.get(e.kind) ?? 0) + 1), new Map());
  root.append(h("p", { class: "summary", role: "status" }, `${list.length} item${list.length === 1 ? "" : "s"}`,
    counts.size ? ` (${[...counts].map(([k, n]) => `${n} ${k}`).join(", ")})` : ""));
  if (!list.length) {
    root.append(status("Nothing recorded in this period."));
    return;
  }
  root.append(h("ol", { class: "timeline", id: "timeline" }, list.map(entry)));
}
